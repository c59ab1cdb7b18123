"""Assessments: findings of claims against legal elements."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from legal.api.serializers import VERSION_PARAM, id_field, version_field, version_from
from legal.models import Assessment, Claim, Element, Finding
from legal.services.assessments import (
    assessment_can_edit,
    assessment_create,
    assessment_delete,
    assessment_update,
)
from projects.api.exceptions import conflict_with_current
from projects.api.inputs import PatchInput
from projects.api.schema import WRITE_ERRORS
from projects.errors import ConflictError
from projects.models import Role
from projects.params import parse_id
from projects.permissions import ProjectRolePermission, check_role


@extend_schema(tags=["assessments"])
class AssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Findings of claims against legal elements, with rationale and sources."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        project = serializers.CharField(source="project.slug")
        claim = serializers.IntegerField(source="claim_id")
        element = serializers.IntegerField(source="element_id", allow_null=True)
        criterion = serializers.IntegerField(source="criterion_id", allow_null=True)
        finding = serializers.CharField()
        rationale = serializers.CharField()
        sources = serializers.SerializerMethodField()
        author = serializers.CharField(source="author.get_username")
        version = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        updated_at = serializers.DateTimeField()

        def get_sources(self, assessment) -> list[int]:
            return sorted(a.pk for a in assessment.sources.all())

    class CreateInputSerializer(serializers.Serializer):
        claim = id_field()
        element = id_field()
        finding = serializers.ChoiceField(Finding.choices)
        rationale = serializers.CharField(max_length=20000, allow_blank=True)
        sources = serializers.ListField(
            child=id_field(), required=False, max_length=200
        )

    class UpdateInputSerializer(PatchInput):
        version = version_field()
        finding = serializers.ChoiceField(Finding.choices, required=False)
        rationale = serializers.CharField(
            max_length=20000, required=False, allow_blank=True
        )
        sources = serializers.ListField(
            child=id_field(), required=False, max_length=200
        )

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        assessments = Assessment.objects.for_user(self.request.user)
        params = self.request.query_params
        if params.get("project"):
            assessments = assessments.filter(project__slug=params["project"])
        if claim_pk := parse_id(params.get("claim")):
            assessments = assessments.filter(claim_id=claim_pk)
        if element_pk := parse_id(params.get("element")):
            assessments = assessments.filter(element_id=element_pk)
        return (
            assessments.select_related("project", "author")
            .prefetch_related("sources")
            .order_by("claim_id", "element_id", "pk")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("project", str),
            OpenApiParameter("claim", int),
            OpenApiParameter("element", int),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _out(self, assessment) -> dict:
        fresh = (
            Assessment.objects.select_related("project", "author")
            .prefetch_related("sources")
            .get(pk=assessment.pk)
        )
        return self.OutputSerializer(fresh).data

    def _check_edit(self, assessment) -> None:
        if not assessment_can_edit(self.request.user, assessment):
            raise PermissionDenied("Only the author or a reviewer may change this.")

    @extend_schema(
        request=CreateInputSerializer,
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def create(self, request, **kwargs):
        data = self.CreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        claim = get_object_or_404(Claim.objects.for_user(request.user), pk=v["claim"])
        check_role(request.user, claim.project, Role.ANALYST)
        element = get_object_or_404(
            Element.objects.select_related("criterion__framework"),
            criterion__framework__project=claim.project,
            pk=v["element"],
        )
        assessment = assessment_create(
            claim=claim,
            user=request.user,
            element=element,
            finding=v["finding"],
            rationale=v["rationale"],
            sources=v.get("sources", []),
        )
        return Response(self._out(assessment), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UpdateInputSerializer,
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None, **kwargs):
        assessment = self.get_object()
        self._check_edit(assessment)
        data = self.UpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        try:
            assessment = assessment_update(
                assessment=assessment,
                user=request.user,
                expected_version=v.pop("version"),
                **v,
            )
        except ConflictError as exc:
            raise conflict_with_current(exc, self._out) from exc
        return Response(self._out(assessment))

    @extend_schema(parameters=[VERSION_PARAM], responses={204: None})
    def destroy(self, request, pk=None, **kwargs):
        assessment = self.get_object()
        self._check_edit(assessment)
        assessment_delete(
            assessment=assessment,
            user=request.user,
            expected_version=version_from(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
