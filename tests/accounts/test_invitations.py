"""Invitations by email: one project, one role, one use, until they expire."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import ProjectInvitation
from accounts.services import invitation_accept, invitation_revoke, invitation_send
from projects.errors import ApplicationError
from projects.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def link_in_mail() -> str:
    match = re.search(r"http://testserver(/invite/\w+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def send(project, owner, email="new.person@example.org", role=Role.REVIEWER):
    request = RequestFactory().get("/")
    return invitation_send(
        project=project, email=email, role=role, inviter=owner, request=request
    )


def test_invitation_mail_names_project_role_and_a_working_link(project, owner):
    invitation = send(project, owner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert project.name in message.subject
    assert "as reviewer" in message.body
    assert link_in_mail() == f"/invite/{invitation.key}/"
    assert invitation.sent is not None and not invitation.key_expired()


def test_only_owners_invite_and_members_are_not_invited_twice(project, owner, analyst):
    with pytest.raises(Exception, match="owner role"):
        send(project, analyst)
    with pytest.raises(ApplicationError, match="already a member"):
        send(project, owner, email="ANALYST@example.org")
    first = send(project, owner)
    second = send(project, owner)
    # Only the newest link of one address works.
    assert not ProjectInvitation.objects.filter(pk=first.pk).exists()
    assert ProjectInvitation.objects.get(pk=second.pk).accepted is False


def test_new_person_creates_account_and_joins_once(client, project, owner):
    send(project, owner)
    url = link_in_mail()
    page = client.get(url)
    assert page.status_code == 200 and b"Create your account" in page.content
    weak = client.post(
        url, {"username": "newp", "password1": "short", "password2": "short"}
    )
    assert weak.status_code == 400 and b"too short" in weak.content
    response = client.post(
        url,
        {
            "username": "newp",
            "first_name": "Nadia",
            "last_name": "Perez",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/p/{project.slug}/"
    user = User.objects.get(username="newp")
    assert user.email == "new.person@example.org"
    assert Membership.objects.get(project=project, user=user).role == Role.REVIEWER
    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert b"already used" in again.content


def test_existing_account_is_asked_to_sign_in_then_joins(client, project, owner):
    person = cast(User, UserFactory(username="known", email="known@example.org"))
    send(project, owner, email="known@example.org", role=Role.VIEWER)
    url = link_in_mail()
    page = client.get(url)
    assert b"Log in to join" in page.content
    assert b"Create your account" not in page.content
    client.force_login(person)
    response = client.post(url)
    assert response["Location"] == f"/p/{project.slug}/"
    assert Membership.objects.get(project=project, user=person).role == Role.VIEWER


def test_expired_and_unknown_links_are_refused(client, project, owner):
    invitation = send(project, owner)
    ProjectInvitation.objects.filter(pk=invitation.pk).update(
        sent=timezone.now() - timedelta(days=8)
    )
    response = client.get(f"/invite/{invitation.key}/")
    assert response.status_code == 410 and b"expired" in response.content
    assert client.get("/invite/nonsense/").status_code == 410
    invitation.refresh_from_db()
    with pytest.raises(ApplicationError, match="expired"):
        invitation_accept(invitation=invitation, user=owner)


def test_accepting_never_lowers_a_members_role(project, owner):
    invitation = send(project, owner, email="someone@example.org", role=Role.VIEWER)
    membership = invitation_accept(invitation=invitation, user=owner)
    assert membership.role == Role.OWNER


def test_invite_page_is_for_owners_and_hidden_from_outsiders(
    client, project, owner, analyst
):
    url = f"/p/{project.slug}/members/invite/"
    client.force_login(analyst)
    assert client.get(url).status_code == 403
    outsider = cast(User, UserFactory(username="outsider"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.post(url, {"email": "not-an-address", "role": "analyst"})
    assert response.status_code == 400 and b"valid email" in response.content
    response = client.post(
        url, {"email": "colleague@example.org", "role": "analyst"}, follow=True
    )
    assert b"Invitation sent to colleague@example.org" in response.content
    assert b"colleague@example.org" in response.content  # listed as pending


def test_owner_revokes_a_pending_invitation_and_its_link_stops_working(
    client, project, owner, analyst, caplog
):
    """From the members' invitation page: the Revoke button withdraws the
    link at once, the row stays with who revoked it and when, the access log
    says so, and nobody else can revoke."""
    invitation = send(project, owner, email="to.withdraw@example.org")
    url = link_in_mail()
    page_url = f"/p/{project.slug}/members/invite/"
    revoke_url = f"{page_url}{invitation.pk}/revoke/"
    client.force_login(owner)
    page = client.get(page_url).content.decode()
    assert "to.withdraw@example.org" in page and revoke_url in page
    # Analysts may not; outsiders learn nothing; GET does nothing.
    client.force_login(analyst)
    assert client.post(revoke_url).status_code == 403
    outsider = cast(User, UserFactory(username="someone"))
    client.force_login(outsider)
    assert client.post(revoke_url).status_code == 404
    client.force_login(owner)
    assert client.get(revoke_url).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    with caplog.at_level("INFO", logger="glossa.audit"):
        response = client.post(revoke_url, follow=True)
    assert response.status_code == 200
    assert "is revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_by == owner and invitation.revoked_at is not None
    assert any("invitation_revoked" in r.getMessage() for r in caplog.records)
    page = client.get(page_url).content.decode()
    assert "No pending invitations." in page
    assert "Revoked by owner" in page
    # Twice is refused in words; the link is dead for everyone.
    again = client.post(revoke_url, follow=True).content.decode()
    assert "already revoked" in again
    client.logout()
    dead = client.get(url)
    assert dead.status_code == 410 and b"withdrawn" in dead.content
    newcomer = cast(User, UserFactory(username="late", email="to.withdraw@example.org"))
    with pytest.raises(ApplicationError, match="withdrawn"):
        invitation_accept(invitation=invitation, user=newcomer)
    assert not Membership.objects.filter(project=project, user=newcomer).exists()
    # A new invitation to the same address works and keeps the record.
    fresh = send(project, owner, email="to.withdraw@example.org")
    assert ProjectInvitation.objects.filter(pk=invitation.pk).exists()
    assert invitation_accept(invitation=fresh, user=newcomer).role == Role.REVIEWER


def test_a_used_invitation_cannot_be_revoked(project, owner):
    invitation = send(project, owner)
    person = cast(User, UserFactory(username="joined"))
    invitation_accept(invitation=invitation, user=person)
    with pytest.raises(ApplicationError, match="already used"):
        invitation_revoke(invitation=invitation, actor=owner)
