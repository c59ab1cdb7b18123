"""Incident pages: the register (with create), one incident, its writes,
grades and the campaign's tallies.

Reads need the viewer role, every POST the analyst role. Each POST goes
through a form of ``legal.forms`` and one service; an error comes back as
a message naming the field and nothing is written. Figures are read through
``legal.incident_selectors``, which applies blind mode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corpus.models import Source
from legal.contradictions import Report, find_contradictions
from legal.forms import (
    ClaimGradeForm,
    IncidentClaimForm,
    IncidentEditForm,
    IncidentForm,
    ProposalDecisionForm,
    QuantityGradeForm,
    SourceGradeForm,
    VersionForm,
)
from legal.incident_charts import campaign_svg, map_svg
from legal.incident_exports import incidents_csv, incidents_geojson
from legal.incident_proposals import incident_proposals
from legal.incident_selectors import (
    CREDIBILITY_CHOICES,
    RELIABILITY_CHOICES,
    SORTS,
    FigureRow,
    filter_by_grade,
    incident_list,
    incident_overview,
    project_memo,
    register_rows,
    register_sequence,
)
from legal.models import (
    Assessment,
    Claim,
    Credibility,
    DatePrecision,
    Incident,
    IncidentStatus,
    ProposalKind,
    ProposalRejection,
    Reliability,
)
from legal.services.grades import claim_grade_set, quantity_grade_set, source_grade_set
from legal.services.incidents import (
    incident_create,
    incident_delete,
    incident_from_claims,
    incident_link_claim,
    incident_merge,
    incident_unlink_claim,
    incident_update,
    proposal_reject,
)
from legal.tallies import tally_checks
from legal.views._common import page_context
from projects.errors import ApplicationError, ConflictError
from projects.forms import form_errors_from
from projects.models import Role
from projects.params import parse_id
from projects.permissions import ProjectRequest, project_view, require_role


def incident_for(request: ProjectRequest, pk: Any) -> Incident:
    """The incident ``pk`` of the request's project; 404 for anything else,
    and, while the project is blind, for another analyst's incident."""
    parsed = parse_id(pk)
    if parsed is None:
        raise Http404("No such incident.")
    incident = get_object_or_404(
        Incident.objects.for_member(request.user, request.project), pk=parsed
    )
    incident.project = request.project  # already loaded: no second query
    return incident


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()) if raw else None
    except ValueError:
        return None


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def incident_list_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """The incident register, sortable and filtered; POST creates one."""
    if request.method == "POST":
        return _incident_create(request, slug)
    filters = {
        "q": request.GET.get("q", "").strip()[:200],
        "status": request.GET.get("status", ""),
        "area": request.GET.get("area", "").strip()[:200],
    }
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    sort = request.GET.get("sort", "date")
    if sort.lstrip("-") not in SORTS:
        sort = "date"
    reliability = request.GET.get("reliability", "")
    credibility = request.GET.get("credibility", "")
    rows = register_sequence(
        user=request.user,
        project=request.project,
        incidents=incident_list(
            project=request.project, date_from=date_from, date_to=date_to, **filters
        ),
        sort=sort.lstrip("-"),
        descending=sort.startswith("-"),
        reliability=reliability if reliability in dict(RELIABILITY_CHOICES) else "",
        credibility=credibility if credibility in dict(CREDIBILITY_CHOICES) else "",
    )
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return TemplateResponse(
        request,
        "legal/incident_list.html",
        page_context(
            request,
            page=page,
            filters={
                **filters,
                "from": date_from.isoformat() if date_from else "",
                "to": date_to.isoformat() if date_to else "",
                "reliability": reliability,
                "credibility": credibility,
            },
            sort=sort,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            statuses=IncidentStatus.choices,
            precisions=DatePrecision.choices,
            reliabilities=RELIABILITY_CHOICES,
            credibilities=CREDIBILITY_CHOICES,
            active_tab="claims",
        ),
    )


def _incident_create(request: ProjectRequest, slug: str) -> HttpResponse:
    require_role(request, Role.ANALYST)
    form = IncidentForm(request.POST, project=request.project)
    if form.is_valid():
        try:
            incident = incident_create(
                project=request.project, user=request.user, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"Incident {incident.code} created.")
            return redirect("incident-page", slug=slug, pk=incident.pk)
    messages.error(request, f"The incident was not saved: {form_errors_from(form)}")
    return redirect("incidents", slug=slug)


