"""A project archive carries the account registry and the decisions members
made while blind, with their ids remapped, so neither is lost on a move."""

from __future__ import annotations

import io

from annotations.models import Suggestion, SuggestionDecision
from annotations.services.suggestions import suggestion_reject
from corpus.models import SocialAccount
from corpus.social_services import social_account_create
from exchange.imports.archive import import_archive
from tests.exchange.test_archive import export_bytes


def test_accounts_and_blind_decisions_survive_the_archive(rich_project, owner, analyst):
    project = rich_project["project"]
    social_account_create(
        project=project,
        user=owner,
        platform="x",
        handle="mindefestrania",
        claimant="Estrania Ministry of Defence",
        claimant_type="acting_government",
        notes="The ministry's own account.",
    )
    project.blind_mode = True
    project.save(update_fields=["blind_mode"])
    suggestion = Suggestion.objects.get(project=project)
    suggestion_reject(suggestion=suggestion, user=analyst)
    decided = SuggestionDecision.objects.get(suggestion=suggestion)

    copy = import_archive(io.BytesIO(export_bytes(project)), as_slug="copy").project

    account = SocialAccount.objects.get(project=copy)
    assert (account.platform, account.handle, account.claimant) == (
        "x",
        "mindefestrania",
        "Estrania Ministry of Defence",
    )
    assert account.claimant_type == "acting_government"
    copied = SuggestionDecision.objects.get(suggestion__project=copy)
    assert copied.suggestion.rule == suggestion.rule
    assert copied.suggestion_id != suggestion.pk
    assert copied.annotator_id == analyst.pk
    assert copied.status == decided.status == "rejected"
    assert copied.decided_at == decided.decided_at
