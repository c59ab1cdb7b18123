"""Shared OpenAPI pieces: component names, the documented error responses."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import Direction, OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class AutoSchema(SpectacularAutoSchema):
    """Names components after the API class that nests the serializer.

    Every endpoint nests its own ``InputSerializer``/``OutputSerializer``, so
    class names repeat across views; the schema names them by their
    qualified name instead: ``TagViewSet.CreateInputSerializer`` becomes
    ``TagCreateInput``, ``SearchView.OutputSerializer`` ``SearchOutput``.
    Module-level serializers keep their own name.
    """

    def get_serializer_name(
        self, serializer: serializers.Serializer, direction: Direction
    ) -> str:
        qualname = type(serializer).__qualname__
        if "." not in qualname or "<locals>" in qualname:
            return super().get_serializer_name(serializer, direction)
        return "".join(_strip_suffix(part) for part in qualname.split("."))


def _strip_suffix(name: str) -> str:
    for suffix in ("ViewSet", "View", "Serializer"):
        if name.endswith(suffix) and name != suffix:
            return name.removesuffix(suffix)
    return name


class ErrorOutputSerializer(serializers.Serializer):
    """The single error shape of the API (see ``projects/api/exceptions.py``),
    shared by the documented error responses of every endpoint."""

    message = serializers.CharField()
    extra = serializers.DictField()


NOT_FOUND = {
    404: OpenApiResponse(
        ErrorOutputSerializer, description="No such object, or not a member."
    )
}
WRITE_ERRORS = {
    400: OpenApiResponse(
        ErrorOutputSerializer, description="Invalid input; fields say why."
    ),
    403: OpenApiResponse(ErrorOutputSerializer, description="Your role is too low."),
    **NOT_FOUND,
}

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_PARAM = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=SLUG_PATTERN,
    description="The project's slug.",
)
