"""Refuse requests whose query or form fields (or cookies and Authorization
header) hold characters nothing can store.

A NUL byte (``%00``) in a query parameter reached PostgreSQL and came back as
a 500 ("A string literal cannot contain NUL characters"); other C0 controls
and invalid UTF-8 (which Django decodes to U+FFFD) are never meaningful in a
filter, a search or a form field either. One guard for every view: the
request is answered 400, naming the field, before any view runs. File
contents in multipart uploads are not fields and are not inspected (the
form is parsed here rather than in the CSRF middleware, which parses it
anyway).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

# C0 controls except tab, newline and carriage return; U+FFFD marks bytes
# that were not valid UTF-8.
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def invalid_field(query) -> tuple[str, str] | None:
    """The first (field, problem) in a QueryDict, or None if all are clean."""
    for key, values in query.lists():
        for text in [key, *values]:
            what = _problem(text)
            if what:
                return key, what
    return None


def _problem(text: str) -> str:
    found = INVALID.search(text)
    if not found:
        return ""
    char = found.group()
    if char == "\ufffd":
        return "invalid UTF-8"
    if char == "\x00":
        return "a NUL byte"
    return f"a control character (U+{ord(char):04X})"


def invalid_credentials(request: HttpRequest) -> tuple[str, str] | None:
    """A cookie or Authorization header that would reach the session or
    token lookup holding a NUL (PostgreSQL refuses it: a 500 otherwise)."""
    for name, value in request.COOKIES.items():
        what = _problem(name) or _problem(value)
        if what:
            return f"cookie {name}", what
    what = _problem(request.META.get("HTTP_AUTHORIZATION", ""))
    if what:
        return "Authorization header", what
    return None


def _form_problem(request: HttpRequest) -> tuple[str, str] | None:
    try:
        return invalid_field(request.POST)
    except Exception:  # a malformed body is the view's (and Django's) to refuse
        return None


class RejectInvalidParametersMiddleware:
    """Answer 400 (JSON under /api/) when a query or form field is unusable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = invalid_field(request.GET) or invalid_credentials(request)
        if problem is None and request.content_type in FORMS:
            problem = _form_problem(request)
        if problem is None:
            return self.get_response(request)
        field, what = problem
        message = f"The parameter {field!r} contains {what}; remove it and try again."
        if request.path.startswith("/api/"):
            # The API's single error shape (projects/api/exceptions.py).
            return JsonResponse(
                {"message": message, "extra": {"field": field}}, status=400
            )
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
