"""The API token endpoint must not let a password bypass two-factor sign-in."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory


def test_password_yields_token_without_2fa(client, db):
    UserFactory(username="scripted")
    response = client.post(
        "/api/auth/token/",
        {"username": "scripted", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_password_alone_is_refused_when_2fa_is_on(client, db):
    user = UserFactory(username="careful")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(
        "/api/auth/token/",
        {"username": "careful", "password": "correct horse battery staple"},
    )
    assert response.status_code == 400
    assert "two-factor" in response.json()["message"]
    assert "token" not in response.json()


def test_wrong_password_gets_no_token(client, db):
    UserFactory(username="scripted")
    response = client.post(
        "/api/auth/token/", {"username": "scripted", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()
