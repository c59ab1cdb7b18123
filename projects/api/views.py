"""TODO docstring."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from projects.api.pagination import GlossaPagination
from projects.api.schema import NOT_FOUND, SLUG_PARAM, WRITE_ERRORS
from projects.api.serializers import (
    ProjectCreateInput,
    ProjectOutput,
    ProjectUpdateInput,
)
from projects.models import Membership, Project, Role
from projects.permissions import ProjectRolePermission
from projects.services import project_create, project_update


@extend_schema_view(
    list=extend_schema(summary="Projects you are a member of"),
    retrieve=extend_schema(
        summary="One project",
        parameters=[SLUG_PARAM],
        responses={200: ProjectOutput, **NOT_FOUND},
    ),
)
class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ProjectOutput
    permission_classes = [ProjectRolePermission]
    pagination_class = GlossaPagination
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    write_role = Role.OWNER
    filter_backends: list = []

    def get_queryset(self):
        user = self.request.user
        role = Membership.objects.filter(project=OuterRef("pk"), user=user).values(
            "role"
        )[:1]
        return (
            Project.objects.for_user(user)
            .annotate(
                my_role=Subquery(role),
                document_count=Count("documents", distinct=True),
            )
            .order_by("name", "pk")
        )

    @extend_schema(
        summary="Create a project (you become its owner)",
        request=ProjectCreateInput,
        responses={201: ProjectOutput, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = ProjectCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("slug") or ""
        if slug and Project.objects.filter(slug=slug).exists():
            return Response(
                {"message": f"The slug {slug!r} is taken.", "extra": {}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        project = project_create(created_by=request.user, **data.validated_data)
        project = self.get_queryset().get(pk=project.pk)
        return Response(ProjectOutput(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename or describe a project (owner)",
        parameters=[SLUG_PARAM],
        request=ProjectUpdateInput,
        responses={200: ProjectOutput, **WRITE_ERRORS},
    )
    def partial_update(self, request, slug=None, **kwargs):
        project = self.get_object()
        data = ProjectUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project_update(project=project, actor=request.user, **data.validated_data)
        return Response(ProjectOutput(self.get_queryset().get(pk=project.pk)).data)
