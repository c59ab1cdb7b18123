"""Span-level suggestions: each covers the words that carry its tag and keeps
its sentence as context; re-analysis refreshes or removes pending ones.

The analysis data is built by hand (no spaCy): one sentence with a refusal
cue, so the rules' ``fired[tag]["span"]`` is the cue's characters.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from annotations.models import Suggestion, SuggestionStatus
from annotations.selectors import suggestion_payload
from annotations.services.suggestions import (
    suggestion_span,
    suggestions_create_for_document,
)
from corpus.models import Document
from tests.factories import DocumentFactory

TEXT = "Six boats were seen on Sunday. The ministry declined to comment on the raid."
CUE = "declined to comment"


def analysis(
    claimant: str = "the ministry", *, with_cue: bool = True
) -> dict[str, Any]:
    first_end = TEXT.index(".") + 1
    second = TEXT.index("The ministry")
    at = TEXT.index(CUE)
    cues = [
        {
            "start": at,
            "end": at + len(CUE),
            "text": CUE,
            "label": "refusal",
            "rule": "refusal.declined_to",
            "sentence": 1,
            "claimant": claimant,
            "claimant_type": "acting_government",
            "attribution": None,
        }
    ]
    return {
        "sentences": [
            {
                "start": 0,
                "end": first_end,
                "claimant": "",
                "claimant_type": "reporter",
                "claimant_via": "",
                "is_claim": True,
            },
            {
                "start": second,
                "end": len(TEXT),
                "claimant": claimant,
                "claimant_type": "acting_government",
                "claimant_via": "",
                "is_claim": True,
            },
        ],
        "tokens": [],
        "entities": [],
        "attributions": [],
        "cues": cues if with_cue else [],
        "quantities": [],
        "voice": None,
    }


def test_a_span_inside_the_sentence_is_used_else_the_sentence():
    sentence = {"start": 10, "end": 50}
    assert suggestion_span(sentence, {"span": {"start": 20, "end": 30}}) == (20, 30)
    assert suggestion_span(sentence, {}) == (10, 50)
    # Outside the sentence, empty or malformed: the sentence.
    for span in (
        {"start": 5, "end": 30},
        {"start": 40, "end": 60},
        {"start": 30, "end": 30},
        {"start": "20", "end": 30},
        [20, 30],
    ):
        assert suggestion_span(sentence, {"span": span}) == (10, 50), span


@pytest.mark.django_db
def test_suggestion_covers_the_cue_and_keeps_its_sentence(project):
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    created = suggestions_create_for_document(document=document, data=analysis())
    assert "refusal_or_non_answer" in {s.tag.key for s in created}
    refusal = Suggestion.objects.get(
        document=document, tag__key="refusal_or_non_answer"
    )
    assert refusal.quote == CUE
    assert TEXT[refusal.context_start : refusal.context_end] == (
        "The ministry declined to comment on the raid."
    )
    assert refusal.claimant == "the ministry"
    payload = suggestion_payload(refusal)
    assert (payload["start"], payload["end"]) == (
        TEXT.index(CUE),
        TEXT.index(CUE) + len(CUE),
    )
    assert payload["context_start"] == TEXT.index("The ministry")
    assert payload["context_end"] == len(TEXT)
    # Again: nothing new.
    assert suggestions_create_for_document(document=document, data=analysis()) == []


@pytest.mark.django_db
def test_reanalysis_refreshes_pending_removes_stale_and_keeps_decided(project):
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    suggestions_create_for_document(document=document, data=analysis())
    refusal = Suggestion.objects.get(
        document=document, tag__key="refusal_or_non_answer"
    )
    # A new claimant (e.g. after the source changed): the pending one follows.
    suggestions_create_for_document(
        document=document, data=analysis("the Ministry of Defence")
    )
    refusal.refresh_from_db()
    assert refusal.claimant == "the Ministry of Defence"
    assert refusal.status == SuggestionStatus.PENDING
    # No cue any more: the pending suggestion goes.
    suggestions_create_for_document(document=document, data=analysis(with_cue=False))
    assert not Suggestion.objects.filter(pk=refusal.pk).exists()
    # A rejected one stays rejected and is not re-created.
    suggestions_create_for_document(document=document, data=analysis())
    again = Suggestion.objects.get(document=document, tag__key="refusal_or_non_answer")
    again.status = SuggestionStatus.REJECTED
    again.save()
    suggestions_create_for_document(document=document, data=analysis(with_cue=False))
    suggestions_create_for_document(document=document, data=analysis("someone else"))
    again.refresh_from_db()
    assert again.status == SuggestionStatus.REJECTED
    assert again.claimant == "the ministry"
    assert (
        Suggestion.objects.filter(
            document=document, tag__key="refusal_or_non_answer"
        ).count()
        == 1
    )
