"""TODO docstring."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers, viewsets

from audit.models import HistoryEntry
from audit.selectors import history_filter_entries
from projects.models import Membership, Project, Role
from projects.permissions import ProjectRolePermission


class HistoryEntrySerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

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


class HistoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The change history, filterable by ``project`` (slug), ``type``,
    ``id``, ``action``, ``actor``, ``since``, ``until``. In blind-mode
    projects only reviewers and owners read it."""

    serializer_class = HistoryEntrySerializer
    permission_classes = [ProjectRolePermission]
    queryset = HistoryEntry.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HistoryEntry.objects.none()
        user = self.request.user
        memberships = Membership.objects.filter(user=user).filter(
            Q(role__in=[Role.REVIEWER, Role.OWNER]) | Q(project__blind_mode=False)
        )
        projects = Project.objects.filter(pk__in=memberships.values("project_id"))
        slug = self.request.query_params.get("project")
        if slug:
            projects = projects.filter(slug=slug)
        entries = HistoryEntry.objects.filter(project__in=projects)
        return history_filter_entries(
            entries, self.request.query_params
        ).select_related("project")
