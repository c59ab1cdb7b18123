"""In a real browser: panels that htmx refreshes in place, never the page.

A job's progress bar moves and stops at "Done" while the page stays; the
members table and the invitations change after each action; the document
list's results follow the filters. Each page carries a mark set by the
test: a reload would lose it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import ProjectInvitation
from corpus.models import Job, JobKind, JobStatus
from projects.models import Membership, Role
from tests.browser_support import login, screenshot
from tests.factories import DocumentFactory
from tests.fixtures_team import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARK = "() => { window.__notReloaded = true; }"
STILL = "() => window.__notReloaded === true"


def test_job_progress_bar_moves_to_done_without_a_reload(page, project, analyst):
    job = Job.objects.create(
        project=project, kind=JobKind.ANALYSE, status=JobStatus.RUNNING, total=4
    )
    login(page, "analyst")
    page.goto(f"/p/{project.slug}/jobs/{job.pk}/")
    page.evaluate(MARK)
    bar = page.locator(f"#job-bar-{job.pk}")
    expect(bar).to_have_attribute("value", "0")
    panel = page.locator(f"#job-progress-{job.pk}")
    expect(panel).to_have_attribute("hx-trigger", "every 1s")

    Job.objects.filter(pk=job.pk).update(done=2)
    expect(bar).to_have_attribute("value", "2")
    expect(panel.get_by_role("status")).to_have_text("2 of 4 (50%)")
    Job.objects.filter(pk=job.pk).update(done=4, status=JobStatus.DONE)
    expect(panel.locator("label")).to_have_text("Analysis: Done")
    expect(bar).to_have_attribute("value", "4")
    # Done: the panel no longer polls, and the page was never reloaded.
    expect(panel).not_to_have_attribute("hx-trigger", "every 1s")
    assert page.evaluate(STILL)
    screenshot(page, "job-progress")
    assert page.errors == []


def test_members_and_invitations_change_in_place(page, project, owner):
    colleague = member(project, "colleague", Role.VIEWER)
    login(page, "owner")
    page.goto(f"/p/{project.slug}/members/")
    page.evaluate(MARK)
    page.get_by_label("Role of colleague").select_option("analyst")
    row = page.locator("#members tr", has_text="colleague")
    row.get_by_role("button", name="Change").click()
    expect(page.locator("#members .messages")).to_have_text("colleague is now analyst.")
    assert Membership.objects.get(user=colleague).role == Role.ANALYST
    page.locator("#id_username").fill("nobody-here")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#members .msg-error")).to_be_visible()
    assert page.evaluate(STILL)
    screenshot(page, "members")

    page.get_by_role("link", name="Invite by email").click()
    page.evaluate(MARK)
    page.get_by_label("Email address").fill("nadia@example.org")
    page.get_by_label("Role").select_option("analyst")
    page.get_by_role("button", name="Send invitation").click()
    pending = page.locator("#invitations table").first
    expect(pending.get_by_role("cell", name="nadia@example.org")).to_be_visible()
    expect(page.locator("#invitations .messages")).to_contain_text(
        "Invitation sent to nadia@example.org"
    )
    # The form is fresh again, ready for the next person.
    expect(page.get_by_label("Email address")).to_have_value("")
    # A refused address (a member's): the panel comes back (status 400)
    # with the error, in place.
    page.get_by_label("Email address").fill("colleague@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#invitations")).to_contain_text(
        "colleague@example.org is already a member"
    )
    screenshot(page, "invitations-in-place")
    page.once("dialog", lambda dialog: dialog.accept())
    pending.get_by_role("button", name="Revoke").click()
    expect(page.locator("#invitations")).to_contain_text("No pending invitations.")
    expect(page.locator("#invitations .messages")).to_contain_text("is revoked")
    assert ProjectInvitation.objects.get(email="nadia@example.org").revoked_at
    assert page.evaluate(STILL)
    assert page.errors == []


def test_document_results_follow_the_filters_in_place(page, project, owner, analyst):
    for title in ("Quorvex 2", "Quorvex 10", "Memo 1"):
        DocumentFactory(project=project, title=title)
    login(page, "owner")
    page.goto(f"/p/{project.slug}/documents/")
    page.evaluate(MARK)
    links = page.locator("#doc-results .doc-table tbody td a")
    expect(links).to_have_count(3)
    page.get_by_role("searchbox", name="Search").fill("Quorvex")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(links).to_have_count(2)
    page.wait_for_url("**q=Quorvex**")
    # The swapped-in results keep the assignment bar working.
    page.get_by_label("Tick every document on this page").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.locator("#bulk-annotator").select_option(label="analyst")
    page.get_by_role("button", name="Apply to the documents").click()
    expect(page.locator("#doc-results .messages")).to_contain_text(
        "Assigned 2 documents to analyst."
    )
    expect(links).to_have_count(2)
    assert page.evaluate(STILL)
    screenshot(page, "document-filter")
    assert page.errors == []