def _flagged(incident: Incident, figures: list[FigureRow]) -> dict[int, str]:
    """Figures that contradict another report of the incident, with why."""
    reports = [
        Report(
            id=f.id,
            value=f.value,
            counts=f.category,
            source=f.source_name,
            bound=f.bound,
            claim_id=incident.pk,
        )
        for f in figures
        if not f.cumulative
    ]
    flagged: dict[int, str] = {}
    for found in find_contradictions(reports):
        flagged.setdefault(found.first.id, found.reason)
        flagged.setdefault(found.second.id, found.reason)
    return flagged


@cache
def _options(choices: tuple[tuple[str, str], ...]) -> dict[str | None, SafeString]:
    """A select's ``<option>`` list for each choice being the selected one
    (or none): built once per process rather than once per row in the
    template, which dominated the incident page's rendering."""

    def html(chosen: str | None) -> SafeString:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if v == chosen else "", label) for v, label in choices),
        )

    return {chosen: html(chosen) for chosen in [None, *(v for v, _ in choices)]}


@dataclass(frozen=True)
class GradeForm:
    """One grade form of the incident page: a figure's or a claim's
    credibility, or a source's reliability. The three differ only in these
    values, so one template (``legal/_grade_form.html``) draws them all."""

    noun: str  # what is graded: "figure", "claim", "source"
    action: str
    hidden: tuple[tuple[str, Any], ...]
    field: str  # the graded field: "credibility" or "reliability"
    empty: str  # what leaving the select empty means
    options: SafeString
    rationale: str
    prefix: str  # element ids: <prefix>g-<pk> and <prefix>r-<pk>
    pk: int

    @property
    def label(self) -> str:
        return self.field.capitalize()


def _prepare_rows(
    slug: str,
    incident: Incident,
    figures: list[FigureRow],
    claims: list[Claim],
    sources: list[Source],
    can_write: bool,
) -> None:
    """Give each row what the template would otherwise compute per row:
    its links and, for analysts, its grade form."""
    documents: dict[int, str] = {}
    for figure in figures:
        if figure.document_id and figure.document_id not in documents:
            documents[figure.document_id] = reverse(
                "annotator", args=[slug, figure.document_id]
            )
        figure.document_url = documents.get(figure.document_id or 0, "")  # type: ignore[attr-defined]
    for claim in claims:
        claim.url = reverse("claim-detail", args=[slug, claim.pk])  # type: ignore[attr-defined]
    if not can_write:
        return
    credibility = _options(tuple(Credibility.choices))
    reliability = _options(tuple(Reliability.choices))

    def action(target: str) -> str:
        return reverse("incident-grade", args=[slug, incident.pk, target])

    for figure in figures:
        figure.grade_form = GradeForm(  # type: ignore[attr-defined]
            noun="figure",
            action=action("figure"),
            hidden=(("quantity", figure.id),),
            field="credibility",
            empty="The claim's grade",
            options=credibility.get(figure.figure_credibility, credibility[None]),
            rationale=figure.credibility_rationale,
            prefix="f",
            pk=figure.id,
        )
    for claim in claims:
        claim.grade_form = GradeForm(  # type: ignore[attr-defined]
            noun="claim",
            action=action("claim"),
            hidden=(("claim", claim.pk), ("version", claim.version)),
            field="credibility",
            empty="Ungraded",
            options=credibility.get(claim.credibility, credibility[None]),
            rationale=claim.credibility_rationale,
            prefix="c",
            pk=claim.pk,
        )
    for source in sources:
        try:
            grade = source.grade
        except ObjectDoesNotExist:
            grade = None
        source.grade_form = GradeForm(  # type: ignore[attr-defined]
            noun="source",
            action=action("source"),
            hidden=(("source", source.pk),),
            field="reliability",
            empty="Ungraded",
            options=reliability.get(
                grade.reliability if grade else None, reliability[None]
            ),
            rationale=grade.rationale if grade else "",
            prefix="s",
            pk=source.pk,
        )


