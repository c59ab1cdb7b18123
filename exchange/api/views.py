"""Exchange API: exports and imports.

Exports need the viewer role; span imports need the analyst role (owner to
create tags); the archive export needs the owner role (it holds every
member's history and e-mail address); archive import is for staff, since it
creates users. Each view nests its ``InputSerializer``/``OutputSerializer``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.models import Document
from exchange.exports import FORMATS, export_response, export_role
from exchange.imports.archive import import_archive
from exchange.imports.formats import ANCHORED, IMPORTERS
from projects.api.schema import SLUG_PARAM, WRITE_ERRORS
from projects.errors import ApplicationError
from projects.models import Role
from projects.permissions import ProjectRolePermission, access_project, check_role

EXPORT_MEDIA = sorted({f.media_type for f in FORMATS.values()})


class FormatIsNotARenderer(DefaultContentNegotiation):
    """``?format=`` names the export here, not DRF's renderer override."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class ExportView(APIView):
    """Stream an export of a project (``?format=`` one of the formats)."""

    class InputSerializer(serializers.Serializer):
        format = serializers.ChoiceField(choices=sorted(FORMATS))

    permission_classes = [ProjectRolePermission]
    content_negotiation_class = FormatIsNotARenderer

    @extend_schema(
        summary="Export a project",
        parameters=[SLUG_PARAM, InputSerializer],
        responses={
            **{
                (200, media): OpenApiResponse(OpenApiTypes.BINARY)
                for media in EXPORT_MEDIA
            },
            **WRITE_ERRORS,
        },
    )
    def get(self, request, slug: str, **kwargs):
        # Membership first: outsiders learn nothing, not even what is invalid.
        access_project(request.user, slug)
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        key = params.validated_data["format"]
        project = access_project(request.user, slug)
        check_role(request.user, project, export_role(key, project))
        return export_response(
            project, key, base_url=request.build_absolute_uri("/").rstrip("/")
        )


class ImportView(APIView):
    """Import annotations from a tool's file (doccano, Label Studio, Prodigy,
    BRAT, Hypothesis, INCEpTION, W3C) into a project."""

    class InputSerializer(serializers.Serializer):
        format = serializers.ChoiceField(choices=sorted(IMPORTERS))
        file = serializers.FileField()
        create_tags = serializers.BooleanField(
            default=False, help_text="Create tags for unknown labels (owner only)."
        )
        document = serializers.IntegerField(
            required=False,
            min_value=1,
            help_text="W3C and Hypothesis only: every annotation on this document.",
        )

    class OutputSerializer(serializers.Serializer):
        class RefusedSerializer(serializers.Serializer):
            item = serializers.CharField()
            reason = serializers.CharField()

        documents_created = serializers.IntegerField()
        documents_reused = serializers.IntegerField()
        annotations_created = serializers.IntegerField()
        annotations_skipped = serializers.IntegerField()
        tags_created = serializers.ListField(child=serializers.CharField())
        refused = RefusedSerializer(many=True)

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="Import annotations (analyst; owner to create tags)",
        parameters=[SLUG_PARAM],
        request={"multipart/form-data": InputSerializer},
        responses={200: OutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, slug: str, **kwargs):
        project = access_project(request.user, slug, Role.ANALYST)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["create_tags"]:
            check_role(request.user, project, Role.OWNER)
        extra = {}
        if values.get("document"):
            if values["format"] not in ANCHORED:
                raise ApplicationError(
                    "'document' applies to the w3c and hypothesis formats only."
                )
            document = (
                Document.objects.for_user(request.user)
                .filter(project=project, pk=values["document"])
                .first()
            )
            if document is None:
                raise NotFound("No such document in this project.")
            extra["document"] = document
        _, importer = IMPORTERS[values["format"]]
        upload = values["file"]
        result = importer(
            upload.open("rb"),
            project=project,
            user=request.user,
            create_tags=values["create_tags"],
            name=upload.name or "upload",
            **extra,
        )
        return Response(self.OutputSerializer(result.as_dict()).data)


class ArchiveImportView(APIView):
    """Import a project archive as a new project (staff only)."""

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        as_slug = serializers.SlugField(required=False, allow_blank=True, max_length=80)

    class OutputSerializer(serializers.Serializer):
        project = serializers.SlugField(source="project.slug")
        counts = serializers.DictField(child=serializers.IntegerField())
        users_created = serializers.ListField(child=serializers.CharField())
        signed_by = serializers.CharField(
            help_text="Fingerprint of the key that signed the archive ('' if unsigned)."
        )

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="Import a project archive (staff)",
        request={"multipart/form-data": InputSerializer},
        responses={201: OutputSerializer, **WRITE_ERRORS},
    )
    def post(self, request, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied(
                "Only staff can import archives (they create users)."
            )
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = import_archive(
            data.validated_data["file"].open("rb"),
            as_slug=data.validated_data.get("as_slug") or "",
            owner=request.user,
        )
        return Response(
            self.OutputSerializer(result).data, status=status.HTTP_201_CREATED
        )
