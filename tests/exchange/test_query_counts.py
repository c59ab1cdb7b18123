"""Query counts of the export page do not grow with its export jobs."""

from __future__ import annotations

import pytest

from corpus.models import JobKind, JobStatus
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_export_page(assert_queries_flat, project, owner, analyst):
    def grow(n: int) -> None:
        for i in range(n):
            JobFactory(
                project=project,
                kind=JobKind.EXPORT,
                status=JobStatus.DONE,
                created_by=(owner, analyst)[i % 2],
                report={"format": "jsonl"},
            )

    assert_queries_flat(owner, f"/p/{project.slug}/export/", grow)
