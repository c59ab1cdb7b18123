"""The agreement page (table and chart) and its CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from annotations.models import Tag
from corpus.models import AssignmentStatus, Document
from corpus.permissions import project_document
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.models import Role
from projects.permissions import project_view
from review.charts import agreement_svg
from review.forms import AdjudicationForm
from review.selectors import agreement_compute, agreement_csv, quote_locate
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
        form = AdjudicationForm(request.POST, project=request.project)
        if form.is_valid():
            try:
                done = _adjudicate(request, document, form)
            except ApplicationError as exc:
                form_errors_from(form, exc)
            else:
                if done:
                    messages.success(request, done)
                return redirect("adjudicate", slug=slug, pk=pk)
        messages.error(request, form_errors_from(form))
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


def _adjudicate(request, document: Document, form: AdjudicationForm) -> str:
    """Call the service the valid ``form`` asks for; return what was done.

    Accept and reject return "" (no message: the page shows the change).
    """
    data, user = form.cleaned_data, request.user
    action = data["action"]
    if action == "accept-agreed":
        n = adjudication_accept_agreements(document=document, reviewer=user)
        return f"Accepted {n} span(s) all annotators agreed on."
    if action == "finish":
        n = adjudication_finish(document=document, reviewer=user)
        return f"Adjudication finished ({n} assignment(s))."
    tag = data["tag"]
    start, end = form.offsets or quote_locate(document, data["quote"])
    if action == "add":
        adjudication_accept(
            document=document,
            reviewer=user,
            start=start,
            end=end,
            tag=tag,
            note=data["note"],
        )
        return f"Added {tag.name} to the reconciled version."
    if action == "accept":
        adjudication_accept(
            document=document, reviewer=user, start=start, end=end, tag=tag
        )
        return ""
    adjudication_reject(document=document, reviewer=user, start=start, end=end, tag=tag)
    return ""
