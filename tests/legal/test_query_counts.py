"""Query counts of the claims list, a claim's page and the brief do not grow
with their rows (claims, mentions, quantities, assessments)."""

from __future__ import annotations

from typing import Protocol, cast

import pytest

from annotations.models import Annotation
from corpus.models import Document
from legal.models import Claim, Element
from tests.factories import (
    AssessmentFactory,
    ClaimFactory,
    ClaimMentionFactory,
    ClaimQuantityFactory,
    DocumentFactory,
    SourceFactory,
    make_annotation,
)

pytestmark = pytest.mark.django_db


class _Grow(Protocol):
    """``grow(n)`` that keeps the claims it made in ``made``."""

    made: list[Claim]

    def __call__(self, n: int) -> None: ...


@pytest.fixture
def elements(project):
    return list(Element.objects.filter(criterion__framework__project=project)[:40])


@pytest.fixture
def mention(project, analyst):
    """Each call: a new sourced document with one tagged mention."""

    def make():
        document = cast(
            Document,
            DocumentFactory(project=project, source=SourceFactory(project=project)),
        )
        return make_annotation(
            document, analyst, "14 people", tags=["official_claim", "casualty_figure"]
        )

    return make


@pytest.fixture
def grow_claims(project, analyst, elements, mention):
    """``grow(n)``: n more claims, each with a mention, a quantity and an
    assessment citing the mention."""
    made: list[Claim] = []

    def grow(n: int) -> None:
        for _ in range(n):
            annotation = mention()
            claim = cast(Claim, ClaimFactory(project=project, created_by=analyst))
            ClaimMentionFactory(claim=claim, annotation=annotation)
            ClaimQuantityFactory(claim=claim, annotation=annotation)
            element = elements[len(made) % len(elements)]
            AssessmentFactory(
                claim=claim,
                element=element,
                criterion=element.criterion,
                author=analyst,
                sources=[annotation],
            )
            made.append(claim)

    grower = cast(_Grow, grow)
    grower.made = made
    return grower


def test_claim_list(assert_queries_flat, project, owner, grow_claims):
    counts = assert_queries_flat(owner, f"/p/{project.slug}/claims/", grow_claims)
    assert grow_claims.made[-1].proposition in counts.response.content.decode()


def test_brief_html(assert_queries_flat, project, owner, grow_claims):
    counts = assert_queries_flat(
        owner, f"/p/{project.slug}/reports/brief.html", grow_claims
    )
    assert grow_claims.made[-1].proposition in counts.response.content.decode()


def test_claim_detail(assert_queries_flat, project, owner, analyst, elements, mention):
    """One claim with ever more mentions, quantities and assessments."""
    claim = cast(Claim, ClaimFactory(project=project, created_by=analyst))
    done: list[Annotation] = []

    def grow(n: int) -> None:
        for _ in range(n):
            annotation = mention()
            ClaimMentionFactory(claim=claim, annotation=annotation)
            ClaimQuantityFactory(claim=claim, annotation=annotation, value=len(done))
            element = elements[len(done) % len(elements)]
            AssessmentFactory(
                claim=claim,
                element=element,
                criterion=element.criterion,
                author=analyst,
                sources=[annotation],
            )
            done.append(annotation)

    counts = assert_queries_flat(owner, f"/p/{project.slug}/claims/{claim.pk}/", grow)
    assert done[-1].document.sha256 in counts.response.content.decode()
