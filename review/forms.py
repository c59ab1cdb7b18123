"""The adjudication page's form: accept, reject or add a span, or finish."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from annotations.models import Tag
from projects.forms import ProjectForm

#: Actions that name one span and its tag.
SPAN_ACTIONS = ("add", "accept", "reject")

OFFSET_ERRORS = {"invalid": "Offsets must be whole numbers."}


class AdjudicationForm(ProjectForm):
    action = forms.ChoiceField(
        choices=[
            ("accept-agreed", "Accept what all annotators agreed on"),
            ("finish", "Finish"),
            ("add", "Add a span"),
            ("accept", "Accept"),
            ("reject", "Reject"),
        ],
        label="Action",
    )
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        required=False,
        label="Tag",
        error_messages={"invalid_choice": "Choose a tag of this project."},
    )
    start = forms.IntegerField(
        min_value=0, required=False, label="Start", error_messages=OFFSET_ERRORS
    )
    end = forms.IntegerField(
        min_value=0, required=False, label="End", error_messages=OFFSET_ERRORS
    )
    quote = forms.CharField(required=False, strip=False, label="Exact text")
    note = forms.CharField(required=False, label="Note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag = cast(forms.ModelChoiceField, self.fields["tag"])
        tag.queryset = Tag.objects.filter(project=self.project)

    def clean_note(self) -> str:
        return self.cleaned_data["note"][:2000]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        if action not in SPAN_ACTIONS:
            return data
        if data.get("tag") is None and "tag" not in self.errors:
            self.add_error("tag", "Choose a tag of this project.")
        has_offsets = data.get("start") is not None and data.get("end") is not None
        if action != "add" and not has_offsets and not self.has_error("start"):
            self.add_error("start", "Give the span's start and end offsets.")
        return data

    @property
    def offsets(self) -> tuple[int, int] | None:
        """The offsets given, or None (then the quote locates the span)."""
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return (start, end) if start is not None and end is not None else None
