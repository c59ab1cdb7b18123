"""Assignments, submitting, and blind mode through annotations_visible_to."""

from __future__ import annotations

from typing import cast

import pytest

from annotations.selectors import annotations_visible_to
from audit.models import HistoryEntry
from corpus.models import Assignment, AssignmentStatus, Document
from corpus.services import assignment_create, assignment_reopen, assignment_submit
from projects.errors import ApplicationError
from projects.models import Role
from tests.factories import DocumentFactory, make_annotation
from tests.fixtures_team import member


@pytest.fixture
def pair(project, owner, sample_document):
    """Two analysts assigned the same document, each with one annotation."""
    ana = member(project, "ana", Role.ANALYST)
    ben = member(project, "ben", Role.ANALYST)
    a1 = make_annotation(sample_document, ana, 0, 16, ["official_claim"])
    b1 = make_annotation(sample_document, ben, 21, 36, ["casualty_figure"])
    for user in (ana, ben):
        assignment_create(document=sample_document, annotator=user, assigned_by=owner)
    return ana, ben, a1, b1


def visible(user, document):
    return set(annotations_visible_to(user=user, document=document))


def test_without_blind_mode_everyone_sees_everything(pair, sample_document):
    ana, _ben, a1, b1 = pair
    assert visible(ana, sample_document) == {a1, b1}


def test_blind_mode_hides_others_while_it_is_on(
    project, pair, sample_document, owner, reviewer, viewer, outsider
):
    """While the project is blind, viewers and analysts see only their own
    annotations, assigned or not, submitted or not; reviewers and owners
    see everyone's. Turning blind mode off shows everything again."""
    ana, ben, a1, b1 = pair
    unassigned = member(project, "cleo", Role.ANALYST)
    project.blind_mode = True
    project.save()
    sample_document.refresh_from_db()
    assert visible(ana, sample_document) == {a1}
    assert visible(ben, sample_document) == {b1}
    assert visible(reviewer, sample_document) == {a1, b1}
    assert visible(owner, sample_document) == {a1, b1}
    assert visible(viewer, sample_document) == set()
    assert visible(unassigned, sample_document) == set()  # no assignment: still blind
    assert visible(outsider, sample_document) == set()
    assignment = Assignment.objects.get(document=sample_document, annotator=ana)
    assignment_submit(assignment=assignment, user=ana)
    # Submitting does not unblind: a colleague may still be working.
    assert visible(ana, sample_document) == {a1}
    assert visible(ben, sample_document) == {b1}
    a1.refresh_from_db()
    assert (a1.status, a1.version) == ("submitted", 2)
    assert HistoryEntry.objects.filter(
        object_type="annotation", object_id=a1.pk, action="update"
    ).exists()
    assignment_reopen(assignment=assignment, user=reviewer)
    assert visible(ana, sample_document) == {a1}
    project.blind_mode = False
    project.save()
    sample_document.refresh_from_db()
    assert visible(ana, sample_document) == {a1, b1}
    assert visible(viewer, sample_document) == {a1, b1}


def test_only_the_annotator_submits_and_only_once(pair, sample_document):
    ana, ben, *_ = pair
    assignment = Assignment.objects.get(document=sample_document, annotator=ana)
    with pytest.raises(ApplicationError, match="Only the assigned analyst"):
        assignment_submit(assignment=assignment, user=ben)
    assignment_submit(assignment=assignment, user=ana)
    with pytest.raises(ApplicationError, match="already submitted"):
        assignment_submit(assignment=assignment, user=ana)


def test_viewers_cannot_be_assigned(project, owner, viewer, sample_document):
    with pytest.raises(ApplicationError, match="not an analyst"):
        assignment_create(document=sample_document, annotator=viewer, assigned_by=owner)


def test_owner_assigns_in_bulk_and_toggles_blind_mode(client, project, owner, analyst):
    docs = [cast(Document, DocumentFactory(project=project)) for _ in range(3)]
    second = member(project, "second", Role.ANALYST)
    client.force_login(owner)
    url = f"/p/{project.slug}/assignments/"
    client.post(
        url,
        {"documents": [d.pk for d in docs], "annotators": [analyst.pk, second.pk]},
    )
    assert Assignment.objects.filter(document__project=project).count() == 6
    page = client.get(url)
    assert page.content.count(b"status-assigned") == 6
    client.post(f"/p/{project.slug}/assignments/settings/", {"blind_mode": "on"})
    project.refresh_from_db()
    assert project.blind_mode
    client.post(f"/p/{project.slug}/assignments/settings/", {})
    project.refresh_from_db()
    assert not project.blind_mode


def test_my_queue_and_submit_button(client, project, owner, analyst, sample_document):
    assignment = assignment_create(
        document=sample_document, annotator=analyst, assigned_by=owner
    )
    make_annotation(sample_document, analyst, 0, 16, ["official_claim"])
    client.force_login(analyst)
    queue = client.get(f"/p/{project.slug}/queue/")
    assert b"Submit document" in queue.content
    assert sample_document.title.encode() in queue.content
    client.post(f"/p/{project.slug}/assignments/{assignment.pk}/submit/")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    # An analyst cannot reopen or withdraw.
    response = client.post(f"/p/{project.slug}/assignments/{assignment.pk}/reopen/")
    assert response.status_code == 403


def test_assignment_api(client, project, owner, analyst, sample_document):
    client.force_login(owner)
    created = client.post(
        "/api/assignments/",
        {"document": sample_document.pk, "annotator": analyst.pk},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    client.force_login(analyst)
    listed = client.get(f"/api/assignments/?project={project.slug}").json()
    assert [a["id"] for a in listed["results"]] == [pk]
    denied = client.post(
        "/api/assignments/",
        {"document": sample_document.pk, "annotator": analyst.pk},
        content_type="application/json",
    )
    assert denied.status_code == 403
    submitted = client.post(f"/api/assignments/{pk}/submit/")
    assert submitted.json()["status"] == "submitted"
