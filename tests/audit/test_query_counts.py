"""Query counts of the history page do not grow with its entries."""

from __future__ import annotations

import pytest

from tests.factories import make_annotation
from tests.fixtures_team import member

pytestmark = pytest.mark.django_db


def test_project_history(assert_queries_flat, project, owner, document):
    def grow(n: int) -> None:
        for i in range(n):
            user = member(project, f"writer{i % 7}", "analyst")
            make_annotation(
                document, user, "14 people", tags=["casualty_figure"], history=True
            )

    assert_queries_flat(owner, f"/p/{project.slug}/history/", grow)
