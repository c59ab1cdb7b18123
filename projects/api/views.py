"""API of projects: list, create, update (scoped to membership).

Every endpoint nests its own ``InputSerializer``/``OutputSerializer``: in a
viewset, ``OutputSerializer`` is the resource and each action that takes
input has ``<Action>InputSerializer``. Querysets come from ``for_user``.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from projects.api.inputs import PatchInput
from projects.api.schema import NOT_FOUND, SLUG_PARAM, WRITE_ERRORS
from projects.errors import ApplicationError
from projects.models import Membership, Project, Role
from projects.permissions import ProjectRolePermission, signed_in_user
from projects.services import project_create, project_update


@extend_schema_view(list=extend_schema(summary="Projects you are a member of"))
class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    class OutputSerializer(serializers.ModelSerializer):
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

    class CreateInputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=200)
        slug = serializers.SlugField(max_length=80, required=False, allow_blank=True)
        description = serializers.CharField(
            required=False, allow_blank=True, default=""
        )

    class UpdateInputSerializer(PatchInput):
        name = serializers.CharField(max_length=200, required=False)
        description = serializers.CharField(required=False, allow_blank=True)
        blind_mode = serializers.BooleanField(required=False)

    serializer_class = OutputSerializer
    permission_classes = [ProjectRolePermission]
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    write_role = Role.OWNER
    filter_backends: list = []

    def get_queryset(self):
        user = signed_in_user(self.request)
        # The caller's role, for the output (not a scope: for_user scopes).
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
        summary="One project",
        parameters=[SLUG_PARAM],
        responses={200: OutputSerializer, **NOT_FOUND},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Create a project (you become its owner)",
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("slug") or ""
        if slug and Project.objects.filter(slug=slug).exists():
            raise ApplicationError(f"The slug {slug!r} is taken.")
        project = project_create(created_by=request.user, **data.validated_data)
        project = self.get_queryset().get(pk=project.pk)
        return Response(
            self.OutputSerializer(project).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Rename or describe a project (owner)",
        parameters=[SLUG_PARAM],
        request=UpdateInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, slug=None, **kwargs):
        project = self.get_object()
        data = self.UpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        project_update(project=project, actor=request.user, **data.validated_data)
        project = self.get_queryset().get(pk=project.pk)
        return Response(self.OutputSerializer(project).data)
