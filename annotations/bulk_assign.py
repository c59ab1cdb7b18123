"""Assignments from the document list: tick documents (or take every one
matching the filters) and assign them to an analyst, or hand one analyst's
open assignments over to another.

Here rather than in ``corpus`` because "every document matching the
filters" is the document list's own query (``documents_filtered``); the
writes are ``corpus.services``' assignment services.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations.forms import DocumentFilterForm
from annotations.selectors import documents_filtered
from corpus.models import Document
from corpus.selectors import RankedDocuments
from corpus.services import assignments_create_bulk, assignments_reassign
from projects.errors import ApplicationError
from projects.forms import MultipleIdField, ProjectForm, form_errors_from
from projects.models import Project, Role
from projects.permissions import ProjectRequest, project_view, signed_in_user


def _members(project: Project) -> Any:
    return (
        get_user_model()
        .objects.filter(
            memberships__project=project,
            memberships__role__in=[Role.ANALYST, Role.REVIEWER, Role.OWNER],
        )
        .order_by("username")
    )


class DocumentsAssignForm(ProjectForm):
    """Assign or reassign the ticked documents, or all that match."""

    action = forms.ChoiceField(
        choices=[("assign", "Assign"), ("reassign", "Reassign")], label="Action"
    )
    scope = forms.ChoiceField(
        choices=[("selected", "Ticked documents"), ("matching", "All matching")],
        label="Documents",
    )
    documents = MultipleIdField(required=False, label="Documents")
    annotator = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Analyst"
    )
    from_annotator = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="From"
    )
    to_annotator = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="To"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = _members(self.project)
        for name in ("annotator", "from_annotator", "to_annotator"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = members
        # Anyone who still holds assignments may be reassigned from.
        cast(
            forms.ModelChoiceField, self.fields["from_annotator"]
        ).queryset = get_user_model().objects.filter(memberships__project=self.project)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "selected" and not data.get("documents"):
            self.add_error("documents", "Tick at least one document.")
        if data.get("action") == "assign" and not data.get("annotator"):
            self.add_error("annotator", "Choose the analyst to assign to.")
        if data.get("action") == "reassign":
            for name in ("from_annotator", "to_annotator"):
                if not data.get(name):
                    self.add_error(name, "Choose who to reassign from and to.")
        return data


def assign_context(request: ProjectRequest) -> dict[str, Any] | None:
    """What the document list needs to show the assignment bar (owners only)."""
    if not request.membership.allows(Role.OWNER):
        return None
    return {"members": list(_members(request.project))}


@project_view(Role.OWNER)
@require_POST
def documents_assign_view(request, slug: str):
    """Assign or reassign, then back to the same filtered list."""
    project = request.project
    filters_form = DocumentFilterForm(request.POST, project=project)
    filters = filters_form.filters()
    back = reverse("document-list", kwargs={"slug": slug})
    query = {
        name: value
        for name in filters_form.fields
        if (value := request.POST.get(name, "").strip())
    }
    if query:
        back += "?" + urlencode(query)
    form = DocumentsAssignForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, form_errors_from(form))
        return redirect(back)
    data = form.cleaned_data
    if data["scope"] == "matching":
        matching, _ = documents_filtered(project=project, filters=filters)
        if isinstance(matching, RankedDocuments):  # search: ranked candidates
            documents = cast(list[Document], matching[: len(matching)])
        else:
            documents = list(matching)
    else:
        documents = list(
            Document.objects.filter(project=project, pk__in=data["documents"])
            .without_bodies()
            .order_by("pk")
        )
    if not documents:
        messages.error(request, "No document matches: nothing was assigned.")
        return redirect(back)
    user = signed_in_user(request)
    try:
        if data["action"] == "assign":
            text = _assign(project, documents, data["annotator"], user)
        else:
            text = _reassign(project, documents, data, user)
    except ApplicationError as exc:
        messages.error(request, form_errors_from(form, exc))
    else:
        messages.success(request, text)
    return redirect(back)


def _assign(project: Project, documents: list[Document], annotator, user) -> str:
    created = assignments_create_bulk(
        project=project, documents=documents, annotators=[annotator], assigned_by=user
    )
    already = len(documents) - len(created)
    text = (
        f"Assigned {len(created)} document{'s' if len(created) != 1 else ''} "
        f"to {annotator.get_username()}."
    )
    if already:
        text += f" {already} already were."
    return text


def _reassign(project: Project, documents: list[Document], data, user) -> str:
    done = assignments_reassign(
        project=project,
        documents=documents,
        from_annotator=data["from_annotator"],
        to_annotator=data["to_annotator"],
        user=user,
    )
    text = (
        f"Reassigned {done.moved} document{'s' if done.moved != 1 else ''} from "
        f"{data['from_annotator'].get_username()} to "
        f"{data['to_annotator'].get_username()}."
    )
    if done.already:
        text += f" {done.already} were already theirs (only withdrawn)."
    if done.kept_submitted:
        text += f" {done.kept_submitted} submitted stay with who did them."
    return text
