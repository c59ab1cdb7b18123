"""The form of the metadata edit page (``corpus.edit_views``)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from corpus.models import DatePrecision, Document, DocumentKind, Source, SourceKind

# "2025", "2025-03", "2025-03-04" or "2025-03-04 14:30": the precision is
# what the analyst typed, so a month with no day is never given a day.
DATE_PATTERNS = (
    (re.compile(r"\d{4}"), "%Y", DatePrecision.YEAR),
    (re.compile(r"\d{4}-\d{1,2}"), "%Y-%m", DatePrecision.MONTH),
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "%Y-%m-%d", DatePrecision.DAY),
    (
        re.compile(r"\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}"),
        "%Y-%m-%d %H:%M",
        DatePrecision.DAY,
    ),
)


def date_text(document: Document) -> str:
    """The document's date as the field shows it, at its precision."""
    moment = document.published_at
    if moment is None:
        return ""
    moment = timezone.localtime(moment)
    if document.published_precision == DatePrecision.YEAR:
        return moment.strftime("%Y")
    if document.published_precision == DatePrecision.MONTH:
        return moment.strftime("%Y-%m")
    if (moment.hour, moment.minute) == (0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")


def parse_date_text(value: str) -> tuple[datetime | None, str]:
    """(moment, precision) from the field's text; empty means unknown."""
    value = " ".join(value.replace("T", " ").split())
    if not value:
        return None, DatePrecision.DAY
    for pattern, fmt, precision in DATE_PATTERNS:
        if pattern.fullmatch(value):
            try:
                naive = datetime.strptime(value, fmt)
            except ValueError:
                break
            return timezone.make_aware(naive), precision
    raise forms.ValidationError(
        "Write the date as it is known: 2025, 2025-03, 2025-03-04 or "
        "2025-03-04 14:30 (leave it empty if unknown)."
    )


class DocumentMetadataForm(forms.Form):
    """Title, date (at its precision), author, kind, source, language, URL."""

    title = forms.CharField(max_length=500, required=False, label="Title")
    published = forms.CharField(
        max_length=20,
        required=False,
        label="Publication date",
        help_text="2025, 2025-03, 2025-03-04 or 2025-03-04 14:30; empty if unknown.",
    )
    author = forms.CharField(max_length=300, required=False, label="Author or speaker")
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="Kind")
    source = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        required=False,
        empty_label="(keep as it is)",
        label="Source",
    )
    new_source = forms.CharField(
        max_length=200,
        required=False,
        label="Or a new source",
        help_text="The publisher's name, if it is not in the list.",
    )
    new_source_kind = forms.ChoiceField(
        choices=SourceKind.choices,
        initial=SourceKind.OUTLET,
        label="Kind of the new source",
    )
    language = forms.CharField(
        max_length=16, label="Language", help_text="A language code, e.g. en, es."
    )
    url = forms.URLField(
        max_length=2000, required=False, label="URL", assume_scheme="https"
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": document.title,
                "published": date_text(document),
                "author": document.author,
                "kind": document.kind,
                "source": document.source_id,
                "language": document.language,
                "url": document.url,
            },
        )
        super().__init__(*args, **kwargs)
        source = cast(forms.ModelChoiceField, self.fields["source"])
        source.queryset = Source.objects.filter(project=document.project_id)

    def clean_published(self) -> tuple[datetime | None, str]:
        return parse_date_text(self.cleaned_data.get("published") or "")

    def clean_language(self) -> str:
        language = self.cleaned_data["language"].strip()
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
            raise forms.ValidationError("Use a language code such as en, es or pt-BR.")
        return language

    def metadata(self) -> dict[str, Any]:
        """The cleaned values as the service's keyword arguments."""
        data = self.cleaned_data
        moment, precision = data["published"]
        return {
            "title": data["title"].strip(),
            "published_at": moment,
            "published_precision": precision,
            "author": data["author"].strip(),
            "kind": data["kind"],
            "language": data["language"],
            "url": data["url"],
        }
