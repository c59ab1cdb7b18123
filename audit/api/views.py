"""API of the change history (members; in blind mode reviewers and owners)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from audit.models import HistoryEntry
from audit.selectors import history_filter_entries
from projects.permissions import ProjectRolePermission

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from projects.models import Project

FILTERS = [
    OpenApiParameter("project", OpenApiTypes.STR, description="Project slug."),
    OpenApiParameter("type", OpenApiTypes.STR, description="Object type."),
    OpenApiParameter("id", OpenApiTypes.INT, description="Object id."),
    OpenApiParameter("action", OpenApiTypes.STR, enum=["create", "update", "delete"]),
    OpenApiParameter("actor", OpenApiTypes.STR, description="Username."),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day on."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="Up to this day."),
]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class HistoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The change history, filterable by ``project`` (slug), ``type``,
    ``id``, ``action``, ``actor``, ``since``, ``until``. In blind-mode
    projects only reviewers and owners read it."""

    class OutputSerializer(serializers.ModelSerializer):
        project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
            slug_field="slug", read_only=True
        )
        # None for what Glossa did itself (a new project's default tags).
        actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
            slug_field="username", read_only=True, allow_null=True
        )

        class Meta:
            model = HistoryEntry
            fields = [
                "id",
                "project",
                "at",
                "actor",
                "object_type",
                "object_id",
                "action",
                "before",
                "after",
            ]

    serializer_class = OutputSerializer
    permission_classes = [ProjectRolePermission]
    queryset = HistoryEntry.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HistoryEntry.objects.none()
        entries = HistoryEntry.objects.for_user(self.request.user)
        if slug := self.request.query_params.get("project"):
            entries = entries.filter(project__slug=slug)
        return history_filter_entries(
            entries, self.request.query_params
        ).select_related("project")
