"""Roles: the members page, the last-owner rule, and role checks on pages."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from projects.errors import ApplicationError
from projects.models import Membership, Role
from projects.services import membership_remove, membership_set
from tests.factories import UserFactory
from tests.fixtures_team import member


def test_last_owner_cannot_be_removed_or_demoted(project, owner):
    with pytest.raises(ApplicationError, match="last owner"):
        membership_remove(project=project, user=owner)
    with pytest.raises(ApplicationError, match="last owner"):
        membership_set(project=project, user=owner, role=Role.REVIEWER)
    second = member(project, "second_owner", Role.OWNER)
    membership_set(project=project, user=owner, role=Role.ANALYST)
    with pytest.raises(ApplicationError):
        membership_remove(project=project, user=second)
    assert project.memberships.filter(role=Role.OWNER).count() == 1


def test_owner_manages_members_through_the_page(client, project, owner):
    newcomer = cast(User, UserFactory(username="newcomer"))
    client.force_login(owner)
    url = f"/p/{project.slug}/members/"
    client.post(url, {"action": "add", "username": "newcomer", "role": "viewer"})
    membership = Membership.objects.get(project=project, user=newcomer)
    assert membership.role == Role.VIEWER
    client.post(url, {"action": "role", "member": membership.pk, "role": "reviewer"})
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER
    response = client.post(
        url, {"action": "add", "username": "ghost", "role": "viewer"}, follow=True
    )
    assert b"no active user named" in response.content
    own = Membership.objects.get(project=project, user=owner)
    response = client.post(url, {"action": "remove", "member": own.pk}, follow=True)
    assert b"last owner" in response.content
    client.post(url, {"action": "remove", "member": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_members_page_read_only_below_owner(client, project, analyst, owner):
    client.force_login(analyst)
    url = f"/p/{project.slug}/members/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"owner" in page.content and b"Add a member" not in page.content
    response = client.post(
        url, {"action": "add", "username": "owner", "role": "viewer"}
    )
    assert response.status_code == 403
    assert Membership.objects.get(project=project, user=owner).role == Role.OWNER


ROLE_PAGES = [
    # (path, lowest role that may open it)
    ("/p/{slug}/members/", Role.VIEWER),
    ("/p/{slug}/queue/", Role.ANALYST),
    ("/p/{slug}/assignments/", Role.REVIEWER),
    ("/p/{slug}/agreement/", Role.REVIEWER),
    ("/p/{slug}/adjudicate/", Role.REVIEWER),
    ("/p/{slug}/history/", Role.VIEWER),
    ("/p/{slug}/tags/", Role.OWNER),
]


@pytest.mark.parametrize(("path", "needed"), ROLE_PAGES)
def test_each_page_needs_its_role(client, project, path, needed):
    url = path.format(slug=project.slug)
    for role in Role.values:
        user = member(project, f"as_{role}", role)
        client.force_login(user)
        status = client.get(url).status_code
        expected = 200 if Role.rank(role) >= Role.rank(needed) else 403
        assert status == expected, (role, url, status)


def test_anonymous_is_sent_to_login(client, project):
    response = client.get(f"/p/{project.slug}/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/p/")


def test_unknown_project_is_404_for_everyone(client, owner):
    client.force_login(owner)
    assert client.get("/p/no-such-project/members/").status_code == 404


def test_subnav_shows_only_reachable_pages(client, project, analyst, owner):
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/members/").content
    assert b"My queue" in page and b">Agreement<" not in page and b">Tags<" not in page
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/members/").content
    assert b">Agreement<" in page and b">Tags<" in page


def test_access_changes_are_written_to_the_audit_log(client, project, owner, caplog):
    UserFactory(username="auditee")
    client.force_login(owner)
    with caplog.at_level("INFO", logger="glossa.audit"):
        client.post(
            f"/p/{project.slug}/members/",
            {"action": "add", "username": "auditee", "role": "analyst"},
        )
    assert (
        "membership_set project=strikes user=auditee role=analyst actor=owner"
        in caplog.text
    )