@project_view(Role.VIEWER)
@require_GET
def incident_detail_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    """An incident: facts, casualty ranges, every figure side by side with
    its grade, the claims about it and their legal assessments."""
    incident = incident_for(request, pk)
    overview = incident_overview(user=request.user, incident=incident)
    reliability = request.GET.get("reliability", "")
    credibility = request.GET.get("credibility", "")
    shown = filter_by_grade(
        overview.figures,
        reliability=reliability if reliability in dict(RELIABILITY_CHOICES) else "",
        credibility=credibility if credibility in dict(CREDIBILITY_CHOICES) else "",
    )
    flagged = _flagged(incident, overview.figures)
    for figure in shown:
        figure.flag = flagged.get(figure.id, "")  # type: ignore[attr-defined]
    source_ids = {f.source_id for f in overview.figures if f.source_id}
    sources = list(
        Source.objects.filter(pk__in=source_ids)
        .select_related("grade")
        .order_by("name")
    )
    linked = {c.pk for c in overview.claims}
    candidates = (
        Claim.objects.for_member(request.user, request.project)
        .filter(incident__isnull=True)
        .exclude(pk__in=linked)
        .only("pk", "proposition", "event_date")
        .order_by("-event_date", "-pk")[:200]
    )
    assessments = (
        Assessment.objects.for_user(request.user)
        .filter(claim__incident=incident)
        .select_related("claim", "element__criterion", "criterion", "author")
        .order_by("claim_id", "element__criterion__order", "element__order")
    )
    _prepare_rows(
        slug,
        incident,
        shown,
        overview.claims,
        sources,
        request.membership.allows(Role.ANALYST),
    )
    return TemplateResponse(
        request,
        "legal/incident_detail.html",
        page_context(
            request,
            incident=incident,
            overview=overview,
            figures=shown,
            filtered=len(shown) != len(overview.figures),
            filters={"reliability": reliability, "credibility": credibility},
            contradictions=sorted(set(flagged.values())),
            sources=sources,
            candidates=candidates,
            assessments=assessments,
            statuses=IncidentStatus.choices,
            precisions=DatePrecision.choices,
            reliabilities=RELIABILITY_CHOICES,
            credibilities=CREDIBILITY_CHOICES,
            reliability_grades=Reliability.choices,
            credibility_grades=Credibility.choices,
            active_tab="claims",
        ),
    )


def _back(slug: str, incident: Incident) -> HttpResponse:
    return redirect("incident-page", slug=slug, pk=incident.pk)


@project_view(Role.ANALYST)
@require_POST
def incident_edit_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    incident = incident_for(request, pk)
    form = IncidentEditForm(request.POST, project=request.project)
    if form.is_valid():
        try:
            incident_update(
                incident=incident,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return _back(slug, incident)
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"Incident {incident.code} saved.")
            return _back(slug, incident)
    messages.error(request, f"Not saved: {form_errors_from(form)}")
    return _back(slug, incident)


