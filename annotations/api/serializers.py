"""The annotation's output shape, shared by several endpoints.

Every other serializer of the annotations API is nested in its view. This
one is not: the annotation endpoints, the suggestion decisions (accept and
edit answer with the annotation they made) and the 409 conflict bodies
(``extra.current``) all render an annotation, and clients parse one shape.
"""

from __future__ import annotations

from rest_framework import serializers

from annotations.models import Annotation


class AnnotationOutputSerializer(serializers.ModelSerializer):
    """One annotation; the annotator's payload (``annotations_payload``) has
    the same keys, without prefix, suffix and timestamps."""

    tag_keys = serializers.SerializerMethodField()
    author = serializers.CharField(source="author.get_username")
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
            "comment_count",
            "created_at",
            "updated_at",
        ]

    def get_tag_keys(self, obj) -> list[str]:
        return [tag.key for tag in obj.tags.all()]

    def get_comment_count(self, obj) -> int:
        count = getattr(obj, "comment_count", None)
        return obj.comments.count() if count is None else count
