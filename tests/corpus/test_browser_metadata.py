"""In a real browser: an analyst sees an unknown date as unknown, corrects
the metadata on the edit page, and reads the result on the document page."""

from __future__ import annotations

import pytest

from audit.models import HistoryEntry
from tests.browser_support import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_corrects_title_and_month_of_a_document(
    page, project, analyst, document
):
    login(page, "analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    byline = page.locator(".doc-byline")
    byline.get_by_text("date unknown").wait_for()
    byline.get_by_role("link", name="Edit metadata").click()
    page.get_by_role("heading", name="Edit metadata").wait_for()
    page.get_by_label("Title").fill("Ministry statement on the March strike")
    page.get_by_label("Publication date").fill("2025-03")
    page.locator("#id_kind").select_option("statement")
    screenshot(page, "metadata-edit")
    page.get_by_role("button", name="Save metadata").click()
    page.get_by_text("Saved: date precision, kind, publication date, title.").wait_for()
    page.get_by_role(
        "heading", name="Ministry statement on the March strike"
    ).wait_for()
    assert byline.locator("time").inner_text() == "March 2025"
    entry = HistoryEntry.objects.get(object_type="document", object_id=document.pk)
    assert entry.after is not None
    assert entry.actor == analyst and entry.after["title"].startswith("Ministry")
