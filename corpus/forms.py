"""Forms of the corpus pages: the three ways in (upload, paste a statement,
capture a URL) and the assignments page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from corpus.models import Document, DocumentKind, Source, SourceKind
from projects.forms import ProjectForm, ProjectObjectField

KIND_CHOICES = [("", "Detect / article"), *DocumentKind.choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        # Empty files are reported per file by the ingestion, not as a form error.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if self.required and not data:
            raise forms.ValidationError(
                self.error_messages["required"], code="required"
            )
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    # A declared field (moved to base_fields), not BaseForm.files: hence the ignore.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Files",
        help_text="Text, Markdown, HTML, PDF, DOCX, RSS/Atom, JSONL, CSV, or ZIP/tar "
        "archives of them.",
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False)
    source = forms.CharField(
        max_length=200,
        required=False,
        help_text="Publisher, e.g. an outlet or ministry.",
    )


class PasteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), strip=False)
    title = forms.CharField(max_length=500, required=False)
    speaker = forms.CharField(max_length=300, required=False)
    role = forms.CharField(
        max_length=200, required=False, help_text="e.g. Minister of Defence"
    )
    platform = forms.CharField(
        max_length=120, required=False, help_text="Press conference, X, Telegram..."
    )
    published_at = forms.DateTimeField(
        label="Date",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    source = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label="Source URL", max_length=2000, required=False)
    kind = forms.ChoiceField(
        choices=DocumentKind.choices, initial=DocumentKind.STATEMENT
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Paste the text of the statement.")
        return text


class UrlForm(forms.Form):
    url = forms.URLField(
        label="URL", max_length=2000, assume_scheme="https", help_text="http or https"
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False)
    source = forms.CharField(max_length=200, required=False)


class IngestWayForm(forms.Form):
    """Which of the three forms of the ingestion page was posted."""

    form = forms.TypedChoiceField(
        choices=[("upload", "Upload"), ("paste", "Paste"), ("url", "URL")],
        required=False,
        empty_value="upload",
    )


class AssignmentBulkForm(ProjectForm):
    """Owners assign every chosen document to every chosen analyst."""

    documents = forms.ModelMultipleChoiceField(
        queryset=Document.objects.none(),
        label="Documents",
        error_messages={"required": "Choose at least one document."},
    )
    annotators = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label="Analysts",
        error_messages={"required": "Choose at least one analyst."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = cast(forms.ModelMultipleChoiceField, self.fields["documents"])
        documents.queryset = Document.objects.filter(
            project=self.project
        ).without_bodies()
        # Any member: the service refuses viewers with a message of its own.
        annotators = cast(forms.ModelMultipleChoiceField, self.fields["annotators"])
        annotators.queryset = get_user_model().objects.filter(
            memberships__project=self.project
        )


class BlindModeForm(forms.Form):
    blind_mode = forms.BooleanField(required=False, label="Blind mode")


class AssignmentActionForm(forms.Form):
    """Submit, reopen or withdraw: ``back=queue`` returns to the queue."""

    back = forms.ChoiceField(
        choices=[("", "Assignments"), ("queue", "My queue")], required=False
    )


class DocumentSourceForm(ProjectForm):
    """The document page: choose the document's source, or name a new one.

    The source gives the voice of the document's unattributed sentences; an
    analyst sets it where the pipeline inferred it wrongly or not at all.
    """

    source = ProjectObjectField(queryset=Source.objects.all(), required=False)
    name = forms.CharField(required=False, max_length=200, label="New source's name")
    kind = forms.ChoiceField(
        choices=[("", "Kind of source"), *SourceKind.choices],
        required=False,
        label="Kind",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") is None and not (data.get("name") or "").strip():
            raise forms.ValidationError(
                "Choose a source, or give a new source's name and kind."
            )
        if data.get("source") is None and not data.get("kind"):
            self.add_error("kind", "Choose the kind of the new source.")
        return data
