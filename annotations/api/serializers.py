"""TODO docstring."""

from __future__ import annotations

from rest_framework import serializers

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Comment,
    Suggestion,
    Tag,
)


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


class ClaimBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="claim.id")
    proposition = serializers.CharField(source="claim.proposition")
    claimant = serializers.CharField(source="claim.claimant")
    claimant_type = serializers.CharField(source="claim.claimant_type")
    evidence_status = serializers.CharField(source="claim.evidence_status")
    version = serializers.IntegerField(source="claim.version")


class AnnotationOutputSerializer(serializers.ModelSerializer):
    tag_keys = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.get_username")
    claims = ClaimBriefSerializer(source="claim_links", many=True, read_only=True)
    comment_count = serializers.SerializerMethodField()

    class Meta:
        model = Annotation
        fields = [
            "id",
            "document",
            "start",
            "end",
            "quote",
            "prefix",
            "suffix",
            "tag_keys",
            "note",
            "author",
            "status",
            "origin",
            "version",
            "claims",
            "comment_count",
            "created_at",
            "updated_at",
        ]

    def get_tag_keys(self, obj) -> list[str]:
        return [tag.key for tag in obj.tags.all()]

    def get_comment_count(self, obj) -> int:
        count = getattr(obj, "comment_count", None)
        return obj.comments.count() if count is None else count


class AnnotationCreateSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    tag_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50
    )
    note = serializers.CharField(allow_blank=True, required=False, max_length=20_000)


class AnnotationUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    tag_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50, required=False
    )
    note = serializers.CharField(allow_blank=True, required=False, max_length=20_000)
    status = serializers.ChoiceField(choices=AnnotationStatus.choices, required=False)


class CommentOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username")

    class Meta:
        model = Comment
        fields = ["id", "annotation", "author", "body", "created_at"]


class CommentCreateSerializer(serializers.Serializer):
    annotation = serializers.IntegerField()
    body = serializers.CharField(max_length=10_000)


class SuggestionOutputSerializer(serializers.ModelSerializer):
    tag_key = serializers.CharField(source="tag.key")
    tag_name = serializers.CharField(source="tag.name")
    # A plain string in the schema: "status" enums of several models would
    # otherwise collide in drf-spectacular's component names.
    status = serializers.CharField(
        read_only=True, help_text="pending, accepted, edited or rejected"
    )

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "document",
            "start",
            "end",
            "quote",
            "tag_key",
            "tag_name",
            "claimant",
            "claimant_type",
            "confidence",
            "rule",
            "explanation",
            "status",
            "annotation",
        ]


class SuggestionEditSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    tag_keys = serializers.ListField(
        child=serializers.CharField(max_length=64), max_length=50
    )


class AcceptedSerializer(serializers.Serializer):
    annotation = AnnotationOutputSerializer()
