"""REST API of the project's model (mounted under /api/ by annotations.api.urls).

- ``GET /api/models/?project=<slug>``: the versions (viewer);
- ``POST /api/models/train/`` ``{"project": slug}``: queue a run (reviewer),
  202 with the queued version, 409 if one is already queued or running;
- ``GET /api/models/<id>/``: one version with progress and figures;
- ``GET /api/models/<id>/download/``: the zip (reviewer).

Figures are left out for analysts and viewers of blind projects, as on the
model page.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.learning.services import training_request
from annotations.learning.storage import archive_bytes
from annotations.models import LearnedModel, TrainingStatus
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.models import Project, Role
from projects.params import parse_id
from projects.permissions import ProjectRolePermission, access_project, check_role


class LearnedModelOutputSerializer(serializers.ModelSerializer):
    """One model version; shared by the list, train and detail endpoints."""

    project: serializers.SlugRelatedField[Project] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = LearnedModel
        fields = [
            "id",
            "project",
            "version",
            "kind",
            "status",
            "trigger",
            "stage",
            "done",
            "total",
            "percent",
            "labels",
            "data_size",
            "metrics",
            "decisions",
            "snapshot_sha256",
            "artefact_sha256",
            "seconds",
            "error",
            "created_at",
            "finished_at",
        ]


def _render(model: LearnedModel, user) -> dict:
    data = dict(LearnedModelOutputSerializer(model).data)
    membership = check_role(user, model.project)
    if model.project.blind_mode and not membership.allows(Role.REVIEWER):
        data["metrics"] = None
        data["data_size"] = None
    return data


def _model_for(user, pk: str) -> LearnedModel:
    """The model ``pk`` of one of the user's projects; anything else, even a
    malformed id, is a JSON 404 (the path takes any segment, as the
    router's routes do)."""
    number = parse_id(pk)
    model = (
        LearnedModel.objects.for_user(user)
        .select_related("project")
        .filter(pk=number)
        .first()
        if number is not None
        else None
    )
    if model is None:
        raise Http404("No such model.")
    return model


class ModelListView(APIView):
    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="Versions of a project's model",
        parameters=[OpenApiParameter("project", str, required=True)],
        responses={200: LearnedModelOutputSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        slug = request.query_params.get("project", "")
        if not slug:
            return Response(
                {"detail": "Give ?project=<slug>."}, status=status.HTTP_400_BAD_REQUEST
            )
        project = access_project(request.user, slug)
        models = LearnedModel.objects.filter(project=project).select_related("project")
        return Response([_render(m, request.user) for m in models.order_by("-version")])


class ModelTrainView(APIView):
    permission_classes = [ProjectRolePermission]

    class InputSerializer(serializers.Serializer):
        project = serializers.SlugField()

    @extend_schema(
        summary="Train the project's model now (reviewer)",
        request=InputSerializer,
        responses={202: LearnedModelOutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = access_project(
            request.user, data.validated_data["project"], Role.REVIEWER
        )
        model = training_request(project=project, user=request.user, trigger="api")
        model.refresh_from_db()
        return Response(_render(model, request.user), status=status.HTTP_202_ACCEPTED)


class ModelDetailView(APIView):
    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="One version: progress, figures, hashes",
        responses={200: LearnedModelOutputSerializer, **NOT_FOUND},
    )
    def get(self, request, pk: str):
        return Response(_render(_model_for(request.user, pk), request.user))


class ModelDownloadView(APIView):
    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="A finished version as a zip (reviewer)",
        responses={(200, "application/zip"): bytes, **NOT_FOUND},
    )
    def get(self, request, pk: str):
        model = _model_for(request.user, pk)
        check_role(request.user, model.project, Role.REVIEWER)
        if model.status != TrainingStatus.DONE:
            raise Http404("This version has no files (it did not finish).")
        try:
            data = archive_bytes(model)
        except FileNotFoundError as exc:
            raise Http404(str(exc)) from exc
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="{model.project.slug}-model-v{model.version}.zip"'
        )
        response["X-Artefact-SHA256"] = model.artefact_sha256
        return response
