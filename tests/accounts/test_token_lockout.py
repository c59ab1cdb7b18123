"""The API token endpoint answers a locked account as the login page does (429)."""

from __future__ import annotations

from django.conf import settings

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def token(client, username, password):
    return client.post("/api/auth/token/", {"username": username, "password": password})


def test_locked_account_gets_429_from_the_token_endpoint(client, db):
    UserFactory(username="scripted")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = token(client, "scripted", "wrong password")
        assert response.status_code == 400
    locked = token(client, "scripted", "wrong password")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.json()["message"]
    # Even the right password is refused while locked, with the same answer.
    again = token(client, "scripted", PASSWORD)
    assert again.status_code == 429
    assert "token" not in again.json()


def test_right_password_still_gets_a_token(client, db):
    UserFactory(username="fine")
    response = token(client, "fine", PASSWORD)
    assert response.status_code == 200 and response.json()["token"]
