"""Query counts of the assignments page do not grow with its rows."""

from __future__ import annotations

import pytest

from tests.factories import AssignmentFactory, DocumentFactory
from tests.fixtures_team import member

pytestmark = pytest.mark.django_db


def test_assignments(assert_queries_flat, project, owner):
    users = [member(project, f"annotator{i}", "analyst") for i in range(3)]

    def grow(n: int) -> None:
        for _ in range(n):
            document = DocumentFactory(project=project)
            for user in users[:2]:
                AssignmentFactory(document=document, annotator=user, assigned_by=owner)

    counts = assert_queries_flat(owner, f"/p/{project.slug}/assignments/", grow)
    assert counts.response.status_code == 200
