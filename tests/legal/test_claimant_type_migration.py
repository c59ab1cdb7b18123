"""Migration 0003 renames stored claimant types to those of tags.md.

Run with Django's migration executor on the test database, back to 0002 and
forward again, so the real operations (constraints and the data step) run.
The history must stay a continuous chain either way: older entries keep the
old names and one entry by no one records each rename.
"""

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

BEFORE = ("legal", "0002_incidents_and_grades")
AFTER = ("legal", "0003_claimant_types_of_tags_guide")


def migrate(target: tuple[str, str] | None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.fixture
def executor(transactional_db) -> Iterator[None]:
    yield
    migrate(None)  # the latest schema again, for the tests after this one


def types_by_proposition() -> dict[str, str]:
    return dict(Claim.objects.values_list("proposition", "claimant_type"))


def test_rename_both_ways_keeps_history_continuous(executor, project, analyst):
    for kind in ["acting_government", "un", "rights_group", "reporter", "expert"]:
        claim_create(
            project=project, user=analyst, proposition=kind, claimant_type=kind
        )

    old_apps = migrate(BEFORE).loader.project_state([BEFORE]).apps
    old = dict(
        old_apps.get_model("legal", "Claim").objects.values_list(
            "proposition", "claimant_type"
        )
    )
    assert old == {
        "acting_government": "official",
        "un": "un_body",
        "rights_group": "ngo",
        "reporter": "unattributed",
        "expert": "expert",
    }
    # Old names only the forward mapping meets (no history: made by hand).
    OldClaim = old_apps.get_model("legal", "Claim")
    for kind in ["military", "journalist"]:
        OldClaim.objects.create(
            project_id=project.pk,
            proposition=kind,
            claimant_type=kind,
            created_by_id=analyst.pk,
        )

    migrate(AFTER)
    # The current models again (later migrations add claim fields, e.g. 0004).
    migrate(None)
    assert types_by_proposition() == {
        "acting_government": "acting_government",
        "un": "un",
        "rights_group": "rights_group",
        "reporter": "reporter",
        "expert": "expert",
        "military": "acting_government",
        "journalist": "reporter",
    }
    renamed = Claim.objects.get(proposition="acting_government")
    states = history_replay("claim", renamed.pk)  # raises on a gap
    types = [s and s["claimant_type"] for s in states]
    # Later migrations record their own entries (by no one) without renaming.
    assert [t for i, t in enumerate(types) if i == 0 or t != types[i - 1]] == [
        "acting_government",
        "official",
        "acting_government",
    ]
    entries = HistoryEntry.objects.filter(object_type="claim", object_id=renamed.pk)
    actors = [e.actor_id for e in entries]
    assert actors[0] == analyst.pk
    assert set(actors[1:]) == {None}
    # Unchanged claims get no rename entry.
    unchanged = Claim.objects.get(proposition="expert")
    kept = history_replay("claim", unchanged.pk)
    assert {s and s["claimant_type"] for s in kept} == {"expert"}

    # The next edit's 'before' is the renamed state: no gap.
    claim_update(
        claim=renamed, user=analyst, expected_version=renamed.version, claimant="X"
    )
    last = history_replay("claim", renamed.pk)[-1]
    assert last is not None and last["claimant"] == "X"
