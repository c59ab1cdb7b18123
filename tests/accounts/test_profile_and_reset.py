"""The profile page and password reset from the login page."""

from __future__ import annotations

import re
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_changes_name_and_email_not_username(client):
    user = cast(User, UserFactory(username="maria"))
    client.force_login(user)
    page = client.get("/account/")
    assert page.status_code == 200 and b"Two-factor sign-in" in page.content
    bad = client.post("/account/", {"email": "nope", "first_name": "M"})
    assert bad.status_code == 400
    response = client.post(
        "/account/",
        {"first_name": "María", "last_name": "Gómez", "email": "maria@clinic.org"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email, user.username) == (
        "María",
        "Gómez",
        "maria@clinic.org",
        "maria",
    )


def test_profile_needs_sign_in(client):
    assert client.get("/account/")["Location"].startswith("/login/")


def test_password_reset_from_the_login_page(client):
    user = cast(User, UserFactory(username="forgetful", email="f@example.org"))
    assert b"/account/password/reset/" in client.get("/login/").content
    response = client.post("/account/password/reset/", {"email": "f@example.org"})
    assert response["Location"] == "/account/password/reset/sent/"
    # An unknown address gets the same answer and no mail.
    client.post("/account/password/reset/", {"email": "who@example.org"})
    assert len(mail.outbox) == 1
    match = re.search(
        r"http://testserver(/account/password/reset/\S+/)", str(mail.outbox[0].body)
    )
    assert match
    link = client.get(match.group(1), follow=True)
    assert b"Choose a new password" in link.content
    set_url = link.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {
            "new_password1": "brand new passphrase",
            "new_password2": "brand new passphrase",
        },
    )
    assert done["Location"] == "/account/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password("brand new passphrase")
    reused = client.get(match.group(1), follow=True)
    assert b"not valid any more" in reused.content
