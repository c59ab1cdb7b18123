"""Migration 0004 (translation note) keeps each claim's history a continuous
chain both ways: the field's arrival and removal are recorded by no one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import HistoryEntry
from audit.selectors import history_replay
from legal.models import Claim
from legal.services.claims import claim_create, claim_update

pytestmark = [pytest.mark.postgres]

BEFORE = ("legal", "0003_claimant_types_of_tags_guide")
AFTER = ("legal", "0004_claim_translation_note")


def migrate(target: tuple[str, str] | None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.fixture
def executor(transactional_db) -> Iterator[None]:
    yield
    migrate(None)  # the latest schema again, for the tests after this one


def test_field_removal_and_arrival_are_recorded_without_a_gap(
    executor, project, analyst
):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="A boat was struck",
        translation_note="forces struck a boat",
    )
    migrate(BEFORE)
    migrate(AFTER)
    migrate(None)
    states = history_replay("claim", claim.pk)  # raises on a gap
    assert [s is not None and s.get("translation_note") for s in states] == [
        "forces struck a boat",
        None,  # removed on the way back (the value is in the entry before)
        "",  # back, empty: the column is new
    ]
    entries = HistoryEntry.objects.filter(object_type="claim", object_id=claim.pk)
    assert [e.actor_id for e in entries] == [analyst.pk, None, None]

    current = Claim.objects.get(pk=claim.pk)
    assert current.translation_note == ""
    claim_update(
        claim=current,
        user=analyst,
        expected_version=current.version,
        translation_note="forces struck a launch",
    )
    last = history_replay("claim", claim.pk)[-1]
    assert last is not None and last["translation_note"] == "forces struck a launch"
