"""The permission layer and the home page."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from corpus.permissions import access_document
from projects.models import Role
from projects.permissions import access_project
from projects.services import membership_set, project_create
from tests.factories import UserFactory


def test_non_member_gets_404(project):
    stranger = cast(User, UserFactory(username="stranger"))
    with pytest.raises(Http404):
        access_project(stranger, project.slug)


def test_low_role_gets_permission_denied(project):
    viewer = cast(User, UserFactory(username="viewer"))
    membership_set(project=project, user=viewer, role=Role.VIEWER)
    assert access_project(viewer, project.slug) == project
    with pytest.raises(PermissionDenied, match="analyst"):
        access_project(viewer, project.slug, Role.ANALYST)


def test_owner_passes_every_role(project, owner):
    for role in Role.values:
        assert access_project(owner, project.slug, role) == project


def test_document_access_follows_its_project(document, owner):
    stranger = cast(User, UserFactory(username="stranger"))
    assert access_document(owner, document.pk) == document
    with pytest.raises(Http404):
        access_document(stranger, document.pk)


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_lists_only_my_projects(client, project, owner):
    other_owner = cast(User, UserFactory(username="other"))
    project_create(name="Secret other case", created_by=other_owner)
    client.force_login(owner)
    response = client.get("/")
    assert response.status_code == 200
    assert b"Strikes at sea" in response.content
    assert b"Secret other case" not in response.content


def test_home_empty_state(client, db):
    client.force_login(UserFactory(username="newcomer"))
    response = client.get("/")
    assert b"not a member of any project" in response.content
