"""History pages: the whole project (filterable), one object, exports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.template.response import TemplateResponse

from audit.exports import history_csv, history_jsonl
from audit.labels import history_label
from audit.models import HistoryAction, HistoryEntry
from audit.selectors import history_allowed, history_changes, history_filter
from projects.models import Role
from projects.permissions import project_view


def _check(request) -> None:
    if not history_allowed(request.membership, request.project):
        raise PermissionDenied(
            "Blind mode is on: only reviewers and owners read the history."
        )


@project_view(Role.VIEWER)
def project_history_view(request, slug: str):
    _check(request)
    entries = history_filter(request.project, request.GET).reverse()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.changes = history_changes(entry)  # type: ignore[attr-defined]  # for the template
    history_label(page, request.project)
    types = (
        HistoryEntry.objects.filter(project=request.project)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "audit/history.html",
        {
            "project": request.project,
            "page": page,
            "types": types,
            "actions": HistoryAction.choices,
            "filters": request.GET,
            "query": query.urlencode(),
        },
    )


@project_view(Role.VIEWER)
def object_history_view(request, slug: str, object_type: str, object_id: int):
    _check(request)
    entries = list(
        HistoryEntry.objects.filter(
            project=request.project, object_type=object_type, object_id=object_id
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    for entry in entries:
        entry.changes = history_changes(entry)  # type: ignore[attr-defined]  # for the template
    history_label(entries, request.project)
    return TemplateResponse(
        request,
        "audit/object_history.html",
        {
            "project": request.project,
            "entries": entries,
            "object_type": object_type,
            "object_id": object_id,
            # No entry: an object made before its kind was recorded (or
            # none at all): the page says so, for any id alike.
            "label": entries[-1].label if entries else "",  # type: ignore[attr-defined]
            "current": entries[-1].after if entries else None,
        },
    )


@project_view(Role.VIEWER)
def history_export_view(request, slug: str, fmt: str):
    _check(request)
    entries = history_filter(request.project, request.GET)
    if fmt == "csv":
        body, content_type = history_csv(entries), "text/csv; charset=utf-8"
    elif fmt == "jsonl":
        body, content_type = history_jsonl(entries), "application/x-ndjson"
    else:
        raise Http404("Export as .csv or .jsonl.")
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{request.project.slug}-history.{fmt}"'
    )
    return response
