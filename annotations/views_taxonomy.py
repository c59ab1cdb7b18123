"""The tags page: owners edit the project's taxonomy (recorded in history)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from corpus.errors import ApplicationError
from corpus.models import Role
from corpus.permissions import project_view

from annotations.models import Tag
from annotations.services.taxonomy import patterns_validate, tag_create, tag_delete, tag_update


class TagForm(forms.Form):
    key = forms.CharField(max_length=64)
    name = forms.CharField(max_length=120)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    colour = forms.CharField(
        max_length=7, initial="#888888", widget=forms.TextInput(attrs={"type": "color"})
    )
    hotkey = forms.CharField(max_length=1, required=False, strip=True)
    patterns = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        required=False,
        initial="[]",
        help_text=(
            "A JSON list of suggestion rules, each an object such as "
            '{"cue": "hedge", "confidence": 0.6} (see docs/suggestions.md).'
        ),
    )
    order = forms.IntegerField(min_value=0, required=False)
    is_active = forms.BooleanField(required=False, initial=True)

    def clean_patterns(self):
        try:
            return patterns_validate(self.cleaned_data["patterns"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["patterns"]) from exc


def _fields(form: TagForm) -> dict:
    data = dict(form.cleaned_data)
    if data.get("order") is None:
        data.pop("order", None)
    return data


def _apply_errors(form: TagForm, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
    else:
        form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))


@project_view(Role.OWNER)
@require_http_methods(["GET", "POST"])
def tags_view(request, slug: str):
    """List tags and add a new one."""
    project = request.project
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag = tag_create(project=project, user=request.user, **_fields(form))
        except (ValidationError, ApplicationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Tag {tag.key} added.")
            return redirect("tags", slug=slug)
    return TemplateResponse(
        request,
        "trust/tags.html",
        {"project": project, "tags": project.tags.all(), "form": form},
        status=400 if form.errors else 200,
    )


@project_view(Role.OWNER)
@require_http_methods(["GET", "POST"])
def tag_edit_view(request, slug: str, pk: int):
    """Edit or delete one tag."""
    tag = get_object_or_404(Tag, pk=pk, project=request.project)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            tag_delete(tag=tag, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("tag-edit", slug=slug, pk=pk)
        messages.success(request, f"Tag {tag.key} deleted.")
        return redirect("tags", slug=slug)
    initial = {
        **{f: getattr(tag, f) for f in TagForm.base_fields if f != "patterns"},
        "patterns": json.dumps(tag.patterns, indent=2, ensure_ascii=False),
    }
    form = TagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tag_update(tag=tag, user=request.user, **_fields(form))
        except (ValidationError, ApplicationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Tag {form.cleaned_data['key']} saved.")
            return redirect("tags", slug=slug)
    return TemplateResponse(
        request,
        "trust/tag_edit.html",
        {"project": request.project, "tag": tag, "form": form},
        status=400 if form.errors else 200,
    )
