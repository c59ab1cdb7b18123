"""Suggestion decisions and the blind-mode selector."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from annotations.models import (
    Annotation,
    Origin,
    Suggestion,
    SuggestionDecision,
    SuggestionStatus,
    Tag,
)
from annotations.selectors import (
    annotations_visible_to,
    document_tokens,
    suggestions_pending,
    suggestions_seen_by,
)
from annotations.services.annotations import annotation_create
from annotations.services.suggestions import (
    suggestion_accept,
    suggestion_edit,
    suggestion_reject,
    suggestion_reopen,
)
from audit.models import HistoryEntry
from corpus.models import Assignment, AssignmentStatus, DocumentAnalysis
from projects.errors import ConflictError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_suggestion(document, tag_key="casualty_figure", phrase="14 people"):
    start = document.text.index(phrase)
    suggestion = Suggestion(
        document=document,
        project=document.project,
        tag=Tag.objects.get(project=document.project, key=tag_key),
        start=start,
        end=start + len(phrase),
        rule="test.rule",
        explanation="A number of people followed by a casualty verb.",
    )
    suggestion.anchor()
    suggestion.save()
    return suggestion


def test_accept_creates_annotation_once(document, analyst, second_analyst):
    suggestion = make_suggestion(document)
    annotation = suggestion_accept(suggestion=suggestion, user=analyst)
    assert annotation.origin == Origin.SUGGESTION
    assert annotation.quote == "14 people"
    assert [t.key for t in annotation.tags.all()] == ["casualty_figure"]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.annotation == annotation
    assert suggestion.decided_by == analyst
    with pytest.raises(ConflictError, match="already decided"):
        suggestion_accept(suggestion=suggestion, user=second_analyst)
    assert Annotation.objects.count() == 1


def test_reject_and_edit(document, analyst):
    rejected = suggestion_reject(suggestion=make_suggestion(document), user=analyst)
    assert rejected.status == SuggestionStatus.REJECTED
    assert not Annotation.objects.exists()
    other = make_suggestion(document, tag_key="official_claim", phrase="The minister")
    start = document.text.index("The minister said")
    annotation = suggestion_edit(
        suggestion=other,
        user=analyst,
        start=start,
        end=start + len("The minister said"),
        tag_keys=["official_claim", "hedged_allegation"],
    )
    other.refresh_from_db()
    assert other.status == SuggestionStatus.EDITED
    assert annotation.quote == "The minister said"


def test_blind_mode_hides_others_while_on(project, document, analyst, owner):
    colleague = cast(User, UserFactory(username="colleague"))
    from projects.services import membership_set

    membership_set(project=project, user=colleague, role="analyst")
    mine = annotation_create(
        document=document, author=analyst, start=0, end=6, tag_keys=["official_claim"]
    )
    theirs = annotation_create(
        document=document, author=colleague, start=7, end=9, tag_keys=["official_claim"]
    )
    project.blind_mode = True
    project.save()
    assignment = Assignment.objects.create(document=document, annotator=analyst)

    def visible(user):
        return set(annotations_visible_to(user=user, document=document))

    assert visible(analyst) == {mine}
    # Owners and reviewers see everything; a colleague without an assignment
    # on this document is blind all the same.
    assert visible(owner) == {mine, theirs}
    assert visible(colleague) == {theirs}
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.save()
    assert visible(analyst) == {mine}
    project.blind_mode = False
    project.save()
    assert visible(analyst) == {mine, theirs}
    stranger = UserFactory(username="stranger")
    assert visible(stranger) == set()


def test_blind_decisions_are_per_annotator(project, document, analyst, owner):
    """In blind mode each analyst decides a suggestion for themselves: the
    suggestion stays pending for the others, each decision is in history,
    and an undo takes back only one's own."""
    colleague = cast(User, UserFactory(username="colleague"))
    from projects.services import membership_set

    membership_set(project=project, user=colleague, role="analyst")
    project.blind_mode = True
    project.save()
    document.refresh_from_db()
    suggestion = make_suggestion(document)
    rejected = suggestion_reject(suggestion=suggestion, user=colleague)
    assert rejected.seen_status == SuggestionStatus.REJECTED
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.decided_by is None
    # Still pending for the analyst, who accepts it as their own.
    assert list(suggestions_pending(document=document, user=analyst)) == [suggestion]
    assert list(suggestions_pending(document=document, user=colleague)) == []
    annotation = suggestion_accept(suggestion=suggestion, user=analyst)
    assert annotation.author == analyst
    with pytest.raises(ConflictError, match="already decided"):
        suggestion_accept(suggestion=suggestion, user=analyst)
    seen = {
        user.username: suggestions_seen_by(
            Suggestion.objects.filter(pk=suggestion.pk), user=user
        ).get()
        for user in (analyst, colleague, owner)
    }
    assert seen["analyst"].seen_status == SuggestionStatus.ACCEPTED
    assert seen["analyst"].seen_annotation_id == annotation.pk
    assert seen["colleague"].seen_status == SuggestionStatus.REJECTED
    assert seen["colleague"].seen_annotation_id is None
    # Owners are not blind: the suggestion itself is still undecided.
    assert seen["owner"].seen_status == SuggestionStatus.PENDING
    assert {
        (d.annotator.username, d.status) for d in SuggestionDecision.objects.all()
    } == {("analyst", "accepted"), ("colleague", "rejected")}
    entry = HistoryEntry.objects.filter(
        object_type="suggestiondecision", actor=analyst
    ).get()
    assert (entry.after or {})["status"] == "accepted"
    # The colleague's undo removes their decision only.
    suggestion_reopen(suggestion=suggestion, user=colleague)
    assert list(suggestions_pending(document=document, user=colleague)) == [suggestion]
    assert SuggestionDecision.objects.get().annotator == analyst
    assert Annotation.objects.filter(pk=annotation.pk).exists()
    assert HistoryEntry.objects.filter(
        object_type="suggestiondecision", action="delete", actor=colleague
    ).exists()


def test_tokens_from_analysis_or_word_split(document):
    flat = document_tokens(document=document)
    words = [document.text[flat[i] : flat[i + 1]] for i in range(0, len(flat), 2)]
    assert words[:3] == ["Report", words[1], "."] or "Report" in words
    assert "minister" in words and "14" in words
    DocumentAnalysis.objects.create(
        document=document,
        pipeline="test",
        pipeline_version="1",
        data={"tokens": [{"start": 0, "end": 6}, {"start": 7, "end": 9}]},
    )
    assert document_tokens(document=document) == [0, 6, 7, 9]
