"""Input and output shapes of the corpus API. No logic: views call services."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from corpus.models import Document, DocumentKind, Project


class ProjectOutput(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your role in the project.")
    document_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "blind_mode",
            "created_at",
            "role",
            "document_count",
        ]

    def get_role(self, project: Project) -> str:
        return getattr(project, "my_role", "") or ""


class ProjectCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ProjectUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    blind_mode = serializers.BooleanField(required=False)


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


class ErrorOutput(serializers.Serializer):
    """The single error shape of the API (see corpus/api/exceptions.py)."""

    message = serializers.CharField()
    extra = serializers.DictField()
