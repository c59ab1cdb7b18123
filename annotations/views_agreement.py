"""The agreement page (table and chart) and its CSV export."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse

from corpus.models import Role
from corpus.permissions import project_view

from annotations.agreement import agreement_compute, agreement_csv
from annotations.agreement_chart import agreement_svg


@project_view(Role.REVIEWER)
def agreement_view(request, slug: str):
    """Per-tag alpha, pairwise kappa and span F1 over the compared documents."""
    report = agreement_compute(project=request.project)
    return TemplateResponse(
        request,
        "trust/agreement.html",
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
