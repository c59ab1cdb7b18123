"""The agreement page (table and chart) and its CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from annotations.models import Tag
from corpus.models import AssignmentStatus, Document
from projects.errors import ApplicationError
from projects.models import Role
from projects.permissions import project_document, project_view
from review.charts import agreement_svg
from review.selectors import agreement_compute, agreement_csv
from review.services import (
    adjudication_accept,
    adjudication_accept_agreements,
    adjudication_finish,
    adjudication_reject,
    adjudication_view_data,
)


@project_view(Role.REVIEWER)
def agreement_view(request, slug: str):
    """Per-tag alpha, pairwise kappa and span F1 over the compared documents."""
    report = agreement_compute(project=request.project)
    return TemplateResponse(
        request,
        "review/agreement.html",
        {
            "project": request.project,
            "report": report,
            "chart": agreement_svg(report) if report.documents else "",
        },
    )


@project_view(Role.REVIEWER)
def agreement_csv_view(request, slug: str):
    report = agreement_compute(project=request.project)
    response = HttpResponse(
        agreement_csv(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.project.slug}-agreement.csv"'
    )
    return response


@project_view(Role.REVIEWER)
def adjudication_list_view(request, slug: str):
    """Documents with submitted assignments, most submissions first."""
    documents = (
        Document.objects.filter(project=request.project)
        .without_bodies()
        .annotate(
            submitted=Count(
                "assignments",
                filter=Q(assignments__status=AssignmentStatus.SUBMITTED),
            ),
            adjudicated=Count(
                "assignments",
                filter=Q(assignments__status=AssignmentStatus.ADJUDICATED),
            ),
        )
        .filter(Q(submitted__gt=0) | Q(adjudicated__gt=0))
        .order_by("-submitted", "title")
    )
    return TemplateResponse(
        request,
        "review/adjudication_list.html",
        {"project": request.project, "documents": documents},
    )


@project_view(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def adjudicate_view(request, slug: str, pk: int):
    """Annotators' versions per sentence; accept, reject or add spans."""
    document = project_document(request, pk)
    if request.method == "POST":
        try:
            _apply(request, document)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("adjudicate", slug=slug, pk=pk)
    data = adjudication_view_data(document)
    return TemplateResponse(
        request,
        "review/adjudicate.html",
        {
            "project": request.project,
            "document": document,
            "data": data,
            "tags": Tag.objects.filter(project=request.project, is_active=True),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ApplicationError("Offsets must be whole numbers.") from exc


def _apply(request, document: Document) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action == "accept-agreed":
        n = adjudication_accept_agreements(document=document, reviewer=user)
        messages.success(request, f"Accepted {n} span(s) all annotators agreed on.")
        return
    if action == "finish":
        n = adjudication_finish(document=document, reviewer=user)
        messages.success(request, f"Adjudication finished ({n} assignment(s)).")
        return
    tag = Tag.objects.filter(
        project=request.project, pk=request.POST.get("tag") or 0
    ).first()
    if tag is None:
        raise ApplicationError("Choose a tag of this project.")
    if action == "add":
        start, end = _locate(document, request.POST)
        adjudication_accept(
            document=document,
            reviewer=user,
            start=start,
            end=end,
            tag=tag,
            note=request.POST.get("note", "")[:2000],
        )
        messages.success(request, f"Added {tag.name} to the reconciled version.")
        return
    start, end = _int(request.POST.get("start")), _int(request.POST.get("end"))
    if action == "accept":
        adjudication_accept(
            document=document, reviewer=user, start=start, end=end, tag=tag
        )
    elif action == "reject":
        adjudication_reject(
            document=document, reviewer=user, start=start, end=end, tag=tag
        )
    else:
        raise Http404("No such action.")


def _locate(document: Document, data) -> tuple[int, int]:
    """Offsets of a reviewer's new span: given, or found from its exact text."""
    if data.get("start") and data.get("end"):
        return _int(data["start"]), _int(data["end"])
    quote = data.get("quote", "")
    if not quote.strip():
        raise ApplicationError("Type the exact text to tag, or give its offsets.")
    found = []
    index = document.text.find(quote)
    while index != -1 and len(found) < 3:
        found.append(index)
        index = document.text.find(quote, index + 1)
    if not found:
        raise ApplicationError("That text does not occur in the document.")
    if len(found) > 1:
        raise ApplicationError(
            "That text occurs more than once; give the start and end offsets "
            f"(first occurrences start at {', '.join(map(str, found))})."
        )
    return found[0], found[0] + len(quote)