@project_view(Role.ANALYST)
@require_POST
def incident_delete_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    incident = incident_for(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            incident_delete(
                incident=incident,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request, f"Incident {incident.code} deleted; its claims stay."
            )
            return redirect("incidents", slug=slug)
    messages.error(request, form_errors_from(form))
    return _back(slug, incident)


@project_view(Role.ANALYST)
@require_POST
def incident_claim_view(
    request: ProjectRequest, slug: str, pk: int, action: str
) -> HttpResponse:
    """Link (``action=link``) or unlink a claim of the project."""
    incident = incident_for(request, pk)
    if action not in ("link", "unlink"):
        raise Http404("No such action.")
    form = IncidentClaimForm(request.POST, project=request.project, user=request.user)
    if form.is_valid():
        claim = form.cleaned_data["claim"]
        service = incident_link_claim if action == "link" else incident_unlink_claim
        try:
            service(incident=incident, claim=claim, user=request.user)
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            verb = "Linked" if action == "link" else "Unlinked"
            messages.success(request, f"{verb} the claim “{claim.proposition[:60]}”.")
            return _back(slug, incident)
    messages.error(request, f"Not changed: {form_errors_from(form)}")
    return _back(slug, incident)


GRADE_FORMS = {
    "source": SourceGradeForm,
    "claim": ClaimGradeForm,
    "figure": QuantityGradeForm,
}


@project_view(Role.ANALYST)
@require_POST
def incident_grade_view(
    request: ProjectRequest, slug: str, pk: int, what: str
) -> HttpResponse:
    """Grade a source (A-F), a claim or a figure (1-6) from the incident page."""
    incident = incident_for(request, pk)
    form_class = GRADE_FORMS.get(what)
    if form_class is None:
        raise Http404("No such grade.")
    form = form_class(request.POST, project=request.project, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if what == "source":
                source_grade_set(
                    source=data["source"],
                    user=request.user,
                    reliability=data["reliability"],
                    rationale=data["rationale"],
                )
            elif what == "claim":
                claim_grade_set(
                    claim=data["claim"],
                    user=request.user,
                    expected_version=data["version"],
                    credibility=data["credibility"],
                    rationale=data["rationale"],
                )
            else:
                quantity_grade_set(
                    quantity=data["quantity"],
                    user=request.user,
                    credibility=data["credibility"],
                    rationale=data["rationale"],
                )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return _back(slug, incident)
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Grade saved.")
            return _back(slug, incident)
    messages.error(request, f"Grade not saved: {form_errors_from(form)}")
    return _back(slug, incident)


@project_view(Role.VIEWER)
@require_GET
def tallies_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """The campaign: every tally against the sum of the incidents up to its
    day, the chart of ranges, running sum and tallies, and the map (kept
    per project until its history moves, as the register's aggregates)."""
    project = request.project

    def build() -> dict[str, Any]:
        rows = register_rows(
            user=request.user, project=project, incidents=incident_list(project=project)
        )
        checks = tally_checks(user=request.user, project=project, incidents_rows=rows)
        return {
            "checks": checks,
            "discrepancies": sum(1 for c in checks if c.discrepancy),
            "chart": campaign_svg(rows, checks),
            "map": map_svg(rows),
        }

    campaign = project_memo(
        user=request.user, project=project, name="campaign", build=build
    )
    return TemplateResponse(
        request,
        "legal/tallies.html",
        page_context(request, **campaign, active_tab="claims"),
    )


@project_view(Role.VIEWER)
@require_GET
def incident_export_view(request: ProjectRequest, slug: str, fmt: str) -> HttpResponse:
    """The register as CSV or GeoJSON (what the viewer may see)."""
    if fmt not in ("csv", "geojson"):
        raise Http404("No such export format.")
    rows = register_rows(
        user=request.user,
        project=request.project,
        incidents=incident_list(project=request.project),
    )
    name = f"{request.project.slug}-incidents.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            incidents_csv(rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            json.dumps(incidents_geojson(rows), ensure_ascii=False),
            content_type="application/geo+json",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def incident_proposals_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """Proposed links, new incidents and merges, each with its reasons; an
    analyst accepts or rejects them (rejections are kept)."""
    if request.method == "POST":
        return _proposal_decide(request, slug)
    return TemplateResponse(
        request,
        "legal/incident_proposals.html",
        page_context(
            request,
            proposals=incident_proposals(project=request.project, user=request.user),
            rejected=ProposalRejection.objects.filter(project=request.project)
            .select_related("rejected_by")
            .order_by("-created_at")[:50],
            active_tab="claims",
        ),
    )


def _proposal_decide(request: ProjectRequest, slug: str) -> HttpResponse:
    require_role(request, Role.ANALYST)
    form = ProposalDecisionForm(request.POST)
    back = redirect("incident-proposals", slug=slug)
    if not form.is_valid():
        messages.error(request, f"Nothing decided: {form_errors_from(form)}")
        return back
    key, action = form.cleaned_data["key"], form.cleaned_data["action"]
    found = {
        p.key: p
        for p in incident_proposals(
            project=request.project, limit=10**6, user=request.user
        )
    }
    proposal = found.get(key)
    if proposal is None:
        messages.error(request, "This proposal is no longer open; nothing changed.")
        return back
    try:
        if action == "reject":
            proposal_reject(
                project=request.project,
                user=request.user,
                key=key,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Proposal rejected; it will not come back.")
            return back
        if proposal.kind == ProposalKind.LINK:
            assert proposal.incident is not None
            incident_link_claim(
                incident=proposal.incident, claim=proposal.claims[0], user=request.user
            )
            incident = proposal.incident
        elif proposal.kind == ProposalKind.NEW:
            assert proposal.day is not None
            incident = incident_from_claims(
                project=request.project,
                user=request.user,
                day=proposal.day,
                claims=proposal.claims,
            )
        else:
            assert proposal.incident is not None and proposal.other is not None
            incident = incident_merge(
                target=proposal.incident,
                source=proposal.other,
                user=request.user,
                expected_version=proposal.other.version,
            )
    except ConflictError as exc:
        messages.error(request, exc.message)
        return back
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, f"Not accepted: {form_errors_from(form, exc)}")
        return back
    messages.success(request, f"Accepted: see {incident.code}.")
    return back
