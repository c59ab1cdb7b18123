"""Exchange API: the taxonomy (tags), exports and imports.

Reads need the viewer role; tag writes need the owner role (the taxonomy
is the owner's); span imports need the analyst role (owner to create
tags); the archive export needs the owner role (it holds every member's
history and e-mail address); archive import is for staff, since it
creates users.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from corpus.models import Document
from exchange.api.serializers import (
    ArchiveImportInput,
    ArchiveImportOutput,
    ExportInput,
    ImportInput,
    ImportOutput,
)
from exchange.exports import FORMATS
from exchange.imports.archive import import_archive
from exchange.imports.formats import IMPORTERS
from projects.api.schema import SLUG_PARAM, WRITE_ERRORS
from projects.models import Role
from projects.permissions import ProjectRolePermission, access_project, check_role


def export_response(project, key: str, *, base_url: str) -> StreamingHttpResponse:
    """A streaming download of one export (shared by the API and the page)."""
    export = FORMATS[key]
    response = StreamingHttpResponse(
        export.stream(project, base_url=base_url), content_type=export.media_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{export.filename(project)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_role(key: str) -> str:
    return Role.OWNER if key == "archive" else Role.VIEWER


EXPORT_MEDIA = sorted({f.media_type for f in FORMATS.values()})


class FormatIsNotARenderer(DefaultContentNegotiation):
    """``?format=`` names the export here, not DRF's renderer override."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class ExportView(APIView):
    """Stream an export of a project (``?format=`` one of the formats)."""

    permission_classes = [ProjectRolePermission]
    content_negotiation_class = FormatIsNotARenderer

    @extend_schema(
        summary="Export a project",
        parameters=[SLUG_PARAM, ExportInput],
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
        params = ExportInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        key = params.validated_data["format"]
        project = access_project(request.user, slug, export_role(key))
        return export_response(
            project, key, base_url=request.build_absolute_uri("/").rstrip("/")
        )


class ImportView(APIView):
    """Import doccano, Label Studio or W3C annotations into a project."""

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="Import annotations (analyst; owner to create tags)",
        parameters=[SLUG_PARAM],
        request={"multipart/form-data": ImportInput},
        responses={200: ImportOutput, **WRITE_ERRORS},
    )
    def post(self, request, slug: str, **kwargs):
        project = access_project(request.user, slug, Role.ANALYST)
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["create_tags"]:
            check_role(request.user, project, Role.OWNER)
        extra = {}
        if values.get("document"):
            if values["format"] != "w3c":
                return Response(
                    {
                        "message": "'document' applies to the w3c format only.",
                        "extra": {},
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            document = Document.objects.filter(
                project=project, pk=values["document"]
            ).first()
            if document is None:
                return Response(
                    {"message": "No such document in this project.", "extra": {}},
                    status=status.HTTP_404_NOT_FOUND,
                )
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
        return Response(ImportOutput(result.as_dict()).data)


class ArchiveImportView(APIView):
    """Import a project archive as a new project (staff only)."""

    permission_classes = [ProjectRolePermission]

    @extend_schema(
        summary="Import a project archive (staff)",
        request={"multipart/form-data": ArchiveImportInput},
        responses={201: ArchiveImportOutput, **WRITE_ERRORS},
    )
    def post(self, request, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied(
                "Only staff can import archives (they create users)."
            )
        data = ArchiveImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = import_archive(
            data.validated_data["file"].open("rb"),
            as_slug=data.validated_data.get("as_slug") or "",
            owner=request.user,
        )
        return Response(
            ArchiveImportOutput(result).data, status=status.HTTP_201_CREATED
        )
