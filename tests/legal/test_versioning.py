"""Stale edits of versioned records share one conflict rule
(``annotations/services/versioning.py``)."""

from __future__ import annotations

import pytest

from legal.services.claims import claim_create, claim_delete, claim_update
from projects.errors import ConflictError

pytestmark = pytest.mark.django_db


def test_editing_a_claim_deleted_meanwhile_is_a_conflict_not_a_crash(project, analyst):
    claim = claim_create(project=project, user=analyst, proposition="Nine boats hit")
    claim_delete(claim=claim, user=analyst, expected_version=claim.version)
    with pytest.raises(ConflictError, match="deleted this claim") as info:
        claim_update(claim=claim, user=analyst, expected_version=1, proposition="x")
    assert info.value.current is None


def test_stale_claim_edit_names_both_versions(project, analyst):
    claim = claim_create(project=project, user=analyst, proposition="Nine boats hit")
    claim_update(claim=claim, user=analyst, expected_version=1, proposition="Ten")
    with pytest.raises(ConflictError, match="now version 2, you edited version 1"):
        claim_update(claim=claim, user=analyst, expected_version=1, proposition="x")
