"""In a real browser: start a project, invite a colleague by email, the
colleague creates an account from the link; reset a forgotten password."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from projects.models import Membership, Project, Role
from tests.browser_support import login, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_a_project_and_invite_a_colleague(browser, live_server, page):
    UserFactory(username="founder")
    login(page, "founder")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Boats in the Caribbean")
    page.get_by_label("Acting state(s)").fill("United States")
    page.get_by_label("Blind mode", exact=False).check()
    screenshot(page, "new-project")
    page.get_by_role("button", name="Create project").click()
    page.get_by_text("Boats in the Caribbean is ready").wait_for()
    project = Project.objects.get(name="Boats in the Caribbean")
    assert project.acting_states == ["United States"] and project.blind_mode

    page.goto(f"/p/{project.slug}/members/")
    page.get_by_role("link", name="Invite by email").click()
    page.get_by_label("Email address").fill("colleague@example.org")
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to colleague@example.org").wait_for()
    page.get_by_role("cell", name="colleague@example.org").wait_for()
    screenshot(page, "invite")

    link = re.search(r"https?://\S+/invite/\w+/", str(mail.outbox[-1].body))
    assert link, str(mail.outbox[-1].body)
    other = browser.new_context(base_url=live_server.url)
    try:
        guest = other.new_page()
        guest.goto(link.group(0))
        guest.get_by_role("heading", name="Create your account").wait_for()
        guest.get_by_label("Username").fill("colleague")
        guest.get_by_label("First name").fill("Ana")
        guest.locator("#id_password1").fill("a long enough passphrase")
        guest.locator("#id_password2").fill("a long enough passphrase")
        guest.get_by_role("button", name="Create account and join").click()
        guest.get_by_text("Welcome to Boats in the Caribbean").wait_for()
        assert guest.url.endswith(f"/p/{project.slug}/")
        guest.goto(link.group(0))
        guest.get_by_text("already used").wait_for()
    finally:
        other.close()
    membership = Membership.objects.get(project=project, user__username="colleague")
    assert membership.role == Role.REVIEWER
    assert membership.user.email == "colleague@example.org"


def test_forgotten_password_is_reset_from_the_login_page(page):
    UserFactory(username="forgetful", email="forgetful@example.org")
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("forgetful@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    screenshot(page, "password-reset-sent")
    link = re.search(
        r"https?://\S+/account/password/reset/\S+/", str(mail.outbox[-1].body)
    )
    assert link
    page.goto(link.group(0))
    page.locator("#id_new_password1").fill("my brand new passphrase")
    page.locator("#id_new_password2").fill("my brand new passphrase")
    screenshot(page, "password-reset")
    page.get_by_role("button", name="Set the new password").click()
    page.get_by_role("heading", name="Password changed").wait_for()
    login(page, "forgetful", "my brand new passphrase")
    page.get_by_role("link", name="forgetful").click()
    page.get_by_label("First name").fill("Fran")
    page.get_by_label("Email address").fill("fran@clinic.org")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your profile is saved.").wait_for()
    assert page.get_by_label("Email address").input_value() == "fran@clinic.org"
    screenshot(page, "profile")
