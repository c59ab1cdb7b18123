"""Query counts of the agreement page and the adjudication list do not grow
with the documents and annotations they cover."""

from __future__ import annotations

from typing import cast

import pytest

from corpus.models import AssignmentStatus, Document
from tests.factories import AssignmentFactory, DocumentFactory, make_annotation
from tests.fixtures_team import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(project, owner):
    """``grow(n)``: n more documents, each annotated by two analysts who
    submitted their assignments."""
    ann = member(project, "ann", "analyst")
    ben = member(project, "ben", "analyst")

    def grow(n: int) -> None:
        for _ in range(n):
            document = cast(Document, DocumentFactory(project=project))
            for user, tags in ((ann, ["casualty_figure"]), (ben, ["official_claim"])):
                make_annotation(document, user, "14 people", tags=tags)
                AssignmentFactory(
                    document=document,
                    annotator=user,
                    assigned_by=owner,
                    status=AssignmentStatus.SUBMITTED,
                )

    return grow


def test_agreement(assert_queries_flat, project, owner, grow):
    assert_queries_flat(owner, f"/p/{project.slug}/agreement/", grow)


def test_adjudication_list(assert_queries_flat, project, owner, grow):
    counts = assert_queries_flat(owner, f"/p/{project.slug}/adjudicate/", grow)
    assert counts.response.content.decode().count("/adjudicate/") >= 30
