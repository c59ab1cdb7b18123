"""Assessment writes: create one for a claim, edit or delete it.

The claim page posts these through htmx and swaps in the assessments panel;
without JavaScript they redirect back to the claim with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from legal.forms import AssessmentCreateForm, AssessmentEditForm
from legal.models import Assessment, Claim, Finding
from legal.selectors import claim_overview, framework_elements
from legal.services.assessments import (
    assessment_can_edit,
    assessment_create,
    assessment_delete,
    assessment_update,
)
from legal.views._common import assessments_for, claim_for, page_context
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.htmx import wants_partial
from projects.models import Role
from projects.permissions import ProjectRequest, project_view


def _panel(
    request: ProjectRequest, claim: Claim, form: Form | None = None
) -> HttpResponse:
    """The assessments panel (htmx) or a redirect back to the claim.

    A ``form`` with errors is shown above the panel (status 400); the
    create form keeps what the user typed.
    """
    error = form_errors_from(form) if form is not None else ""
    if not wants_partial(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Assessment saved.")
        return redirect("claim-detail", slug=request.project.slug, pk=claim.pk)
    if not isinstance(form, AssessmentCreateForm):
        form = AssessmentCreateForm(project=request.project)
    return TemplateResponse(
        request,
        "legal/_assessments.html",
        page_context(
            request,
            claim=claim,
            assessments=assessments_for(request, claim),
            overview=claim_overview(claim, user=request.user),
            elements=list(framework_elements(request.project)),
            findings=Finding.choices,
            error=error,
            form=form,
        ),
        status=400 if error else 200,
    )


@project_view(Role.ANALYST)
@require_POST
def assessment_create_view(request: ProjectRequest, slug: str, pk: int) -> HttpResponse:
    claim = claim_for(request, pk)
    form = AssessmentCreateForm(
        request.POST, project=request.project, user=request.user
    )
    if not form.is_valid():
        return _panel(request, claim, form)
    try:
        assessment_create(claim=claim, user=request.user, **form.cleaned_data)
    except (ApplicationError, ValidationError) as exc:
        form_errors_from(form, exc)
        return _panel(request, claim, form)
    return _panel(request, claim)


@project_view(Role.ANALYST)
@require_POST
def assessment_edit_view(
    request: ProjectRequest, slug: str, pk: int, apk: int
) -> HttpResponse:
    """Change an assessment, or delete it (``delete`` set)."""
    claim = claim_for(request, pk)
    assessment = get_object_or_404(Assessment, claim=claim, pk=apk)
    if not assessment_can_edit(request.user, assessment, request.membership):
        raise PermissionDenied("Only the author or a reviewer may change this.")
    form = AssessmentEditForm(request.POST)
    if not form.is_valid():
        return _panel(request, claim, form)
    version = form.cleaned_data["version"]
    try:
        if form.cleaned_data["delete"]:
            assessment_delete(
                assessment=assessment, user=request.user, expected_version=version
            )
        else:
            assessment_update(
                assessment=assessment,
                user=request.user,
                expected_version=version,
                **form.changes(),
            )
    except (ApplicationError, ValidationError) as exc:
        form_errors_from(form, exc)
        return _panel(request, claim, form)
    return _panel(request, claim)
