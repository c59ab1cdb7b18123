"""Shared OpenAPI pieces: the documented error responses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from projects.api.serializers import ErrorOutput

NOT_FOUND = {
    404: OpenApiResponse(ErrorOutput, description="No such object, or not a member.")
}
READ_ERRORS = {**NOT_FOUND}
WRITE_ERRORS = {
    400: OpenApiResponse(ErrorOutput, description="Invalid input; fields say why."),
    403: OpenApiResponse(ErrorOutput, description="Your role is too low."),
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
