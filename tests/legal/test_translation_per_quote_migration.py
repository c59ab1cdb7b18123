"""Migration 0005 (a translation note per quote) keeps each mention's
history a continuous chain both ways, as 0004 does for claims."""

from __future__ import annotations

from typing import cast

import pytest

from audit.models import HistoryEntry
from audit.selectors import history_replay
from corpus.models import Document
from legal.models import ClaimMention
from legal.services.claims import claim_create, claim_mention_translate
from tests.factories import DocumentFactory, make_annotation
from tests.legal.test_translation_note_migration import (  # noqa: F401 (fixture)
    executor,
    migrate,
)

pytestmark = [pytest.mark.postgres]

BEFORE = ("legal", "0004_claim_translation_note")
AFTER = ("legal", "0005_mention_translation_note")


@pytest.mark.usefixtures("executor")
def test_mention_history_has_no_gap_across_the_migration(project, analyst):
    document = cast(
        Document,
        DocumentFactory(project=project, text="Murieron tres personas.", language="es"),
    )
    quote = make_annotation(document, analyst, "Murieron tres personas")
    claim = claim_create(
        project=project, user=analyst, proposition="Three died", annotation=quote
    )
    mention = ClaimMention.objects.get(claim=claim)
    claim_mention_translate(
        claim=claim, annotation=quote, user=analyst, translation_note="Three died."
    )
    migrate(BEFORE)
    migrate(AFTER)
    migrate(None)
    states = history_replay("claimmention", mention.pk)  # raises on a gap
    assert [s is not None and s.get("translation_note") for s in states] == [
        "",
        "Three died.",
        None,  # removed on the way back (the value is in the entry before)
        "",  # back, empty: the column is new
    ]
    entries = HistoryEntry.objects.filter(
        object_type="claimmention", object_id=mention.pk
    )
    assert [e.actor_id for e in entries] == [analyst.pk, analyst.pk, None, None]
    claim_mention_translate(
        claim=claim, annotation=quote, user=analyst, translation_note="Three dead."
    )
    last = history_replay("claimmention", mention.pk)[-1]
    assert last is not None and last["translation_note"] == "Three dead."
