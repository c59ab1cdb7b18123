"""Suggestion decisions and the blind-mode selector."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from annotations.models import Annotation, Origin, Suggestion, SuggestionStatus, Tag
from annotations.selectors import annotations_visible_to, document_tokens
from annotations.services.annotations import annotation_create
from annotations.services.suggestions import (
    suggestion_accept,
    suggestion_edit,
    suggestion_reject,
)
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


def test_blind_mode_hides_others_until_submitted(project, document, analyst, owner):
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
    # Owners and reviewers always see everything; so does a colleague without
    # an assignment on this document.
    assert visible(owner) == {mine, theirs}
    assert visible(colleague) == {mine, theirs}
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.save()
    assert visible(analyst) == {mine, theirs}
    project.blind_mode = False
    project.save()
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save()
    assert visible(analyst) == {mine, theirs}
    stranger = UserFactory(username="stranger")
    assert visible(stranger) == set()


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
