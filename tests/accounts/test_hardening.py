"""Hardening: login throttling, two-factor sign-in, CSP, CSRF, sessions."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.views import PENDING_KEY
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def login(client, username, password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


# --- Login throttling ------------------------------------------------------


def test_repeated_failures_lock_the_account_from_that_address(client, db):
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "target", "wrong password")
        assert response.status_code == 200
        assert b"did not match" in response.content
    locked = login(client, "target", "wrong password")
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    # Even the right password is refused while locked.
    assert login(client, "target").status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not affected.
    UserFactory(username="colleague")
    assert login(client, "colleague").status_code == 302


def test_successful_login_resets_the_failure_count(client, db):
    UserFactory(username="forgetful")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "forgetful", "wrong password")
    assert login(client, "forgetful").status_code == 302
    client.logout()
    assert login(client, "forgetful", "wrong password").status_code == 200


# --- Two-factor sign-in ----------------------------------------------------


@pytest.fixture
def user_with_2fa(db):
    user = UserFactory(username="careful")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def code(device, offset=0) -> str:
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=offset,
    )
    return f"{value:0{device.digits}d}"


def wait_out_throttle(device) -> None:
    """Move the device's last failure into the past (time passing)."""
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(minutes=5)
    device.save(update_fields=["throttling_failure_timestamp"])


def test_password_alone_does_not_sign_in_a_2fa_user(client, user_with_2fa, project):
    user, device = user_with_2fa
    response = login(client, "careful", next_url="/account/2fa/")
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still anonymous
    wrong = client.post("/account/2fa/verify/", {"token": "000000"})
    assert b"Too many wrong codes" in wrong.content
    assert "_auth_user_id" not in client.session
    # Throttled: even the right code is refused straight after a wrong one.
    client.post("/account/2fa/verify/", {"token": code(device)})
    assert "_auth_user_id" not in client.session
    wait_out_throttle(device)
    ok = client.post("/account/2fa/verify/", {"token": code(device)})
    assert ok.status_code == 302 and ok["Location"] == "/account/2fa/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


def test_pending_sign_in_expires(client, user_with_2fa):
    _, device = user_with_2fa
    login(client, "careful")
    session = client.session
    session[PENDING_KEY]["until"] = time.time() - 1
    session.save()
    response = client.post("/account/2fa/verify/", {"token": code(device)})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_verify_refuses_open_redirects(client, user_with_2fa):
    _, device = user_with_2fa
    login(client, "careful", next_url="https://evil.example/")
    response = client.post("/account/2fa/verify/", {"token": code(device)})
    assert response["Location"] == "/"


def test_setting_up_and_turning_off_2fa(client, db):
    user = UserFactory(username="setter")
    client.force_login(user)
    page = client.get("/account/2fa/setup/")
    assert b"<svg" in page.content and b"otpauth" not in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/2fa/setup/", {"token": "123456x"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    client.post("/account/2fa/setup/", {"token": code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert b"<strong>On.</strong>" in client.get("/account/2fa/").content
    # Turning it off needs a valid (new) code.
    client.post("/account/2fa/disable/", {"token": "000000"})
    assert TOTPDevice.objects.filter(user=user).exists()
    wait_out_throttle(device)
    client.post("/account/2fa/disable/", {"token": code(device, offset=1)})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_admin_login_goes_through_glossa_login(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- Content-Security-Policy -----------------------------------------------


def test_csp_forbids_inline_script(client, owner, project):
    client.force_login(owner)
    response = client.get(f"/p/{project.slug}/members/")
    policy = response["Content-Security-Policy"]
    directives = {
        part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()
    }
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])


def test_no_template_has_inline_script_or_event_handlers():
    """Every <script> loads a file; no on*="" handlers, no javascript: URLs."""
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            # JSON data islands (json_script) are data, not script: the
            # browser never executes them, and CSP does not apply.
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path}: inline {tag}")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text, flags=re.I):
            offenders.append(f"{path}: inline event handler")
        if "javascript:" in text.lower():
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []


def test_api_docs_load_without_inline_script(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    scripts = re.findall(rb"<script\b[^>]*>", page.content)
    assert scripts and all(b"src=" in tag for tag in scripts)
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    init = client.get("/api/docs/?script=")
    assert init.status_code == 200
    assert b"SwaggerUIBundle" in init.content


# --- CSRF --------------------------------------------------------------------


def test_html_forms_and_session_api_calls_need_the_csrf_token(owner, project, analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    members = f"/p/{project.slug}/members/"
    refused = client.post(
        members, {"action": "add", "username": "analyst", "role": "viewer"}
    )
    assert refused.status_code == 403
    api = client.post("/api/assignments/", {}, content_type="application/json")
    assert api.status_code == 403
    assert "CSRF" in api.json()["message"]
    # With the token from a page, the same form works.
    client.get(members)
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        members,
        {
            "action": "add",
            "username": "analyst",
            "role": "viewer",
            "csrfmiddlewaretoken": token,
        },
    )
    assert accepted.status_code == 302


def test_token_authenticated_api_calls_need_no_csrf(owner, project, document):
    client = Client(enforce_csrf_checks=True)
    token = Token.objects.create(user=owner)
    response = client.post(
        "/api/assignments/",
        {"document": document.pk, "annotator": owner.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content


def test_every_post_form_carries_a_csrf_token():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.I | re.S):
            if (
                re.search(r"method=[\"']post", form, flags=re.I)
                and "csrf_token" not in form
            ):
                offenders.append(str(path))
    assert offenders == []


# --- Sessions, passwords, deployment ---------------------------------------------


def test_sessions_end_with_the_browser_and_after_a_working_day(client, db):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
    UserFactory(username="daily")
    login(client, "daily")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # browser-session cookie
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_weak_password_validators_fail_the_system_check(settings):
    assert [
        e.id
        for e in run_checks(tags=["security"])
        if e.id is not None and e.id.startswith("glossa")
    ] == []
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 6},
        }
    ]
    ids = {e.id for e in run_checks(tags=["security"])}
    assert {"glossa.E001", "glossa.E002"} <= ids


def test_password_validators_refuse_weak_passwords(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = cast(User, UserFactory(username="harbourmaster"))
    for weak in ("short", "password1234", "12345678901234", "harbourmaster1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("tidal marsh lantern ochre", user)


def test_production_security_settings():
    """What check --deploy does not cover; values of glossa/settings.py when
    DEBUG is off (the test settings only relax the cookie flags)."""
    import glossa.settings as production

    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_HSTS_SECONDS >= 31_536_000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert production.X_FRAME_OPTIONS == "DENY"
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_second_factor_required_policy(user_with_2fa, db):
    from accounts.policy import second_factor_required

    user, device = user_with_2fa
    assert second_factor_required(user)
    device.confirmed = False
    device.save()
    assert not second_factor_required(user)
    assert not second_factor_required(UserFactory(username="plain"))
