"""``corpus.bulk.bulk_insert_unnest`` writes what ``bulk_create`` would.

It reads each column straight off the objects (no per-value field work),
so these tests compare its rows with ``bulk_create``'s, column by column,
and check what it refuses.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from annotations.models import Suggestion, SuggestionStatus, Tag
from corpus.bulk import bulk_insert_unnest
from corpus.models import Document, DocumentAnalysis
from projects.services import project_create
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.postgres

TEXT = "Officials said five people were killed near the harbour on Monday."


def suggestions(document, tag, starts: list[int]) -> list[Suggestion]:
    return [
        Suggestion(
            project_id=document.project_id,
            document=document,
            tag=tag,
            start=start,
            end=start + 4,
            quote=TEXT[start : start + 4],
            prefix=Suggestion.context_for(TEXT, start, start + 4)[1],
            suffix=Suggestion.context_for(TEXT, start, start + 4)[2],
            context_start=0,
            context_end=len(TEXT),
            claimant="Officials 'quoted' \\ \"twice\"",
            claimant_type="acting_government",
            confidence=0.7,
            rule="key:rule",
            explanation="cue “killed”, NULL and {braces}",
            pipeline_version="v1",
        )
        for start in starts
    ]


# Every column but the keys (the two sides are in two projects).
COLUMNS = [
    f.attname
    for f in Suggestion._meta.concrete_fields
    if f.attname not in ("id", "created_at", "document_id", "project_id", "tag_id")
]


def rows(document) -> list[tuple]:
    return list(
        Suggestion.objects.filter(document=document)
        .order_by("start")
        .values_list(*COLUMNS)
    )


def side(name: str):
    owner = cast(User, UserFactory())
    project = project_create(name=name, slug=name.lower(), created_by=owner)
    tag = Tag.objects.filter(project=project).first()
    return cast(Document, DocumentFactory(project=project, text=TEXT)), tag


def test_rows_equal_bulk_creates_and_conflicts_are_skipped(db):
    ours, our_tag = side("Ours")
    theirs, their_tag = side("Theirs")
    made = suggestions(ours, our_tag, [0, 10, 20])
    bulk_insert_unnest(Suggestion, made, ignore_conflicts=True)
    Suggestion.objects.bulk_create(suggestions(theirs, their_tag, [0, 10, 20]))
    assert rows(ours) == rows(theirs)
    assert {r[COLUMNS.index("status")] for r in rows(ours)} == {
        SuggestionStatus.PENDING
    }
    stamps = set(
        Suggestion.objects.filter(document=ours).values_list("created_at", flat=True)
    )
    assert stamps == {made[0].created_at}  # one timestamp, also on the objects
    # A second insert of the same spans (a retried chunk) adds nothing.
    bulk_insert_unnest(
        Suggestion, suggestions(ours, our_tag, [0, 10, 30]), ignore_conflicts=True
    )
    assert [r[COLUMNS.index("start")] for r in rows(ours)] == [0, 10, 20, 30]


def test_columns_that_need_conversion_are_refused(project):
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    analysis = DocumentAnalysis(
        document=document, pipeline="p", pipeline_version="1", data={}
    )
    with pytest.raises(TypeError, match="not plain"):
        bulk_insert_unnest(DocumentAnalysis, [analysis])
    assert not DocumentAnalysis.objects.filter(document=document).exists()
