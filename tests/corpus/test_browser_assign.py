"""In a real browser: an owner sorts the document list naturally, ticks the
page, assigns it to an analyst, then hands the open work to a colleague."""

from __future__ import annotations

import pytest

from corpus.models import Assignment
from projects.models import Role
from tests.browser_support import login, screenshot
from tests.factories import DocumentFactory
from tests.fixtures_team import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_assigns_a_page_then_reassigns_everything(page, project, owner, analyst):
    colleague = member(project, "colleague", Role.ANALYST)
    for title in ("Report 10", "Report 2", "Report 1"):
        DocumentFactory(project=project, title=title)
    login(page, "owner")
    page.goto(f"/p/{project.slug}/documents/")
    page.get_by_label("Sort").select_option("title")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.wait_for_url("**order=title**")
    links = page.locator(".doc-table tbody td a")
    assert links.all_inner_texts() == ["Report 1", "Report 2", "Report 10"]

    page.get_by_label("Tick every document on this page").check()
    page.locator("[data-selected-count]").get_by_text("3").wait_for()
    page.locator("#bulk-annotator").select_option(label="analyst")
    screenshot(page, "assignments")
    page.get_by_role("button", name="Apply to the documents").click()
    page.get_by_text("Assigned 3 documents to analyst.").wait_for()
    assert page.get_by_label("Sort").input_value() == "title"
    assert Assignment.objects.filter(annotator=analyst).count() == 3

    page.get_by_label("All 3 documents").check()
    page.get_by_label("Reassign open work from").check()
    page.locator("#bulk-from").select_option(label="analyst")
    page.locator("#bulk-to").select_option(label="colleague")
    page.get_by_role("button", name="Apply to the documents").click()
    page.get_by_text("Reassigned 3 documents from analyst to colleague.").wait_for()
    assert Assignment.objects.filter(annotator=colleague).count() == 3
    assert not Assignment.objects.filter(annotator=analyst).exists()
