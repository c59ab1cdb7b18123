"""Forms of the ingestion page: upload, paste a statement, capture a URL."""

from __future__ import annotations

from django import forms

from corpus.models import DocumentKind

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
    files = MultipleFileField(
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
