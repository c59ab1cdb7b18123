"""Fixtures of the team-and-trust tests: members of every role and a second
project (``tests.factories.make_annotation`` stores annotations)."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from projects.services import membership_set, project_create
from tests.factories import DocumentFactory, UserFactory


def member(project, username: str, role: str):
    user = cast(User, UserFactory(username=username))
    membership_set(project=project, user=user, role=role)
    return user


@pytest.fixture
def other_project(db):
    """Project B, whose owner is an outsider to the ``project`` fixture."""
    outsider = cast(User, UserFactory(username="outsider"))
    return project_create(name="Another case", slug="another", created_by=outsider)


@pytest.fixture
def outsider(other_project):
    return other_project.memberships.get().user


@pytest.fixture
def sample_document(project):
    return DocumentFactory(
        project=project,
        title="Harbour statement of Minister Quillon",
        text=(
            "Minister Quillon said nine crew died. The ministry gave no proof. "
            "Observers from Vantor called it unlawful. Rescue boats left at dawn."
        ),
    )
