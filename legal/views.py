"""HTML views of the legal analysis: claims, assessments, framework, matrix,
timeline and reports.

Thin: each view checks membership through ``corpus.permissions``, calls a
service or selector, and renders. Reads need the viewer role, claim and
assessment writes the analyst role, framework edits the owner role.
"""

from __future__ import annotations

import json
from datetime import date

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.models import Annotation
from legal.framework_format import framework_dump, framework_parse
from legal.linking import (
    propose_claims_for_annotation,
    propose_mentions_for_claim,
    propose_similar_claims,
)
from legal.matrix import matrix_build, matrix_drilldown
from legal.models import (
    Assessment,
    Claim,
    ClaimantType,
    ClaimKind,
    ClaimQuantity,
    Criterion,
    Element,
    EvidenceStatus,
    Finding,
    Framework,
    QuantityBound,
    QuantityCounts,
)
from legal.reports import brief_filename, brief_html, brief_pdf
from legal.selectors import claim_assessments, claim_list, claim_overview
from legal.services.assessments import (
    assessment_can_edit,
    assessment_create,
    assessment_delete,
    assessment_update,
)
from legal.services.claims import (
    claim_create,
    claim_delete,
    claim_link_mention,
    claim_quantity_add,
    claim_quantity_remove,
    claim_unlink_mention,
    claim_update,
)
from legal.services.frameworks import (
    criterion_create,
    criterion_update,
    element_create,
    element_update,
    framework_import,
)
from legal.timeline import claims_by_first_report, timeline_build, timeline_chart
from projects.errors import ApplicationError, ConflictError
from projects.models import Role
from projects.params import parse_id
from projects.permissions import access_project, membership_for


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ApplicationError):
        return exc.message
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(
                f"{'' if k == '__all__' else k + ': '}{' '.join(v)}"
                for k, v in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(f"{value!r} is not a date (use YYYY-MM-DD).") from exc


def _pk(value) -> int:
    """A primary key from a form or query value; 404 for anything else."""
    parsed = parse_id(value)
    if parsed is None:
        raise Http404("No such object.")
    return parsed


def _assessments_for(user, project, claim) -> list:
    """The claim's assessments, each marked ``editable`` for ``user``."""
    membership = membership_for(user, project)
    assessments = list(claim_assessments(claim))
    for assessment in assessments:
        assessment.editable = assessment_can_edit(user, assessment, membership)
    return assessments


def _base(request, project, **extra) -> dict:
    membership = membership_for(request.user, project)
    return {
        "project": project,
        "membership": membership,
        "can_write": membership is not None and membership.allows(Role.ANALYST),
        "is_owner": membership is not None and membership.allows(Role.OWNER),
        **extra,
    }


def _claim_for(project, pk) -> Claim:
    return get_object_or_404(Claim, project=project, pk=_pk(str(pk)))


# --- Claims -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim_list_view(request, slug):
    """The project's claims with filters; POST creates a claim."""
    if request.method == "POST":
        project = access_project(request.user, slug, Role.ANALYST)
        annotation = None
        if request.POST.get("annotation"):
            annotation = get_object_or_404(
                Annotation, project=project, pk=_pk(request.POST["annotation"])
            )
        try:
            claim = claim_create(
                project=project,
                user=request.user,
                proposition=request.POST.get("proposition", ""),
                claimant=request.POST.get("claimant", ""),
                claimant_type=request.POST.get(
                    "claimant_type", ClaimantType.UNATTRIBUTED
                ),
                kind=request.POST.get("kind", ClaimKind.FACTUAL),
                evidence_status=request.POST.get(
                    "evidence_status", EvidenceStatus.UNKNOWN
                ),
                event_date=_parse_date(request.POST.get("event_date")),
                note=request.POST.get("note", ""),
                annotation=annotation,
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, f"The claim was not saved: {_error_text(exc)}")
            return redirect("claim-list", slug=slug)
        messages.success(request, "Claim created.")
        return redirect("claim-detail", slug=slug, pk=claim.pk)

    project = access_project(request.user, slug)
    filters = {
        "q": request.GET.get("q", "").strip()[:200],
        "claimant_type": request.GET.get("claimant_type", ""),
        "evidence_status": request.GET.get("evidence_status", ""),
        "kind": request.GET.get("kind", ""),
        "tag": request.GET.get("tag", ""),
    }
    document = request.GET.get("document", "")
    claims = claim_list(
        project=project,
        document=parse_id(document),
        **filters,
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    # Coming from a quote (e.g. the annotator): propose claims it may report.
    source_annotation, annotation_proposals = None, []
    if parse_id(request.GET.get("annotation")):
        source_annotation = get_object_or_404(
            Annotation.objects.select_related("document"),
            project=project,
            pk=request.GET["annotation"],
        )
        annotation_proposals = propose_claims_for_annotation(source_annotation)
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "legal/claim_list.html",
        _base(
            request,
            project,
            page=page,
            filters=filters,
            query=query.urlencode(),
            claimant_types=ClaimantType.choices,
            evidence_statuses=EvidenceStatus.choices,
            kinds=ClaimKind.choices,
            tags=project.tags.filter(is_active=True),
            source_annotation=source_annotation,
            annotation_proposals=annotation_proposals,
            active_tab="claims",
        ),
    )


def _elements_for(project):
    return (
        Element.objects.filter(criterion__framework__project=project)
        .select_related("criterion")
        .order_by("criterion__framework__name", "criterion__order", "order")
    )


@login_required
@require_GET
def claim_detail_view(request, slug, pk):
    """A claim: mentions with quotes and hashes, proposals, figures,
    assessments and the forms to change them."""
    project = access_project(request.user, slug)
    claim = _claim_for(project, pk)
    overview = claim_overview(claim)
    mention_tags = {
        t.key for row in overview.mentions for t in row.annotation.tags.all()
    }
    elements = list(_elements_for(project))
    suggested = [e for e in elements if mention_tags & set(e.tags)][:12]
    assessments = _assessments_for(request.user, project, claim)
    return TemplateResponse(
        request,
        "legal/claim_detail.html",
        _base(
            request,
            project,
            claim=claim,
            overview=overview,
            proposals=propose_mentions_for_claim(claim),
            similar=propose_similar_claims(claim, limit=3),
            quantities=claim.quantities.select_related("annotation").order_by("pk"),
            assessments=assessments,
            elements=elements,
            suggested_elements=suggested,
            findings=Finding.choices,
            claimant_types=ClaimantType.choices,
            evidence_statuses=EvidenceStatus.choices,
            kinds=ClaimKind.choices,
            counts_choices=QuantityCounts.choices,
            bound_choices=QuantityBound.choices,
            form={"element": request.GET.get("element", "")},
            active_tab="claims",
        ),
    )


@login_required
@require_POST
def claim_edit_view(request, slug, pk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    fields = {
        name: request.POST.get(name, "")
        for name in (
            "proposition",
            "claimant",
            "claimant_type",
            "kind",
            "evidence_status",
            "note",
        )
        if name in request.POST
    }
    try:
        if "event_date" in request.POST:
            fields["event_date"] = _parse_date(request.POST["event_date"])
        claim_update(
            claim=claim,
            user=request.user,
            expected_version=int(request.POST.get("version", 0)),
            **fields,
        )
        messages.success(request, "Claim saved.")
    except ConflictError as exc:
        messages.error(request, exc.message)
    except (ApplicationError, ValidationError, ValueError) as exc:
        messages.error(request, f"Not saved: {_error_text(exc)}")
    return redirect("claim-detail", slug=slug, pk=pk)


@login_required
@require_POST
def claim_delete_view(request, slug, pk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    try:
        claim_delete(
            claim=claim,
            user=request.user,
            expected_version=int(request.POST.get("version", 0)),
        )
    except (ConflictError, ValueError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("claim-detail", slug=slug, pk=pk)
    messages.success(request, "Claim deleted; its history is kept.")
    return redirect("claim-list", slug=slug)


def _annotation_in(project, request) -> Annotation:
    return get_object_or_404(
        Annotation, project=project, pk=_pk(request.POST.get("annotation"))
    )


@login_required
@require_POST
def claim_link_view(request, slug, pk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    annotation = _annotation_in(project, request)
    claim_link_mention(claim=claim, annotation=annotation, user=request.user)
    messages.success(request, f"Linked the quote “{annotation.quote[:60]}”.")
    return redirect("claim-detail", slug=slug, pk=pk)


@login_required
@require_POST
def claim_unlink_view(request, slug, pk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    annotation = _annotation_in(project, request)
    try:
        claim_unlink_mention(claim=claim, annotation=annotation, user=request.user)
        messages.success(request, "Mention unlinked.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("claim-detail", slug=slug, pk=pk)


@login_required
@require_POST
def quantity_add_view(request, slug, pk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    annotation = None
    if request.POST.get("annotation"):
        annotation = _annotation_in(project, request)
    try:
        claim_quantity_add(
            claim=claim,
            user=request.user,
            value=request.POST.get("value", ""),
            counts=request.POST.get("counts", ""),
            bound=request.POST.get("bound", QuantityBound.EXACT),
            cumulative=request.POST.get("cumulative") == "on",
            as_of=_parse_date(request.POST.get("as_of")),
            annotation=annotation,
        )
        messages.success(request, "Figure added.")
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, f"Figure not added: {_error_text(exc)}")
    return redirect("claim-detail", slug=slug, pk=pk)


@login_required
@require_POST
def quantity_remove_view(request, slug, pk, qpk):
    project = access_project(request.user, slug, Role.ANALYST)
    quantity = get_object_or_404(ClaimQuantity, claim__project=project, pk=qpk)
    claim_quantity_remove(quantity=quantity, user=request.user)
    messages.success(request, "Figure removed.")
    return redirect("claim-detail", slug=slug, pk=pk)


# --- Assessments ------------------------------------------------------------


def _assessment_response(request, project, claim, assessment=None, error="", form=None):
    """The assessments panel (htmx) or a redirect back to the claim."""
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Assessment saved.")
        return redirect("claim-detail", slug=project.slug, pk=claim.pk)
    assessments = _assessments_for(request.user, project, claim)
    return TemplateResponse(
        request,
        "legal/_assessments.html",
        _base(
            request,
            project,
            claim=claim,
            assessments=assessments,
            overview=claim_overview(claim),
            elements=list(_elements_for(project)),
            findings=Finding.choices,
            error=error,
            form=form or {},
        ),
        status=400 if error else 200,
    )


@login_required
@require_POST
def assessment_create_view(request, slug, pk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    element = None
    if request.POST.get("element"):
        element = get_object_or_404(
            Element,
            criterion__framework__project=project,
            pk=_pk(request.POST["element"]),
        )
    try:
        assessment_create(
            claim=claim,
            user=request.user,
            element=element,
            finding=request.POST.get("finding", ""),
            rationale=request.POST.get("rationale", ""),
            sources=[_pk(s) for s in request.POST.getlist("sources")],
        )
    except (ApplicationError, ValidationError) as exc:
        return _assessment_response(
            request, project, claim, error=_error_text(exc), form=request.POST
        )
    return _assessment_response(request, project, claim)


@login_required
@require_POST
def assessment_edit_view(request, slug, pk, apk):
    project = access_project(request.user, slug, Role.ANALYST)
    claim = _claim_for(project, pk)
    assessment = get_object_or_404(Assessment, claim=claim, pk=apk)
    if not assessment_can_edit(request.user, assessment):
        raise PermissionDenied("Only the author or a reviewer may change this.")
    try:
        if request.POST.get("delete"):
            assessment_delete(
                assessment=assessment,
                user=request.user,
                expected_version=int(request.POST.get("version", 0)),
            )
        else:
            assessment_update(
                assessment=assessment,
                user=request.user,
                expected_version=int(request.POST.get("version", 0)),
                finding=request.POST.get("finding"),
                rationale=request.POST.get("rationale"),
                sources=[_pk(s) for s in request.POST.getlist("sources")],
            )
    except (ApplicationError, ValidationError, ValueError) as exc:
        return _assessment_response(request, project, claim, error=_error_text(exc))
    return _assessment_response(request, project, claim)


# --- Framework --------------------------------------------------------------


@login_required
@require_GET
def framework_view(request, slug):
    """The project's frameworks: criteria and elements; owners edit here."""
    project = access_project(request.user, slug)
    frameworks = project.frameworks.prefetch_related(
        Prefetch(
            "criteria",
            queryset=Criterion.objects.prefetch_related("elements").order_by("order"),
        )
    )
    return TemplateResponse(
        request,
        "legal/framework.html",
        _base(
            request,
            project,
            frameworks=frameworks,
            tag_keys=list(project.tags.values_list("key", flat=True)),
            active_tab="framework",
        ),
    )


@login_required
@require_GET
def framework_export_view(request, slug, fpk):
    project = access_project(request.user, slug)
    framework = get_object_or_404(Framework, project=project, pk=fpk)
    data = framework_dump(framework)
    if request.GET.get("format") == "json":
        body = json.dumps(data, indent=2, ensure_ascii=False)
        content_type, ext = "application/json", "json"
    else:
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
        content_type, ext = "application/yaml", "yaml"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="framework-{framework.key}.{ext}"'
    )
    return response


@login_required
@require_POST
def framework_import_view(request, slug):
    """Owners upload or paste YAML/JSON; "preview" shows the dry run."""
    project = access_project(request.user, slug, Role.OWNER)
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            data = framework_parse(upload.read(), name=upload.name)
        else:
            data = framework_parse(request.POST.get("text", ""))
        preview, framework = framework_import(
            project=project,
            user=request.user,
            data=data,
            dry_run=request.POST.get("action") != "import",
        )
    except ValidationError as exc:
        return TemplateResponse(
            request,
            "legal/framework_import.html",
            _base(request, project, problems=exc.messages, active_tab="framework"),
            status=400,
        )
    if framework is None:
        text = request.POST.get("text", "")
        if upload is not None:
            upload.seek(0)
            text = upload.read().decode("utf-8-sig", errors="replace")
        return TemplateResponse(
            request,
            "legal/framework_import.html",
            _base(request, project, preview=preview, text=text, active_tab="framework"),
        )
    messages.success(
        request, f"Imported {framework.name}: {preview.changes} changes applied."
    )
    return redirect("framework", slug=slug)


@login_required
@require_POST
def framework_edit_view(request, slug):
    """Owners edit one criterion or element, or add one."""
    project = access_project(request.user, slug, Role.OWNER)
    what = request.POST.get("what")
    try:
        if what == "element":
            element = get_object_or_404(
                Element,
                criterion__framework__project=project,
                pk=_pk(request.POST.get("pk")),
            )
            element_update(
                element=element,
                user=request.user,
                question=request.POST.get("question"),
                tags=request.POST.get("tags", ""),
            )
        elif what == "element-new":
            criterion = get_object_or_404(
                Criterion,
                framework__project=project,
                pk=_pk(request.POST.get("criterion")),
            )
            element_create(
                criterion=criterion,
                user=request.user,
                key=request.POST.get("key", ""),
                question=request.POST.get("question", ""),
                tags=request.POST.get("tags", ""),
            )
        elif what == "criterion":
            criterion = get_object_or_404(
                Criterion, framework__project=project, pk=_pk(request.POST.get("pk"))
            )
            criterion_update(
                criterion=criterion,
                user=request.user,
                **{
                    f: request.POST.get(f, "")
                    for f in ("code", "title", "instrument", "article", "paraphrase")
                },
            )
        elif what == "criterion-new":
            framework = get_object_or_404(
                Framework, project=project, pk=_pk(request.POST.get("framework"))
            )
            criterion_create(
                framework=framework,
                user=request.user,
                **{
                    f: request.POST.get(f, "")
                    for f in (
                        "key",
                        "code",
                        "title",
                        "instrument",
                        "article",
                        "paraphrase",
                        "group",
                    )
                },
            )
        else:
            raise ValidationError("Unknown edit.")
        messages.success(request, "Framework saved.")
    except ValidationError as exc:
        messages.error(request, f"Not saved: {_error_text(exc)}")
    return redirect(reverse("framework", kwargs={"slug": slug}) + "#edit")


# --- Matrix -----------------------------------------------------------------


@login_required
@require_GET
def matrix_view(request, slug):
    project = access_project(request.user, slug)
    criterion = None
    if parse_id(request.GET.get("criterion")):
        criterion = Criterion.objects.filter(
            framework__project=project, pk=request.GET["criterion"]
        ).first()
    matrix = matrix_build(
        project=project, criterion=criterion, page=request.GET.get("page", 1)
    )
    # One reverse for 200 rows: reversing per row costs more than the SQL.
    drill = reverse("matrix-drilldown", kwargs={"slug": slug, "epk": 0})[: -len("0/")]
    for block in matrix.blocks:
        for row in block.rows:
            row.drill_url = f"{drill}{row.element.pk}/"
    return TemplateResponse(
        request,
        "legal/matrix.html",
        _base(
            request,
            project,
            matrix=matrix,
            criterion=criterion,
            criteria=Criterion.objects.filter(framework__project=project).only(
                "pk", "code", "title"
            ),
            active_tab="matrix",
        ),
    )


@login_required
@require_GET
def matrix_drilldown_view(request, slug, epk):
    project = access_project(request.user, slug)
    element = get_object_or_404(
        Element.objects.select_related("criterion"),
        criterion__framework__project=project,
        pk=epk,
    )
    claim = None
    if parse_id(request.GET.get("claim")):
        claim = _claim_for(project, request.GET["claim"])
    template = "legal/_drilldown.html" if _is_htmx(request) else "legal/drilldown.html"
    return TemplateResponse(
        request,
        template,
        _base(
            request,
            project,
            element=element,
            claim=claim,
            assessments=matrix_drilldown(project=project, element=element, claim=claim),
            active_tab="matrix",
        ),
    )


# --- Timeline ---------------------------------------------------------------


@login_required
@require_GET
def timeline_view(request, slug):
    project = access_project(request.user, slug)
    timeline = timeline_build(project=project)
    present = [c for c, _ in timeline.counts_present]
    counts = request.GET.get("counts") or ("killed" if "killed" in present else "")
    if counts not in present:
        counts = present[0] if present else ""
    return TemplateResponse(
        request,
        "legal/timeline.html",
        _base(
            request,
            project,
            timeline=timeline,
            counts=counts,
            chart=timeline_chart(timeline, counts=counts) if counts else "",
            rows=[p for p in timeline.points if p.quantity.counts == counts],
            claims=claims_by_first_report(project=project)[:200],
            active_tab="timeline",
        ),
    )


# --- Reports ----------------------------------------------------------------


@login_required
@require_GET
def reports_view(request, slug):
    project = access_project(request.user, slug)
    return TemplateResponse(
        request,
        "legal/reports.html",
        _base(
            request,
            project,
            criteria=Criterion.objects.filter(framework__project=project).order_by(
                "framework__name", "order"
            ),
            active_tab="reports",
        ),
    )


def _report_criterion(request, project):
    value = request.GET.get("criterion", "")
    if not value:
        return None
    if parse_id(value) is None:
        raise Http404("No such criterion.")
    return get_object_or_404(Criterion, framework__project=project, pk=value)


@login_required
@require_GET
def report_html_view(request, slug):
    project = access_project(request.user, slug)
    criterion = _report_criterion(request, project)
    html = brief_html(project=project, user=request.user, criterion=criterion)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = (
            f'attachment; filename="{brief_filename(project, criterion, "html")}"'
        )
    return response


@login_required
@require_GET
def report_pdf_view(request, slug):
    project = access_project(request.user, slug)
    criterion = _report_criterion(request, project)
    pdf = brief_pdf(project=project, user=request.user, criterion=criterion)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{brief_filename(project, criterion, "pdf")}"'
    )
    return response
