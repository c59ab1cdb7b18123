"""Input and output shapes of the corpus API. No logic: views call services."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from corpus.models import Assignment, Document, DocumentKind


class DocumentListOutput(serializers.ModelSerializer):
    """A document without its text (lists never carry bodies)."""

    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    source = serializers.SlugRelatedField(
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


class DocumentDetailOutput(DocumentListOutput):
    """A document with its immutable text and its provenance."""

    class Meta(DocumentListOutput.Meta):
        fields = [
            *DocumentListOutput.Meta.fields,
            "text",
            "metadata",
            "extractor",
            "extractor_version",
            "previous_version",
            "near_duplicate_of",
        ]


class DocumentUploadInput(serializers.Serializer):
    project = serializers.SlugField(help_text="Slug of the project to add it to.")
    file = serializers.FileField(
        help_text="The original file (bytes are kept with their SHA-256)."
    )
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=DocumentKind.choices, required=False, allow_blank=True
    )

    def validate_file(self, value):
        if value.size > settings.GLOSSA_MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                f"The file is larger than {settings.GLOSSA_MAX_UPLOAD_BYTES} bytes."
            )
        return value


class DocumentCaptureInput(serializers.Serializer):
    project = serializers.SlugField()
    url = serializers.URLField(max_length=2000)


class IngestErrorOutput(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


class IngestOutput(serializers.Serializer):
    documents = DocumentListOutput(many=True)
    duplicates = DocumentListOutput(many=True)
    errors = IngestErrorOutput(many=True)


class SearchInput(serializers.Serializer):
    q = serializers.CharField(
        max_length=500, help_text='Words, "a phrase", or -excluded (web syntax).'
    )
    project = serializers.SlugField(required=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)


class SearchResultOutput(DocumentListOutput):
    rank = serializers.FloatField(read_only=True)
    headline = serializers.CharField(
        read_only=True, help_text="Matching passage, matches marked with « »."
    )

    class Meta(DocumentListOutput.Meta):
        fields = [*DocumentListOutput.Meta.fields, "rank", "headline"]


class AssignmentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(
        source="document.project", slug_field="slug", read_only=True
    )
    annotator_username = serializers.CharField(
        source="annotator.username", read_only=True
    )

    class Meta:
        model = Assignment
        fields = [
            "id",
            "project",
            "document",
            "annotator",
            "annotator_username",
            "status",
            "assigned_by",
            "assigned_at",
            "submitted_at",
        ]
        read_only_fields = ["status", "assigned_by", "assigned_at", "submitted_at"]
        validators: list = []  # creating an existing assignment returns it

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "document" in fields:
            # Only documents the caller can see: no existence oracle.
            fields["document"].queryset = Document.objects.for_user(request.user)
        return fields
