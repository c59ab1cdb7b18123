"""Fixtures of the annotator's browser tests (the browser itself is shared:
see ``tests/conftest.py``)."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from corpus.services import document_create
from projects.models import Role
from projects.services import membership_set, project_create
from tests.factories import UserFactory


@pytest.fixture
def team(transactional_db, settings, tmp_path):
    """A project with an owner, an analyst and a viewer (real passwords)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = cast(User, UserFactory(username="olena.owner"))
    project = project_create(
        name="Maritime strikes inquiry",
        slug="maritime",
        created_by=owner,
        description="Statements and reports on lethal strikes against small boats.",
    )
    analyst = cast(User, UserFactory(username="amara.analyst"))
    viewer = cast(User, UserFactory(username="victor.viewer"))
    membership_set(project=project, user=analyst, role=Role.ANALYST)
    membership_set(project=project, user=viewer, role=Role.VIEWER)
    return {"project": project, "owner": owner, "analyst": analyst, "viewer": viewer}


def add_statement(project, user, text: str, title: str, **fields):
    """Store a statement through the documents' write path without queueing
    spaCy analysis, for tests that need a fixed set of suggestions.
    ``test_analyst_day`` pastes through the real ingest form instead."""
    return document_create(
        project=project,
        original=text.encode("utf-8"),
        text=text,
        original_name="pasted.txt",
        captured_by=user,
        title=title,
        kind="statement",
        **fields,
    )
