"""Adjudication: side by side, agreements flagged, reconciled version made."""

from __future__ import annotations

import pytest

from annotations.models import Annotation, Origin, Tag
from audit.models import HistoryEntry
from corpus.models import AssignmentStatus, Document
from corpus.services import assignment_create, assignment_submit
from projects.models import Role
from review.services import (
    adjudication_accept,
    adjudication_accept_agreements,
    adjudication_finish,
    adjudication_reject,
    adjudication_view_data,
)
from tests.factories import make_annotation
from tests.fixtures_team import member


def quote_span(document: Document, quote: str) -> tuple[int, int]:
    start = document.text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def two_versions(project, owner, sample_document):
    """ana and ben submit; they agree on one span and differ on two."""
    doc = sample_document
    ana = member(project, "ana", Role.ANALYST)
    ben = member(project, "ben", Role.ANALYST)
    minister = quote_span(doc, "Minister Quillon said nine crew died")
    make_annotation(doc, ana, *minister, ["official_claim"])
    make_annotation(doc, ben, *minister, ["official_claim"])
    make_annotation(doc, ana, *quote_span(doc, "nine crew died"), ["casualty_figure"])
    make_annotation(doc, ben, *quote_span(doc, "nine crew died."), ["casualty_figure"])
    for user in (ana, ben):
        assignment = assignment_create(document=doc, annotator=user, assigned_by=owner)
        assignment_submit(assignment=assignment, user=user)
    return doc, ana, ben


def test_candidates_group_agreements_and_disagreements(two_versions):
    doc, *_ = two_versions
    data = adjudication_view_data(doc)
    assert data.annotators == ["ana", "ben"]
    assert (data.agreements, data.disagreements) == (1, 2)
    agreed = next(c for c in data.candidates if c.agreed)
    assert agreed.tag.key == "official_claim"
    assert agreed.annotators == ["ana", "ben"]
    near = [c for c in data.candidates if not c.agreed]
    assert {tuple(c.annotators) for c in near} == {("ana",), ("ben",)}
    assert all(c.overlaps for c in near)  # each overlaps the other's span
    assert data.sentences[0].candidates and not data.sentences[1].candidates


def test_reconciled_version_with_history(two_versions, reviewer):
    doc, ana, ben = two_versions
    casualty = Tag.objects.get(project=doc.project, key="casualty_figure")
    assert adjudication_accept_agreements(document=doc, reviewer=reviewer) == 1
    start, end = quote_span(doc, "nine crew died")
    adjudication_accept(
        document=doc, reviewer=reviewer, start=start, end=end, tag=casualty
    )
    rejected = adjudication_reject(
        document=doc, reviewer=reviewer, start=start, end=end + 1, tag=casualty
    )
    assert rejected == 1
    observers = quote_span(doc, "Observers from Vantor called it unlawful")
    adjudication_accept(
        document=doc,
        reviewer=reviewer,
        start=observers[0],
        end=observers[1],
        tag=Tag.objects.get(project=doc.project, key="experts_say_illegal"),
        note="Missed by both",
    )
    reconciled = Annotation.objects.filter(document=doc, origin=Origin.ADJUDICATION)
    assert reconciled.count() == 3
    assert set(reconciled.values_list("author__username", flat=True)) == {"reviewer"}
    # Created through annotation_create: accepted, anchored, one "create" each.
    assert set(reconciled.values_list("status", flat=True)) == {"accepted"}
    assert all(r.quote == doc.text[r.start : r.end] for r in reconciled.all())
    assert reconciled.filter(note="Missed by both").count() == 1
    for r in reconciled.all():
        creates = HistoryEntry.objects.filter(
            object_type="annotation", object_id=r.pk, action="create"
        )
        assert list(creates.values_list("actor__username", flat=True)) == ["reviewer"]
    ben_casualty = Annotation.objects.get(author=ben, tags=casualty)
    assert ben_casualty.status == "rejected"
    ana_casualty = Annotation.objects.get(author=ana, tags=casualty)
    assert ana_casualty.status == "accepted"
    assert adjudication_finish(document=doc, reviewer=reviewer) == 2
    assert set(doc.assignments.values_list("status", flat=True)) == {
        AssignmentStatus.ADJUDICATED
    }
    created = HistoryEntry.objects.filter(
        object_type="annotation",
        object_id__in=reconciled.values("pk"),
        action="create",
        actor=reviewer,
    )
    assert created.count() == 3
    # Rejecting an accepted reconciled span removes it again, recorded.
    adjudication_reject(
        document=doc, reviewer=reviewer, start=start, end=end, tag=casualty
    )
    assert reconciled.count() == 2
    assert HistoryEntry.objects.filter(action="delete", actor=reviewer).count() == 1


def test_analyst_cannot_adjudicate(two_versions):
    doc, ana, _ = two_versions
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        adjudication_accept_agreements(document=doc, reviewer=ana)


def test_adjudication_page(client, two_versions, reviewer, project):
    doc, *_ = two_versions
    client.force_login(reviewer)
    url = f"/p/{project.slug}/adjudicate/{doc.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"1 agreement" in page.content and b"2 disagreements" in page.content
    assert b"candidate agree" in page.content and b"candidate disagree" in page.content
    # Side by side: one column per annotator.
    assert b'<th scope="col">ana</th><th scope="col">ben</th>' in page.content
    casualty = Tag.objects.get(project=project, key="casualty_figure")
    response = client.post(
        url,
        {"action": "add", "quote": "Rescue boats left at dawn", "tag": casualty.pk},
    )
    assert response.status_code == 302
    added = Annotation.objects.get(document=doc, origin=Origin.ADJUDICATION)
    assert added.quote == "Rescue boats left at dawn"
    page = client.get(url)
    assert b"Reconciled version" in page.content
    bad = client.post(
        url,
        {"action": "add", "quote": "not in the text", "tag": casualty.pk},
        follow=True,
    )
    assert b"does not occur in the document" in bad.content
    listing = client.get(f"/p/{project.slug}/adjudicate/")
    assert doc.title.encode() in listing.content
