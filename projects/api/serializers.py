"""TODO docstring."""

from __future__ import annotations

from rest_framework import serializers

from projects.models import Project


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


class ErrorOutput(serializers.Serializer):
    """The single error shape of the API (see corpus/api/exceptions.py)."""

    message = serializers.CharField()
    extra = serializers.DictField()
