"""Self-service projects: the "New project" page and the admin both go through
``project_create`` (owner, default tags and framework)."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from annotations.models import Tag
from legal.models import Framework
from projects.models import Membership, Project, Role
from projects.services import project_create, project_update
from tests.factories import UserFactory


def test_project_create_cleans_acting_states_and_frees_the_slug(owner):
    first = project_create(
        name="Strikes at sea",
        created_by=owner,
        acting_states=[" United  States", "", "united states", "Venezuela"],
        blind_mode=True,
    )
    second = project_create(name="Strikes at sea", created_by=owner)
    assert first.acting_states == ["United States", "Venezuela"]
    assert first.blind_mode is True
    assert (first.slug, second.slug) == ("strikes-at-sea", "strikes-at-sea-2")
    with pytest.raises(ValidationError, match="letter or digit"):
        project_create(name="!!!", created_by=owner)
    project_update(project=second, acting_states=["Peru", "peru"])
    second.refresh_from_db()
    assert second.acting_states == ["Peru"]


def test_new_project_page_makes_the_creator_owner_with_defaults(client, db):
    user = cast(User, UserFactory(username="founder"))
    client.force_login(user)
    assert client.get("/projects/new/").status_code == 200
    response = client.post(
        "/projects/new/",
        {
            "name": "Boats in the Caribbean",
            "description": "Strikes on small boats.",
            "acting_states": "United States\nTrinidad and Tobago, United States",
            "blind_mode": "on",
        },
    )
    project = Project.objects.get(name="Boats in the Caribbean")
    assert response.status_code == 302
    assert response["Location"] == f"/p/{project.slug}/"
    assert project.acting_states == ["United States", "Trinidad and Tobago"]
    assert project.blind_mode is True
    assert Membership.objects.get(project=project).role == Role.OWNER
    assert Tag.objects.filter(project=project).exists()
    assert Framework.objects.filter(project=project).exists()
    refused = client.post("/projects/new/", {"name": ""})
    assert refused.status_code == 400
    assert b"This field is required" in refused.content


def test_new_project_page_needs_sign_in(client, db):
    response = client.get("/projects/new/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_admin_add_goes_through_project_create(client, db):
    admin = User.objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    response = client.post(
        "/admin/projects/project/add/",
        {
            "name": "Admin made",
            "slug": "admin-made",
            "description": "",
            "acting_states": '["Colombia"]',
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(slug="admin-made")
    assert project.created_by == admin
    assert Membership.objects.get(project=project, user=admin).role == Role.OWNER
    assert Tag.objects.filter(project=project).exists()
    assert project.acting_states == ["Colombia"]
