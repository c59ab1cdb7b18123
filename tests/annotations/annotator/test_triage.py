"""Triage at scale: filter the pending suggestions, decide all that match."""

from __future__ import annotations

from typing import cast

import pytest
from django.urls import reverse

from annotations.models import Annotation, Suggestion, SuggestionStatus, Tag
from annotations.selectors import SuggestionFilters, suggestions_triage
from annotations.services.suggestions import suggestion_reject, suggestions_decide_bulk
from audit.models import HistoryEntry
from corpus.models import Document
from projects.errors import ApplicationError
from tests.factories import DocumentFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

PHRASES = [
    ("casualty_figure", "14 people", "figure.rule", 0.9),
    ("official_claim", "The minister said", "claim.rule", 0.8),
    ("casualty_figure", "were killed", "figure.rule", 0.4),
    ("hedged_allegation", "yet to provide evidence", "hedge.rule", 0.6),
]


def seed(document):
    out = []
    for key, phrase, rule, confidence in PHRASES:
        start = document.text.index(phrase)
        out.append(
            SuggestionFactory(
                document=document,
                tag=Tag.objects.get(project=document.project, key=key),
                start=start,
                end=start + len(phrase),
                rule=rule,
                confidence=confidence,
            )
        )
    return out


def triage(user, project, **filters):
    return suggestions_triage(
        user=user, project=project, filters=SuggestionFilters(**filters)
    )


def test_filters_by_tag_rule_and_confidence(project, document, analyst):
    seed(document)
    assert triage(analyst, project).count() == 4
    assert triage(analyst, project, tag="casualty_figure").count() == 2
    assert triage(analyst, project, rule="claim.rule").count() == 1
    assert triage(analyst, project, min_confidence=0.6).count() == 3
    figures = triage(
        analyst, project, tag="casualty_figure", min_confidence=0.5, max_confidence=1
    )
    assert [s.quote for s in figures] == ["14 people"]


def test_bulk_accept_decides_each_with_history(project, document, analyst):
    seed(document)
    matching = triage(analyst, project, tag="casualty_figure")
    result = suggestions_decide_bulk(
        suggestions=matching, user=analyst, decision="accept", expected_count=2
    )
    assert result.decided == 2 and result.skipped == []
    accepted = Suggestion.objects.filter(status=SuggestionStatus.ACCEPTED)
    assert sorted(s.quote for s in accepted) == ["14 people", "were killed"]
    assert all(s.decided_by == analyst for s in accepted)
    annotations = Annotation.objects.filter(author=analyst)
    assert sorted(a.quote for a in annotations) == ["14 people", "were killed"]
    # Recorded like single decisions: one entry per suggestion and annotation.
    for s in accepted:
        assert HistoryEntry.objects.filter(
            object_type="suggestion", object_id=s.pk, actor=analyst
        ).exists()
    assert triage(analyst, project).count() == 2


def test_bulk_refuses_when_the_queue_changed(project, document, analyst):
    seed(document)
    with pytest.raises(ApplicationError, match="4 suggestions match now, not the 3"):
        suggestions_decide_bulk(
            suggestions=triage(analyst, project),
            user=analyst,
            decision="reject",
            expected_count=3,
        )
    assert not Suggestion.objects.exclude(status=SuggestionStatus.PENDING).exists()
    with pytest.raises(ApplicationError, match="decision must be one of"):
        suggestions_decide_bulk(
            suggestions=triage(analyst, project),
            user=analyst,
            decision="maybe",
            expected_count=4,
        )


def test_one_decided_meanwhile_is_skipped_not_fatal(
    project, document, analyst, second_analyst
):
    suggestions = seed(document)
    matching = triage(analyst, project)
    ids = list(matching.values_list("pk", flat=True))
    # Another analyst rejects one between the count and the loop.
    queryset = Suggestion.objects.filter(pk__in=ids)
    suggestion_reject(suggestion=suggestions[0], user=second_analyst)
    result = suggestions_decide_bulk(
        suggestions=queryset, user=analyst, decision="reject", expected_count=4
    )
    assert result.decided == 3
    assert len(result.skipped) == 1 and "already decided" in result.skipped[0]


