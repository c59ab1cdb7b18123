"""Whole page or panel: the one choice every htmx-served panel makes.

A panel is one ``_name.html`` template: the page includes it, and the same
view answers an htmx request with the panel alone (django-htmx's
``request.htmx``, set by ``HtmxMiddleware``). Without JavaScript the page
works as before: links and forms load whole pages.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """A request that went through ``HtmxMiddleware`` (a type only)."""

    htmx: HtmxDetails


def wants_partial(request: HttpRequest) -> bool:
    """True when htmx asks for a panel.

    A history restore (the Back button after htmx pushed a URL, with the
    page no longer in htmx's cache) also comes from htmx, but replaces the
    whole body: it gets the page.
    """
    details = cast(HtmxRequest, request).htmx
    return bool(details) and not details.history_restore_request


def page_or_partial(
    request: HttpRequest,
    *,
    page: str,
    partial: str,
    context: dict[str, Any],
    status: int = 200,
) -> TemplateResponse:
    """``partial`` for htmx, else ``page`` (which includes ``partial``).

    The panel alone gets ``htmx_partial`` (true) in its context, so it
    shows the flash messages the page would show above it.
    ``Vary: HX-Request``: a cache must not answer a page load with a panel.
    """
    alone = wants_partial(request)
    response = TemplateResponse(
        request,
        partial if alone else page,
        {**context, "htmx_partial": alone},
        status=status,
    )
    patch_vary_headers(response, ("HX-Request",))
    return response
