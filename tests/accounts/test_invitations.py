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
from accounts.services import invitation_accept, invitation_send
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
