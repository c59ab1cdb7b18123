"""Query counts of the annotations app's pages do not grow with their rows."""

from __future__ import annotations

from typing import cast

import pytest

from annotations.models import Annotation, Tag
from corpus.models import Document
from tests.factories import (
    AssignmentFactory,
    ClaimMentionFactory,
    CommentFactory,
    DocumentFactory,
    SuggestionFactory,
    TagFactory,
    make_annotation,
)

pytestmark = pytest.mark.django_db

CHUNK = "The minister said 14 people were killed at sea. "


def test_document_list(assert_queries_flat, project, owner, analyst):
    def grow(n: int) -> None:
        for _ in range(n):
            document = cast(Document, DocumentFactory(project=project))
            make_annotation(document, analyst, "14 people", tags=["casualty_figure"])
            AssignmentFactory(document=document, annotator=analyst)

    counts = assert_queries_flat(owner, f"/p/{project.slug}/documents/", grow)
    assert counts.response.content.decode().count("/d/") >= 25


def test_tags_page(assert_queries_flat, project, owner, analyst, document):
    def grow(n: int) -> None:
        for _ in range(n):
            tag = cast(Tag, TagFactory(project=project))
            make_annotation(document, analyst, "14 people", tags=[tag.key])

    counts = assert_queries_flat(owner, f"/p/{project.slug}/tags/", grow)
    assert counts.response.content.decode().count("/tags/") >= 30


def test_dashboard(assert_queries_flat, project, owner, analyst):
    def grow(n: int) -> None:
        for _ in range(n):
            document = cast(Document, DocumentFactory(project=project))
            make_annotation(document, analyst, "14 people", tags=["casualty_figure"])

    assert_queries_flat(owner, f"/p/{project.slug}/", grow)


def test_annotator(assert_queries_flat, project, owner, analyst):
    """Annotations with tags, comments, claim links and pending suggestions."""
    document = cast(Document, DocumentFactory(project=project, text=CHUNK * 40))
    made: list[Annotation] = []

    def grow(n: int) -> None:
        for _ in range(n):
            at = len(made) * len(CHUNK)
            annotation = make_annotation(
                document,
                analyst,
                at,
                at + 12,
                tags=["official_claim", "casualty_figure"],
                note="why",
            )
            CommentFactory(annotation=annotation)
            ClaimMentionFactory(annotation=annotation)
            SuggestionFactory(
                document=document,
                tag=project.tags.get(key="casualty_figure"),
                start=at + 18,
                end=at + 27,
            )
            made.append(annotation)

    counts = assert_queries_flat(owner, f"/p/{project.slug}/d/{document.pk}/", grow)
    assert counts.response.context["annotation_count"] == len(made) == 30
