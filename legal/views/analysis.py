"""Read-only analysis pages: evidence matrix, timeline, reports and brief."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from legal.matrix import matrix_build, matrix_drilldown
from legal.models import Criterion, Element
from legal.reports import brief_filename, brief_html, brief_pdf
from legal.selectors import project_criteria
from legal.timeline import claims_by_first_report, timeline_build, timeline_chart
from legal.views._common import claim_for, page_context
from projects.htmx import page_or_partial
from projects.models import Role
from projects.params import parse_id
from projects.permissions import ProjectRequest, project_view


@project_view(Role.VIEWER)
@require_GET
def matrix_view(request: ProjectRequest, slug: str) -> HttpResponse:
    project = request.project
    criterion = None
    criterion_id = parse_id(request.GET.get("criterion"))
    if criterion_id:
        criterion = project_criteria(project).filter(pk=criterion_id).first()
    matrix = matrix_build(
        project=project,
        criterion=criterion,
        page=request.GET.get("page", 1),
        user=request.user,
    )
    # One reverse for 200 rows: reversing per row costs more than the SQL.
    drill = reverse("matrix-drilldown", kwargs={"slug": slug, "epk": 0})[: -len("0/")]
    for block in matrix.blocks:
        for row in block.rows:
            row.drill_url = f"{drill}{row.element.pk}/"  # type: ignore[attr-defined]
    return TemplateResponse(
        request,
        "legal/matrix.html",
        page_context(
            request,
            matrix=matrix,
            criterion=criterion,
            criteria=Criterion.objects.filter(framework__project=project).only(
                "pk", "code", "title"
            ),
            active_tab="matrix",
        ),
    )


@project_view(Role.VIEWER)
@require_GET
def matrix_drilldown_view(request: ProjectRequest, slug: str, epk: int) -> HttpResponse:
    project = request.project
    element = get_object_or_404(
        Element.objects.select_related("criterion"),
        criterion__framework__project=project,
        pk=epk,
    )
    claim = None
    if parse_id(request.GET.get("claim")):
        claim = claim_for(request, request.GET["claim"])
    return page_or_partial(
        request,
        page="legal/drilldown.html",
        partial="legal/_drilldown.html",
        context=page_context(
            request,
            element=element,
            claim=claim,
            assessments=matrix_drilldown(
                project=project, element=element, claim=claim, user=request.user
            ),
            active_tab="matrix",
        ),
    )


@project_view(Role.VIEWER)
@require_GET
def timeline_view(request: ProjectRequest, slug: str) -> HttpResponse:
    project = request.project
    timeline = timeline_build(project=project, user=request.user)
    present = [c for c, _ in timeline.counts_present]
    counts = request.GET.get("counts") or ("killed" if "killed" in present else "")
    if counts not in present:
        counts = present[0] if present else ""
    return TemplateResponse(
        request,
        "legal/timeline.html",
        page_context(
            request,
            timeline=timeline,
            counts=counts,
            chart=timeline_chart(timeline, counts=counts) if counts else "",
            rows=[p for p in timeline.points if p.quantity.counts == counts],
            claims=claims_by_first_report(project=project, user=request.user)[:200],
            active_tab="timeline",
        ),
    )


@project_view(Role.VIEWER)
@require_GET
def reports_view(request: ProjectRequest, slug: str) -> HttpResponse:
    return TemplateResponse(
        request,
        "legal/reports.html",
        page_context(
            request, criteria=project_criteria(request.project), active_tab="reports"
        ),
    )


def _report_criterion(request: ProjectRequest) -> Criterion | None:
    value = request.GET.get("criterion", "")
    if not value:
        return None
    criterion_id = parse_id(value)
    if criterion_id is None:
        raise Http404("No such criterion.")
    return get_object_or_404(project_criteria(request.project), pk=criterion_id)


@project_view(Role.VIEWER)
@require_GET
def report_html_view(request: ProjectRequest, slug: str) -> HttpResponse:
    project = request.project
    criterion = _report_criterion(request)
    download = bool(request.GET.get("download"))
    html = brief_html(
        project=project, user=request.user, criterion=criterion, standalone=download
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    if download:
        response["Content-Disposition"] = (
            f'attachment; filename="{brief_filename(project, criterion, "html")}"'
        )
    return response


@project_view(Role.VIEWER)
@require_GET
def report_pdf_view(request: ProjectRequest, slug: str) -> HttpResponse:
    project = request.project
    criterion = _report_criterion(request)
    pdf = brief_pdf(project=project, user=request.user, criterion=criterion)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{brief_filename(project, criterion, "pdf")}"'
    )
    return response
