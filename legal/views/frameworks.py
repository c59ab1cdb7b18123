"""The framework page, its export, and the owners' imports and edits."""

from __future__ import annotations

import json

import yaml
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from legal.forms import (
    FRAMEWORK_EDIT_FORMS,
    CriterionCreateForm,
    CriterionEditForm,
    ElementCreateForm,
    ElementEditForm,
    FrameworkEditKindForm,
    FrameworkImportForm,
)
from legal.framework_format import framework_dump, framework_parse
from legal.models import Framework
from legal.selectors import frameworks_with_criteria
from legal.services.frameworks import (
    criterion_create,
    criterion_update,
    element_create,
    element_update,
    framework_import,
)
from legal.views._common import page_context
from projects.errors import ApplicationError
from projects.forms import ProjectForm, form_errors_from
from projects.models import Role
from projects.permissions import ProjectRequest, project_view


@project_view(Role.VIEWER)
@require_GET
def framework_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """The project's frameworks: criteria and elements; owners edit here."""
    project = request.project
    return TemplateResponse(
        request,
        "legal/framework.html",
        page_context(
            request,
            frameworks=frameworks_with_criteria(project),
            tag_keys=list(project.tags.values_list("key", flat=True)),
            active_tab="framework",
        ),
    )


@project_view(Role.VIEWER)
@require_GET
def framework_export_view(request: ProjectRequest, slug: str, fpk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, project=request.project, pk=fpk)
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


@project_view(Role.OWNER)
@require_POST
def framework_import_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """Owners upload or paste YAML/JSON; anything but ``action=import``
    shows the dry run, which carries the text on to the real import."""
    form = FrameworkImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            raw, name = form.source()
            preview, framework = framework_import(
                project=request.project,
                user=request.user,
                data=framework_parse(raw, name=name),
                dry_run=form.dry_run,
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            if framework is not None:
                messages.success(
                    request,
                    f"Imported {framework.name}: {preview.changes} changes applied.",
                )
                return redirect("framework", slug=slug)
            return TemplateResponse(
                request,
                "legal/framework_import.html",
                page_context(
                    request,
                    preview=preview,
                    text=form.shown_text(),
                    active_tab="framework",
                ),
            )
    # Each problem of a framework is a sentence of its own: list them.
    problems = [message for errors in form.errors.values() for message in errors]
    return TemplateResponse(
        request,
        "legal/framework_import.html",
        page_context(request, problems=problems, active_tab="framework"),
        status=400,
    )


@project_view(Role.OWNER)
@require_POST
def framework_edit_view(request: ProjectRequest, slug: str) -> HttpResponse:
    """Owners edit one criterion or element, or add one (``what`` says which)."""
    back = reverse("framework", kwargs={"slug": slug}) + "#edit"
    kind = FrameworkEditKindForm(request.POST)
    if not kind.is_valid():
        messages.error(request, f"Not saved: {form_errors_from(kind)}")
        return redirect(back)
    form = FRAMEWORK_EDIT_FORMS[kind.cleaned_data["what"]](
        request.POST, project=request.project
    )
    if form.is_valid():
        try:
            _framework_edit(request, form)
        except (ApplicationError, ValidationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "Framework saved.")
            return redirect(back)
    messages.error(request, f"Not saved: {form_errors_from(form)}")
    return redirect(back)


def _framework_edit(request: ProjectRequest, form: ProjectForm) -> None:
    """Call the one service the valid ``form`` is for."""
    data, user = form.cleaned_data, request.user
    if isinstance(form, ElementEditForm):
        element_update(
            element=data["pk"], user=user, question=data["question"], tags=data["tags"]
        )
    elif isinstance(form, ElementCreateForm):
        element_create(
            criterion=data["criterion"],
            user=user,
            key=data["key"],
            question=data["question"],
            tags=data["tags"],
        )
    elif isinstance(form, CriterionEditForm):
        criterion_update(criterion=data["pk"], user=user, **form.changes())
    elif isinstance(form, CriterionCreateForm):
        criterion_create(
            framework=data["framework"], user=user, **form.fields_for_service()
        )
    else:  # pragma: no cover - FRAMEWORK_EDIT_FORMS lists the four above
        raise TypeError(f"No service for {type(form).__name__}.")
