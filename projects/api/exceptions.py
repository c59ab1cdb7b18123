"""The API's single error shape: ``{"message": ..., "extra": {...}}``.

Django ``ValidationError``, ``Http404``, ``PermissionDenied`` and our own
``ApplicationError`` all come out in this shape, with the right status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from projects.errors import ApplicationError, ConflictError


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        extra = dict(exc.extra)
        return Response(
            {"message": exc.message, "extra": extra}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, ApplicationError):
        return Response(
            {"message": exc.message, "extra": exc.extra}, status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {"non_field": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"message": "Invalid input.", "extra": {"fields": exc.detail}}
    else:
        message = (
            response.data.get("detail", "") if isinstance(response.data, dict) else ""
        )
        response.data = {"message": str(message), "extra": {}}
    return response


def conflict_with_current(exc: ConflictError, render) -> ConflictError:
    """Put the record's current state, rendered for the API by ``render``,
    into the 409 body as ``extra.current`` (``None`` if it was deleted)."""
    exc.extra["current"] = None if exc.current is None else render(exc.current)
    return exc