def test_blind_analyst_triages_what_they_have_not_decided(
    project, analyst, second_analyst, owner
):
    """In blind mode the queue is each analyst's own: a colleague's decision
    leaves the suggestion pending for the others, and a bulk decision is
    recorded per annotator, never on the suggestion."""
    project.blind_mode = True
    project.save()
    mine = cast(Document, DocumentFactory(project=project))
    other = cast(Document, DocumentFactory(project=project))
    seed(mine)
    seed(other)
    assert triage(analyst, project).count() == 8
    first = triage(second_analyst, project).first()
    assert first is not None
    suggestion_reject(suggestion=first, user=second_analyst)
    assert triage(second_analyst, project).count() == 7
    assert triage(analyst, project).count() == 8
    result = suggestions_decide_bulk(
        suggestions=triage(analyst, project),
        user=analyst,
        decision="reject",
        expected_count=8,
    )
    assert result.decided == 8 and result.skipped == []
    assert triage(analyst, project).count() == 0
    assert triage(second_analyst, project).count() == 7
    # Owners are not blind: for them every suggestion is still pending.
    assert triage(owner, project).count() == 8


def test_non_member_sees_nothing(project, document):
    from tests.factories import UserFactory

    seed(document)
    assert triage(UserFactory(), project).count() == 0


# --- API ---------------------------------------------------------------------------


def test_api_counts_then_rejects_all_matching(api, project, document, analyst):
    seed(document)
    url = reverse("suggestion-triage")
    client = api(analyst)
    answer = client.get(url, {"project": project.slug, "rule": "figure.rule"})
    assert answer.status_code == 200 and answer.json() == {"count": 2}
    body = {
        "project": project.slug,
        "rule": "figure.rule",
        "decision": "reject",
        "expected_count": 2,
    }
    answer = client.post(url, body, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json() == {"decided": 2, "skipped": []}
    assert Suggestion.objects.filter(status=SuggestionStatus.REJECTED).count() == 2
    # The same confirmation again: the queue changed, nothing is decided.
    answer = client.post(url, body, format="json")
    assert answer.status_code == 400
    assert "0 suggestions match now" in answer.json()["message"]


def test_api_checks_roles_and_input(api, project, document, viewer):
    seed(document)
    url = reverse("suggestion-triage")
    body = {"project": project.slug, "decision": "accept", "expected_count": 4}
    assert api(viewer).get(url, {"project": project.slug}).json() == {"count": 4}
    assert api(viewer).post(url, body, format="json").status_code == 403
    from tests.factories import UserFactory

    assert api(UserFactory()).post(url, body, format="json").status_code == 404
    assert api().get(url, {"project": project.slug}).status_code in (401, 403)
    bad = api(viewer).get(url, {"project": project.slug, "min_confidence": "2"})
    assert bad.status_code == 400
    assert "min_confidence" in str(bad.json())
    assert Suggestion.objects.filter(status=SuggestionStatus.PENDING).count() == 4


# --- Page --------------------------------------------------------------------------


def test_page_asks_to_confirm_then_accepts(client, project, document, analyst):
    seed(document)
    client.force_login(analyst)
    url = reverse("triage", kwargs={"slug": project.slug})
    page = client.get(url, {"tag": "casualty_figure"})
    assert page.status_code == 200
    assert "2</strong> pending suggestions match" in page.content.decode()
    asked = client.post(url, {"tag": "casualty_figure", "decision": "accept"})
    assert "Accept all 2 suggestions?" in asked.content.decode()
    assert not Annotation.objects.exists()
    done = client.post(
        url,
        {
            "tag": "casualty_figure",
            "decision": "accept",
            "confirm": "1",
            "expected_count": "2",
        },
        follow=True,
    )
    assert "Accepted 2 suggestions." in done.content.decode()
    assert Annotation.objects.count() == 2


def test_page_rejects_inverted_confidence_and_viewer_decisions(
    client, project, document, viewer
):
    seed(document)
    client.force_login(viewer)
    url = reverse("triage", kwargs={"slug": project.slug})
    bad = client.get(url, {"min_confidence": "80", "max_confidence": "20"})
    assert bad.status_code == 400
    assert "is above the highest" in bad.content.decode()
    page = client.get(url)
    assert "Accept all" not in page.content.decode()
    client.post(url, {"decision": "reject", "confirm": "1", "expected_count": "4"})
    assert Suggestion.objects.filter(status=SuggestionStatus.PENDING).count() == 4
