"""The document summary shape, shared by several endpoints of the corpus API.

Every other serializer of the corpus API is nested in its view. This one is
not: the document list, the ingestion results (upload and capture) and the
search results all list documents, and clients parse one shape.
"""

from __future__ import annotations

from rest_framework import serializers

from corpus.models import Document, Source
from projects.models import Project


class DocumentOutputSerializer(serializers.ModelSerializer):
    """A document without its text (lists never carry bodies)."""

    project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    # Named like DRF's Field.source, hence the ignore: a declared field, not that.
    source: serializers.SlugRelatedField[Source] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="name", read_only=True, allow_null=True
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "project",
            "title",
            "kind",
            "source",
            "author",
            "speaker_role",
            "platform",
            "publisher",
            "published_at",
            "url",
            "language",
            "sha256",
            "text_sha256",
            "size",
            "media_type",
            "original_name",
            "captured_at",
            "analysis_status",
        ]
