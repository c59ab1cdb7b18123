"""Claim pages: the list (with create), one claim, and the claim's writes.

Reads need the viewer role; every POST needs the analyst role. Each POST is
parsed by a form of ``legal.forms`` and handed to one service; errors come
back as a message naming the field, and nothing is written.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations.models import Annotation
from legal.forms import (
    AssessmentCreateForm,
    ClaimCreateForm,
    ClaimEditForm,
    MentionForm,
    MentionTranslationForm,
    QuantityForm,
    VersionForm,
)
from legal.linking import (
    propose_claims_for_annotation,
    propose_mentions_for_claim,
    propose_similar_claims,
)
from legal.models import (
    ClaimantType,
    ClaimKind,
    ClaimQuantity,
    EvidenceStatus,
    Finding,
    QuantityBound,
    QuantityCounts,
)
from legal.selectors import (
    claim_list,
    claim_overview,
    elements_suggested,
    framework_elements,
)
from legal.services.claims import (
    claim_create,
    claim_delete,
    claim_link_mention,
    claim_mention_translate,
    claim_quantity_add,
    claim_quantity_remove,
    claim_unlink_mention,
    claim_update,
)
from legal.views._common import assessments_for, claim_for, page_context
from projects.errors import ApplicationError, ConflictError
from projects.forms import form_errors_from
from projects.models import Role
from projects.params import parse_id
from projects.permissions import ProjectRequest, project_view, require_role


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def claim_list_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """The project's claims with filters; POST creates a claim."""
    if request.method == "POST":
        return _claim_create(request, slug)
    project = request.project
    filters = {
        "q": request.GET.get("q", "").strip()[:200],
        "claimant_type": request.GET.get("claimant_type", ""),
        "evidence_status": request.GET.get("evidence_status", ""),
        "kind": request.GET.get("kind", ""),
        "tag": request.GET.get("tag", ""),
    }
    claims = claim_list(
        project=project,
        document=parse_id(request.GET.get("document")),
        user=request.user,
        **filters,
    )
    page = Paginator(claims, 50).get_page(request.GET.get("page"))
    # Coming from a quote (e.g. the annotator): propose claims it may report.
    source_annotation, annotation_proposals = None, []
    annotation_id = parse_id(request.GET.get("annotation"))
    if annotation_id:
        source_annotation = get_object_or_404(
            Annotation.objects.for_member(request.user, project).select_related(
                "document"
            ),
            pk=annotation_id,
        )
        annotation_proposals = propose_claims_for_annotation(
            source_annotation, user=request.user
        )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "legal/claim_list.html",
        page_context(
            request,
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


def _claim_create(request: ProjectRequest, slug: str) -> HttpResponse:
    require_role(request, Role.ANALYST)
    form = ClaimCreateForm(request.POST, project=request.project, user=request.user)
    if form.is_valid():
        try:
            claim = claim_create(
                project=request.project, user=request.user, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Claim created.")
            return redirect("claim-detail", slug=slug, pk=claim.pk)
    messages.error(request, f"The claim was not saved: {form_errors_from(form)}")
    return redirect("claim-list", slug=slug)


@project_view(Role.VIEWER)
@require_GET
def claim_detail_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    """A claim: mentions with quotes and hashes, proposals, figures,
    assessments and the forms to change them."""
    claim = claim_for(request, pk)
    overview = claim_overview(claim, user=request.user)
    elements = list(framework_elements(request.project))
    return TemplateResponse(
        request,
        "legal/claim_detail.html",
        page_context(
            request,
            claim=claim,
            overview=overview,
            proposals=propose_mentions_for_claim(claim, user=request.user),
            similar=propose_similar_claims(claim, limit=3, user=request.user),
            quantities=claim.quantities.select_related("annotation").order_by("pk"),
            assessments=assessments_for(request, claim),
            elements=elements,
            suggested_elements=elements_suggested(overview, elements),
            findings=Finding.choices,
            claimant_types=ClaimantType.choices,
            evidence_statuses=EvidenceStatus.choices,
            kinds=ClaimKind.choices,
            counts_choices=QuantityCounts.choices,
            bound_choices=QuantityBound.choices,
            # The new-assessment form, with the element a chip pointed to.
            form=AssessmentCreateForm(
                initial={"element": request.GET.get("element", "")},
                project=request.project,
            ),
            active_tab="claims",
        ),
    )


@project_view(Role.ANALYST)
@require_POST
def claim_edit_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    form = ClaimEditForm(request.POST)
    if form.is_valid():
        try:
            claim_update(
                claim=claim,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("claim-detail", slug=slug, pk=claim.pk)
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Claim saved.")
            return redirect("claim-detail", slug=slug, pk=claim.pk)
    messages.error(request, f"Not saved: {form_errors_from(form)}")
    return redirect("claim-detail", slug=slug, pk=claim.pk)


@project_view(Role.ANALYST)
@require_POST
def claim_delete_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            claim_delete(
                claim=claim,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Claim deleted; its history is kept.")
            return redirect("claim-list", slug=slug)
    messages.error(request, form_errors_from(form))
    return redirect("claim-detail", slug=slug, pk=claim.pk)


@project_view(Role.ANALYST)
@require_POST
def claim_link_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    form = MentionForm(request.POST, project=request.project, user=request.user)
    if form.is_valid():
        annotation = form.cleaned_data["annotation"]
        try:
            claim_link_mention(claim=claim, annotation=annotation, user=request.user)
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"Linked the quote “{annotation.quote[:60]}”.")
            return redirect("claim-detail", slug=slug, pk=claim.pk)
    messages.error(request, f"Not linked: {form_errors_from(form)}")
    return redirect("claim-detail", slug=slug, pk=claim.pk)


@project_view(Role.ANALYST)
@require_POST
def claim_unlink_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    form = MentionForm(request.POST, project=request.project, user=request.user)
    if form.is_valid():
        try:
            claim_unlink_mention(
                claim=claim,
                annotation=form.cleaned_data["annotation"],
                user=request.user,
            )
        except ApplicationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Mention unlinked.")
            return redirect("claim-detail", slug=slug, pk=claim.pk)
    messages.error(request, form_errors_from(form))
    return redirect("claim-detail", slug=slug, pk=claim.pk)


@project_view(Role.ANALYST)
@require_POST
def claim_translate_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    """Save the translation note of one quote of the claim."""
    claim = claim_for(request, pk)
    form = MentionTranslationForm(
        request.POST, project=request.project, user=request.user
    )
    if form.is_valid():
        try:
            mention = claim_mention_translate(
                claim=claim,
                annotation=form.cleaned_data["annotation"],
                user=request.user,
                translation_note=form.cleaned_data["translation_note"],
            )
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                "Translation note saved."
                if mention.translation_note
                else "Translation note removed.",
            )
            return redirect("claim-detail", slug=slug, pk=claim.pk)
    messages.error(request, f"Not saved: {form_errors_from(form)}")
    return redirect("claim-detail", slug=slug, pk=claim.pk)


@project_view(Role.ANALYST)
@require_POST
def quantity_add_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    form = QuantityForm(request.POST, project=request.project, user=request.user)
    if form.is_valid():
        try:
            claim_quantity_add(claim=claim, user=request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Figure added.")
            return redirect("claim-detail", slug=slug, pk=claim.pk)
    messages.error(request, f"Figure not added: {form_errors_from(form)}")
    return redirect("claim-detail", slug=slug, pk=claim.pk)


@project_view(Role.ANALYST)
@require_POST
def quantity_remove_view(
    request: ProjectRequest, slug: str, pk: int, qpk: int
) -> HttpResponse:
    """Remove a figure; the POST carries no fields, the URL names the figure."""
    quantity = get_object_or_404(
        ClaimQuantity.objects.select_related("claim__project"),
        claim__project=request.project,
        claim__pk=pk,
        pk=qpk,
    )
    claim_quantity_remove(quantity=quantity, user=request.user)
    messages.success(request, "Figure removed.")
    return redirect("claim-detail", slug=slug, pk=pk)
