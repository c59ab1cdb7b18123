"""Assignments at scale: from the document list (ticked or all matching),
natural title order, and handing open work from one analyst to another."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from annotations.selectors import DocumentFilters, documents_filtered
from audit.models import HistoryEntry
from corpus.models import Assignment, AssignmentStatus, Document
from corpus.services import (
    assignment_submit,
    assignments_create_bulk,
    assignments_reassign,
)
from projects.errors import ApplicationError
from projects.models import Role
from tests.factories import DocumentFactory
from tests.fixtures_team import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(project):
    """Titles whose natural order differs from character order."""
    return [
        DocumentFactory(project=project, title=title)
        for title in ("Report 10", "Report 2", "Report 1", "annex", "Report 21")
    ]


@pytest.mark.postgres
def test_title_order_is_natural(project, reports):
    docs, _ = documents_filtered(
        project=project, filters=DocumentFilters(order="title")
    )
    titles = [d.title for d in cast(list[Document], docs)]
    assert titles == ["annex", "Report 1", "Report 2", "Report 10", "Report 21"]


def test_bulk_create_skips_existing_and_records_history(
    project, owner, analyst, reports
):
    first = assignments_create_bulk(
        project=project, documents=reports[:2], annotators=[analyst], assigned_by=owner
    )
    again = assignments_create_bulk(
        project=project, documents=reports, annotators=[analyst], assigned_by=owner
    )
    assert len(first) == 2 and len(again) == 3
    assert Assignment.objects.filter(annotator=analyst).count() == 5
    assert HistoryEntry.objects.filter(object_type="assignment").count() == 5


def test_reassign_moves_open_work_and_keeps_submitted(project, owner, analyst, reports):
    other = member(project, "second", Role.ANALYST)
    assignments_create_bulk(
        project=project, documents=reports, annotators=[analyst], assigned_by=owner
    )
    done = Assignment.objects.get(document=reports[0], annotator=analyst)
    assignment_submit(assignment=done, user=analyst)
    assignments_create_bulk(
        project=project, documents=[reports[1]], annotators=[other], assigned_by=owner
    )
    result = assignments_reassign(
        project=project,
        documents=reports,
        from_annotator=analyst,
        to_annotator=other,
        user=owner,
    )
    assert (result.moved, result.already, result.kept_submitted) == (3, 1, 1)
    mine = Assignment.objects.filter(annotator=analyst)
    assert list(mine.values_list("status", flat=True)) == [AssignmentStatus.SUBMITTED]
    assert Assignment.objects.filter(annotator=other).count() == 4
    deletes = HistoryEntry.objects.filter(object_type="assignment", action="delete")
    assert deletes.count() == 4
    with pytest.raises(ApplicationError, match="two different people"):
        assignments_reassign(
            project=project,
            documents=reports,
            from_annotator=other,
            to_annotator=other,
            user=owner,
        )
    with pytest.raises(Exception, match="owner role"):
        assignments_reassign(
            project=project,
            documents=reports,
            from_annotator=other,
            to_annotator=analyst,
            user=analyst,
        )


def test_assign_ticked_and_all_matching_from_the_list(
    client, project, owner, analyst, reports
):
    url = f"/p/{project.slug}/documents/assign/"
    client.force_login(owner)
    ticked = client.post(
        url,
        {
            "action": "assign",
            "scope": "selected",
            "documents": [reports[0].pk, reports[1].pk],
            "annotator": analyst.pk,
            "order": "title",
        },
        follow=True,
    )
    assert ticked.redirect_chain[-1][0] == f"/p/{project.slug}/documents/?order=title"
    assert b"Assigned 2 documents to analyst." in ticked.content
    matching = client.post(
        url,
        {
            "action": "assign",
            "scope": "matching",
            "q": "Report 2",
            "kind": "",
            "annotator": analyst.pk,
        },
        follow=True,
    )
    assert b"Assigned" in matching.content
    everything = client.post(
        url,
        {"action": "assign", "scope": "matching", "annotator": analyst.pk},
        follow=True,
    )
    assert b"already were" in everything.content
    assert Assignment.objects.filter(annotator=analyst).count() == len(reports)
    empty = client.post(
        url,
        {"action": "assign", "scope": "selected", "annotator": analyst.pk},
        follow=True,
    )
    assert b"Tick at least one document" in empty.content


def test_assign_is_for_owners_and_scoped_to_the_project(
    client, project, owner, analyst, reports
):
    url = f"/p/{project.slug}/documents/assign/"
    client.force_login(analyst)
    assert client.post(url, {"action": "assign"}).status_code == 403
    page = client.get(f"/p/{project.slug}/documents/")
    assert b"bulk-assign" not in page.content
    foreign = cast(Document, DocumentFactory(title="Elsewhere"))
    client.force_login(owner)
    assert b"bulk-assign" in client.get(f"/p/{project.slug}/documents/").content
    client.post(
        url,
        {
            "action": "assign",
            "scope": "selected",
            "documents": [foreign.pk],
            "annotator": analyst.pk,
        },
    )
    assert not Assignment.objects.filter(document=foreign).exists()
    outsider = cast(User, member(foreign.project, "outsider", Role.OWNER))
    client.force_login(outsider)
    assert client.post(url, {"action": "assign"}).status_code == 404
    assert Document.objects.filter(project=project).count() == len(reports)
