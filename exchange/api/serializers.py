"""Input and output shapes of the exchange API (tags, exports, imports)."""

from __future__ import annotations

from rest_framework import serializers

from exchange.exports import FORMATS
from exchange.imports.formats import IMPORTERS


class ExportInput(serializers.Serializer):
    format = serializers.ChoiceField(choices=sorted(FORMATS))


class ImportInput(serializers.Serializer):
    format = serializers.ChoiceField(choices=sorted(IMPORTERS))
    file = serializers.FileField()
    create_tags = serializers.BooleanField(
        default=False, help_text="Create tags for unknown labels (owner only)."
    )
    document = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="W3C only: place every annotation on this document.",
    )


class RefusedOutput(serializers.Serializer):
    item = serializers.CharField()
    reason = serializers.CharField()


class ImportOutput(serializers.Serializer):
    documents_created = serializers.IntegerField()
    documents_reused = serializers.IntegerField()
    annotations_created = serializers.IntegerField()
    annotations_skipped = serializers.IntegerField()
    tags_created = serializers.ListField(child=serializers.CharField())
    refused = RefusedOutput(many=True)


class ArchiveImportInput(serializers.Serializer):
    file = serializers.FileField()
    as_slug = serializers.SlugField(required=False, allow_blank=True, max_length=80)


class ArchiveImportOutput(serializers.Serializer):
    project = serializers.SlugField(source="project.slug")
    counts = serializers.DictField(child=serializers.IntegerField())
    users_created = serializers.ListField(child=serializers.CharField())
