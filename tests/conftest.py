"""Fixtures shared by the suite."""

from __future__ import annotations

import pytest

from corpus.models import Role
from corpus.services import membership_set, project_create

from .factories import DocumentFactory, UserFactory


@pytest.fixture
def media_root(settings, tmp_path):
    """Store uploaded originals under a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def project(owner):
    """A project created the way users create one: with the default taxonomy."""
    return project_create(name="Strikes at sea", slug="strikes", created_by=owner)


@pytest.fixture
def analyst(project):
    user = UserFactory(username="analyst")
    membership_set(project=project, user=user, role=Role.ANALYST)
    return user


@pytest.fixture
def document(project):
    return DocumentFactory(project=project)
