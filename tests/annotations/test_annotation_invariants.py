"""Annotations anchor exactly: offsets inside the text, quote equal to the slice."""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.models import Annotation, Suggestion
from corpus.models import Document
from tests.factories import DocumentFactory, ProjectFactory


def make(document, author, start, end, quote=None):
    quote = document.text[start:end] if quote is None else quote
    return Annotation(
        project=document.project,
        document=document,
        author=author,
        start=start,
        end=end,
        quote=quote,
    )


def test_valid_annotation_passes_and_gets_context(document, owner):
    start = document.text.index("14 people")
    annotation = make(document, owner, start, start + len("14 people"))
    annotation.anchor()
    annotation.full_clean()
    annotation.save()
    assert annotation.quote == "14 people"
    assert document.text.endswith(
        annotation.suffix + document.text[annotation.end + len(annotation.suffix) :]
    )
    assert annotation.prefix == document.text[max(0, start - 32) : start]


def test_quote_that_does_not_match_offsets_is_refused(document, owner):
    annotation = make(document, owner, 0, 6, quote="Wrong!")
    with pytest.raises(ValidationError, match="quote does not match"):
        annotation.full_clean()


@pytest.mark.parametrize(("start", "end"), [(5, 5), (7, 3), (0, 10_000)])
def test_offsets_outside_text_or_empty_are_refused(document, owner, start, end):
    annotation = make(document, owner, start, end, quote="x")
    with pytest.raises(ValidationError, match="outside the document text"):
        annotation.full_clean()


def test_document_of_another_project_is_refused(document, owner):
    other = DocumentFactory(project=ProjectFactory())
    annotation = make(other, owner, 0, 6)
    annotation.project = document.project
    with pytest.raises(ValidationError, match="another project"):
        annotation.full_clean()


def test_database_refuses_start_not_before_end(document, owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        make(document, owner, 4, 4, quote="x").save()


@pytest.mark.postgres
def test_database_refuses_quote_mismatch_that_bypasses_the_model(document, owner):
    with (
        pytest.raises(IntegrityError, match="quote does not match"),
        transaction.atomic(),
    ):
        make(document, owner, 0, 6, quote="Wrong!").save()
    assert not Annotation.objects.exists()


@pytest.mark.postgres
def test_database_refuses_offsets_past_the_end(document, owner):
    end = len(document.text) + 3
    with (
        pytest.raises(IntegrityError, match="outside the document text"),
        transaction.atomic(),
    ):
        make(document, owner, 0, end, quote=document.text + "abc").save()


@pytest.mark.postgres
def test_database_counts_code_points_like_python(project, owner):
    """An emoji and a combining accent before the span must not shift it."""
    text = "Flag \U0001f1fb\U0001f1ea and cafe\u0301 then 14 killed."
    doc = cast(Document, DocumentFactory(project=project, text=text))
    start = doc.text.index("14 killed")
    annotation = make(doc, owner, start, start + 9)
    annotation.save()
    annotation.refresh_from_db()
    assert annotation.quote == "14 killed"


@pytest.mark.postgres
def test_database_refuses_bulk_update_that_breaks_the_anchor(document, owner):
    annotation = make(document, owner, 0, 6)
    annotation.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(start=1)


@pytest.mark.postgres
def test_suggestions_are_anchored_the_same_way(document):
    tag = document.project.tags.get(key="official_claim")
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.create(
            project=document.project,
            document=document,
            tag=tag,
            start=0,
            end=6,
            quote="Wrong!",
            rule="test",
        )
