"""API of review: agreement between annotators (reviewers and owners)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.api.schema import WRITE_ERRORS
from projects.models import Role
from projects.permissions import ProjectRolePermission, access_project
from review.selectors import agreement_compute


class AgreementView(APIView):
    """``GET /api/agreement/?project=<slug>``: per-tag alpha, kappa, span F1."""

    class InputSerializer(serializers.Serializer):
        project = serializers.CharField(
            help_text="The project's slug.",
            error_messages={
                "required": "Give ?project=<slug>.",
                "blank": "Give ?project=<slug>.",
            },
        )

    class OutputSerializer(serializers.Serializer):
        class TagSerializer(serializers.Serializer):
            class PairSerializer(serializers.Serializer):
                annotator_a = serializers.CharField()
                annotator_b = serializers.CharField()
                units = serializers.IntegerField()
                observed = serializers.FloatField(allow_null=True)
                kappa = serializers.FloatField(allow_null=True)
                spans_a = serializers.IntegerField()
                spans_b = serializers.IntegerField()
                exact_f1 = serializers.FloatField(allow_null=True)
                overlap_f1 = serializers.FloatField(allow_null=True)

            key = serializers.CharField()
            name = serializers.CharField()
            colour = serializers.CharField()
            units = serializers.IntegerField()
            alpha = serializers.FloatField(allow_null=True)
            marked = serializers.IntegerField(
                help_text="(annotator, sentence) pairs where the tag is present."
            )
            mean_kappa = serializers.FloatField(allow_null=True)
            mean_exact_f1 = serializers.FloatField(allow_null=True)
            mean_overlap_f1 = serializers.FloatField(allow_null=True)
            pairs = PairSerializer(many=True)

        project = serializers.CharField(source="project.slug")
        annotators = serializers.ListField(child=serializers.CharField())
        documents = serializers.IntegerField()
        sentences = serializers.IntegerField()
        tags = TagSerializer(many=True)

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        parameters=[InputSerializer],
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def get(self, request, **kwargs):
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        slug = params.validated_data["project"]
        project = access_project(request.user, slug, Role.REVIEWER)
        report = agreement_compute(project=project)
        return Response(self.OutputSerializer(report).data)
