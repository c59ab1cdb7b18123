"""Fixtures for the legal analysis tests: sourced documents, annotations made
directly through the models (test set-up; the browser walk tags through the
annotator page), the browser itself is shared (``tests/conftest.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from corpus.models import Source
from tests.factories import DocumentFactory, UserFactory, make_annotation

STATEMENT = (
    "Defence Minister Arlen Vost said on Tuesday that forces struck four vessels "
    "operated by narco-terrorists, killing 14 people. He said the boats were known "
    "to intelligence. No evidence was provided."
)
WIRE = (
    "Officials in Corvania said 14 people were killed when four vessels were struck "
    "at sea. Legal experts said the strikes were illegal. At least 57 people have "
    "died in the campaign so far."
)
OTHER = (
    "The coast guard rescued two survivors after the strike, a harbour official said."
)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def sources(project):
    return {
        "ministry": Source.objects.create(project=project, name="Ministry of Defence"),
        "wire": Source.objects.create(project=project, name="Harbour Wire"),
        "gazette": Source.objects.create(project=project, name="Coastal Gazette"),
    }


@pytest.fixture
def docs(project, sources):
    return {
        "statement": DocumentFactory(
            project=project,
            title="Statement by the Ministry",
            text=STATEMENT,
            source=sources["ministry"],
            published_at=datetime(2025, 9, 2, 12, tzinfo=UTC),
        ),
        "wire": DocumentFactory(
            project=project,
            title="Wire: strikes at sea",
            text=WIRE,
            source=sources["wire"],
            published_at=datetime(2025, 9, 3, 8, tzinfo=UTC),
        ),
        "other": DocumentFactory(
            project=project,
            title="Rescue at the harbour",
            text=OTHER,
            source=sources["gazette"],
            published_at=None,
            captured_at=datetime(2025, 9, 5, 9, tzinfo=UTC),
        ),
    }


@pytest.fixture
def mentions(docs, analyst):
    return {
        "minister": make_annotation(
            docs["statement"],
            analyst,
            "forces struck four vessels operated by narco-terrorists, "
            "killing 14 people",
            tags=["official_claim", "casualty_figure"],
        ),
        "no_evidence": make_annotation(
            docs["statement"],
            analyst,
            "No evidence was provided.",
            tags=["no_evidence_provided"],
        ),
        "wire": make_annotation(
            docs["wire"],
            analyst,
            "14 people were killed when four vessels were struck at sea",
            tags=["casualty_figure"],
        ),
        "illegal": make_annotation(
            docs["wire"],
            analyst,
            "Legal experts said the strikes were illegal.",
            tags=["experts_say_illegal"],
        ),
        "rescue": make_annotation(
            docs["other"],
            analyst,
            "The coast guard rescued two survivors",
            tags=["rescue_or_survivor"],
        ),
    }


@pytest.fixture
def api():
    """An API client; tests sign it in with ``force_authenticate``."""
    return APIClient()


@pytest.fixture
def incident_with_reports(project, analyst, mentions, docs):
    """STR-0001 (2 Sep 2025) with 14 killed (ministry), at least 16 killed
    (wire) and two survivors (gazette), each a claim linked to it."""
    from legal.services.incidents import incident_link_claim
    from tests.legal.incident_support import figure_claim, new_incident

    incident = new_incident(project, analyst)
    ministry = figure_claim(project, analyst, mentions["minister"], 14)
    wire_text = make_annotation(docs["wire"], analyst, "14 people were killed")
    wire = figure_claim(project, analyst, wire_text, 16, bound="at_least")
    rescue = figure_claim(project, analyst, mentions["rescue"], 2, counts="survivors")
    for claim in (ministry, wire, rescue):
        incident_link_claim(incident=incident, claim=claim, user=analyst)
    return incident, {"ministry": ministry, "wire": wire, "rescue": rescue}
