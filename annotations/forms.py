"""Forms of the annotations pages (the tags page)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from annotations.models import Tag
from annotations.selectors import DOCUMENT_STATUSES, DocumentFilters
from annotations.services.taxonomy import (
    patterns_validate,
)
from corpus.models import Document, DocumentKind, Source
from projects.models import Project


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


class TagDeleteForm(forms.Form):
    """The tag page's delete button (``action=delete``)."""

    action = forms.ChoiceField(choices=[("delete", "Delete")])


class DocumentFilterForm(forms.Form):
    """The document list's query string, validated (bad values are ignored
    with a message rather than a server error)."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    kind = forms.ChoiceField(
        required=False, choices=[("", "Any kind"), *DocumentKind.choices]
    )
    source = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        required=False, label="Published from", widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="Published to", widget=forms.DateInput({"type": "date"})
    )
    tag = forms.ChoiceField(required=False)
    language = forms.ChoiceField(required=False)
    status = forms.ChoiceField(
        required=False,
        label="Assignment status",
        choices=[("", "Any status"), *DOCUMENT_STATUSES.items()],
    )
    assignee = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    order = forms.ChoiceField(
        required=False,
        label="Sort",
        choices=[("", "Newest first"), ("title", "Title (2 before 10)")],
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", "Any source"),
            *Source.objects.filter(project=project).values_list("pk", "name"),
        ]
        cast(forms.ChoiceField, self.fields["tag"]).choices = [
            ("", "Any tag"),
            *Tag.objects.filter(project=project).values_list("key", "name"),
        ]
        # The languages the project's documents are in (detected or given).
        languages = (
            Document.objects.filter(project=project)
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", "Any language"),
            *((code, code) for code in languages),
        ]
        members = (
            get_user_model()
            .objects.filter(memberships__project=project)
            .order_by("username")
            .values_list("pk", "username")
        )
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", "Anyone"),
            *members,
        ]

    def filters(self) -> DocumentFilters:
        """The valid filters; an invalid field is dropped and shown as an error."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DocumentFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            source=data.get("source"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            tag=data.get("tag") or "",
            language=data.get("language") or "",
            status=data.get("status") or "",
            assignee=data.get("assignee"),
            order=data.get("order") or "",
        )
