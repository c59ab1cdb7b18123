"""Legal frameworks: read by members, imported (YAML/JSON) by owners."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from legal.framework_format import framework_dump, framework_parse
from legal.models import Framework
from legal.services.frameworks import framework_import
from projects.api.schema import NOT_FOUND, WRITE_ERRORS
from projects.models import Role
from projects.permissions import ProjectRolePermission, access_project


@extend_schema(tags=["frameworks"])
class FrameworkViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Legal frameworks: read by members; owners import YAML/JSON."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        project = serializers.CharField(source="project.slug")
        key = serializers.CharField()
        name = serializers.CharField()
        version = serializers.IntegerField()

    class RetrieveOutputSerializer(serializers.Serializer):
        """The exchange format of ``legal.framework_format.framework_dump``
        (as in framework.yaml), with the framework's id."""

        class CriterionSerializer(serializers.Serializer):
            class ElementSerializer(serializers.Serializer):
                key = serializers.CharField()
                question = serializers.CharField()
                tags = serializers.ListField(child=serializers.CharField())

            key = serializers.CharField()
            code = serializers.CharField()
            group = serializers.CharField()
            title = serializers.CharField()
            instrument = serializers.CharField()
            article = serializers.CharField()
            paraphrase = serializers.CharField()
            elements = ElementSerializer(many=True)

        id = serializers.IntegerField()
        key = serializers.CharField()
        name = serializers.CharField()
        version = serializers.IntegerField()
        description = serializers.CharField()
        criteria = CriterionSerializer(many=True)

    class ImportInputSerializer(serializers.Serializer):
        project = serializers.SlugField()
        text = serializers.CharField(
            required=False, help_text="YAML or JSON text of the framework."
        )
        # DRF takes declared fields off the class, so "data" shadows nothing.
        data = serializers.JSONField(  # type: ignore[assignment]
            required=False, help_text="The framework as JSON."
        )
        dry_run = serializers.BooleanField(default=True)

    class ImportOutputSerializer(serializers.Serializer):
        """The preview of an import (``FrameworkPreview``)."""

        id = serializers.IntegerField(
            required=False, help_text="The framework, once written (no dry run)."
        )
        framework_key = serializers.CharField()
        framework_exists = serializers.BooleanField()
        changes = serializers.IntegerField()
        criteria_new = serializers.ListField(child=serializers.CharField())
        criteria_changed = serializers.ListField(child=serializers.CharField())
        elements_new = serializers.ListField(child=serializers.CharField())
        elements_changed = serializers.ListField(child=serializers.CharField())
        elements_unchanged = serializers.IntegerField()
        unknown_tags = serializers.ListField(child=serializers.CharField())
        kept = serializers.ListField(child=serializers.CharField())

    permission_classes = [ProjectRolePermission]
    serializer_class = OutputSerializer
    filter_backends: list = []
    write_role = Role.OWNER

    def get_queryset(self):
        frameworks = Framework.objects.for_user(self.request.user)
        if self.request.query_params.get("project"):
            frameworks = frameworks.filter(
                project__slug=self.request.query_params["project"]
            )
        return frameworks.select_related("project").order_by("project__slug", "key")

    @extend_schema(responses={200: RetrieveOutputSerializer, **NOT_FOUND})
    def retrieve(self, request, pk=None, **kwargs):
        """The framework in the exchange format (as framework.yaml)."""
        framework = self.get_object()
        body = {"id": framework.pk, **framework_dump(framework)}
        return Response(self.RetrieveOutputSerializer(body).data)

    @extend_schema(
        request=ImportInputSerializer,
        responses={
            200: ImportOutputSerializer,
            201: ImportOutputSerializer,
            **WRITE_ERRORS,
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_framework(self, request, **kwargs):
        """Preview (``dry_run``, the default) or import a framework; owners only."""
        data = self.ImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        project = access_project(request.user, v["project"], Role.OWNER)
        if v.get("data") is not None:
            payload = v["data"]
        elif v.get("text"):
            payload = framework_parse(v["text"])
        else:
            raise DRFValidationError({"text": ["Give the framework as text or data."]})
        preview, framework = framework_import(
            project=project, user=request.user, data=payload, dry_run=v["dry_run"]
        )
        body = self.ImportOutputSerializer(preview).data  # no id: a preview has none
        if framework is not None:
            body["id"] = framework.pk
        return Response(
            body, status=status.HTTP_200_OK if v["dry_run"] else status.HTTP_201_CREATED
        )
