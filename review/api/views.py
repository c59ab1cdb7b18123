"""TODO docstring."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.models import Role
from projects.permissions import ProjectRolePermission, access_project
from review.selectors import agreement_compute


class AgreementView(APIView):
    """``GET /api/agreement/?project=<slug>``: per-tag alpha, kappa, span F1."""

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        parameters=[OpenApiParameter("project", str, required=True)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, **kwargs):
        slug = request.query_params.get("project", "")
        if not slug:
            raise ValidationError({"project": ["Give ?project=<slug>."]})
        project = access_project(request.user, slug, Role.REVIEWER)
        report = agreement_compute(project=project)
        return Response(
            {
                "project": project.slug,
                "annotators": report.annotators,
                "documents": report.documents,
                "sentences": report.sentences,
                "tags": [
                    {
                        **{k: v for k, v in asdict(tag).items() if k != "pairs"},
                        "mean_kappa": tag.mean_kappa,
                        "mean_exact_f1": tag.mean_exact_f1,
                        "mean_overlap_f1": tag.mean_overlap_f1,
                        "pairs": [asdict(p) for p in tag.pairs],
                    }
                    for tag in report.tags
                ],
            }
        )
