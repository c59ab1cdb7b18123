"""Undo of a suggestion decision (the annotator's Ctrl+Z): the suggestion is
pending again and the annotation the acceptance made is gone, in history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annotations.models import Annotation, Suggestion, SuggestionStatus, Tag
from annotations.services.suggestions import (
    suggestion_accept,
    suggestion_reject,
    suggestion_reopen,
)
from audit.models import HistoryAction, HistoryEntry
from projects.errors import ConflictError
from tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def make(document, phrase="14 people"):
    start = document.text.index(phrase)
    return SuggestionFactory(
        document=document,
        tag=Tag.objects.get(project=document.project, key="casualty_figure"),
        start=start,
        end=start + len(phrase),
    )


def test_reopen_an_acceptance_deletes_its_annotation(document, analyst):
    suggestion = make(document)
    annotation = suggestion_accept(suggestion=suggestion, user=analyst)
    reopened = suggestion_reopen(suggestion=suggestion, user=analyst)
    assert reopened.status == SuggestionStatus.PENDING
    assert reopened.decided_by is None and reopened.annotation is None
    assert not Annotation.objects.filter(pk=annotation.pk).exists()
    assert HistoryEntry.objects.filter(
        object_type="annotation", object_id=annotation.pk, action=HistoryAction.DELETE
    ).exists()
    last = HistoryEntry.objects.filter(
        object_type="suggestion", object_id=suggestion.pk
    ).latest("pk")
    assert last.before is not None and last.after is not None
    assert last.before["status"] == "accepted" and last.after["status"] == "pending"
    # Decided again after the undo (redo): a fresh annotation.
    again = suggestion_accept(suggestion=suggestion, user=analyst)
    assert again.pk != annotation.pk


def test_reopen_a_rejection_and_refusals(document, analyst, second_analyst):
    suggestion = make(document)
    suggestion_reject(suggestion=suggestion, user=analyst)
    with pytest.raises(PermissionDenied, match="Only the analyst who decided"):
        suggestion_reopen(suggestion=suggestion, user=second_analyst)
    assert suggestion_reopen(suggestion=suggestion, user=analyst).status == "pending"
    with pytest.raises(ConflictError, match="pending already"):
        suggestion_reopen(suggestion=suggestion, user=analyst)


def test_api_reopen(api, document, analyst, second_analyst, viewer):
    suggestion = make(document)
    suggestion_accept(suggestion=suggestion, user=analyst)
    url = reverse("suggestion-reopen", args=[suggestion.pk])
    assert api(viewer).post(url).status_code == 403
    assert api(second_analyst).post(url).status_code == 403
    answer = api(analyst).post(url)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "pending"
    assert answer.json()["quote"] == "14 people"
    assert Suggestion.objects.get().status == SuggestionStatus.PENDING
    assert not Annotation.objects.exists()
    assert api(analyst).post(url).status_code == 409
