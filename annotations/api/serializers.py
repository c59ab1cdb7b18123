"""Input and output shapes of the exchange API (tags, exports, imports)."""

from __future__ import annotations

from rest_framework import serializers

from annotations.exports import FORMATS
from annotations.imports.formats import IMPORTERS
from annotations.models import Tag


class TagOutput(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Tag
        fields = [
            "id",
            "project",
            "key",
            "name",
            "description",
            "colour",
            "hotkey",
            "patterns",
            "order",
            "is_active",
        ]


class TagCreateInput(serializers.Serializer):
    project = serializers.SlugField()
    key = serializers.RegexField(r"^[a-z][a-z0-9_.\-]*$", max_length=64)
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)
    hotkey = serializers.CharField(max_length=1, required=False, allow_blank=True)
    order = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    is_active = serializers.BooleanField(required=False)


class TagUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)
    hotkey = serializers.CharField(max_length=1, required=False, allow_blank=True)
    order = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    is_active = serializers.BooleanField(required=False)


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
