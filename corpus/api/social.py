"""The social-media account registry over the API.

Lists and creates name their project (``?project=<slug>`` or the body's
``project``), membership checked before anything else, so an outsider gets
404 whatever else the request holds. Members read; analysts and up write
(``ProjectRolePermission``), as on the registry page.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from corpus.models import ClaimantType, Platform, SocialAccount
from corpus.social_services import (
    social_account_create,
    social_account_delete,
    social_account_update,
)
from projects.api.inputs import PatchInput
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.models import Project, Role
from projects.permissions import ProjectRolePermission, access_project

PROJECT_PARAM = OpenApiParameter("project", str, required=True, description="Slug")


def _project_of(request, role: str) -> Project:
    slug = request.query_params.get("project") or (
        request.data.get("project") if hasattr(request.data, "get") else None
    )
    if not slug or not isinstance(slug, str):
        raise DRFValidationError({"project": ["Give the project's slug."]})
    return access_project(request.user, slug[:100], role)


@extend_schema(tags=["social accounts"])
class SocialAccountViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Registered accounts: handle -> claimant and claimant type."""

    class OutputSerializer(serializers.ModelSerializer):
        project = serializers.CharField(source="project.slug")

        class Meta:
            model = SocialAccount
            fields = [
                "id",
                "project",
                "platform",
                "handle",
                "claimant",
                "claimant_type",
                "notes",
                "created_at",
                "updated_at",
            ]

    class UpdateInputSerializer(PatchInput):
        platform = serializers.ChoiceField(Platform.choices)
        handle = serializers.CharField(max_length=200)
        claimant = serializers.CharField(max_length=300)
        claimant_type = serializers.ChoiceField(ClaimantType.choices)
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class CreateInputSerializer(UpdateInputSerializer):
        project = serializers.SlugField()

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return (
            SocialAccount.objects.for_user(self.request.user)
            .select_related("project")
            .order_by("platform", "handle", "pk")
        )

    @extend_schema(
        parameters=[PROJECT_PARAM],
        responses={200: OutputSerializer(many=True), **NOT_FOUND},
    )
    def list(self, request, *args, **kwargs):
        """The project's registered accounts."""
        project = _project_of(request, Role.VIEWER)
        queryset = self.get_queryset().filter(project=project)
        page = self.paginate_queryset(queryset)
        data = self.OutputSerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(responses={200: OutputSerializer, **NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        """Register an account (analyst); its posts are analysed again."""
        project = _project_of(request, Role.ANALYST)
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("project")
        account = social_account_create(project=project, user=request.user, **values)
        return Response(
            self.OutputSerializer(account).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=UpdateInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def update(self, request, *args, **kwargs):
        """Change an account (analyst), with history."""
        account = self.get_object()
        data = self.UpdateInputSerializer(
            data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        account = social_account_update(
            account=account, user=request.user, **data.validated_data
        )
        return Response(self.OutputSerializer(account).data)

    @extend_schema(
        request=UpdateInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None, **WRITE_ERRORS})
    def destroy(self, request, *args, **kwargs):
        """Remove an account from the registry (analyst), with history."""
        social_account_delete(account=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
