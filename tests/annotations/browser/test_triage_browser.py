"""Triage at scale in a real Chromium: an analyst narrows the pending
suggestions to one tag and a confidence band, asks to reject all that
match, reads the count in the confirmation, confirms, and the queue shows
what is left."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Suggestion, SuggestionStatus, Tag
from audit.models import HistoryEntry
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TEXT = (
    "Press briefing of the coastal ministry.\n\n"
    "The ministry said nine people died. It later said eleven people died. "
    "A spokesperson declined to comment on the names."
)


def suggest(document, key, phrase, confidence, rule):
    start = TEXT.index(phrase)
    suggestion = Suggestion(
        document=document,
        project=document.project,
        tag=Tag.objects.get(project=document.project, key=key),
        start=start,
        end=start + len(phrase),
        rule=rule,
        confidence=confidence,
        explanation="written for this test",
    )
    suggestion.anchor()
    suggestion.save()
    return suggestion


def test_analyst_rejects_all_low_confidence_figures(page, team):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, TEXT, "Coastal ministry briefing")
    low = suggest(document, "casualty_figure", "nine people died", 0.3, "fig.low")
    low2 = suggest(document, "casualty_figure", "eleven people died", 0.35, "fig.low")
    high = suggest(document, "casualty_figure", "nine people", 0.9, "fig.high")
    refusal = suggest(
        document, "refusal_or_non_answer", "declined to comment", 0.3, "refusal"
    )
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    page.get_by_role("link", name="Filter and decide many at once").click()
    expect(page.locator("#triage-count")).to_contain_text("4 pending suggestions")
    page.get_by_label("Tag").select_option("casualty_figure")
    page.get_by_label("to (%)").fill("50")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#triage-count")).to_contain_text("2 pending suggestions")
    expect(page.locator("table tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Reject all 2…").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Reject all 2 suggestions?")
    screenshot(page, "triage-bulk-confirm")
    # Nothing is decided before the confirmation.
    assert not Suggestion.objects.exclude(status=SuggestionStatus.PENDING).exists()
    dialog.get_by_role("button", name="Yes, reject 2").click()
    expect(page.locator(".messages")).to_contain_text("Rejected 2 suggestions.")
    # The filters stay; nothing matches them any more.
    expect(page.locator("#triage-count")).to_contain_text("0 pending suggestions")
    screenshot(page, "triage-bulk")
    statuses = dict(Suggestion.objects.values_list("pk", "status"))
    assert statuses[low.pk] == statuses[low2.pk] == SuggestionStatus.REJECTED
    assert statuses[high.pk] == statuses[refusal.pk] == SuggestionStatus.PENDING
    assert (
        HistoryEntry.objects.filter(
            object_type="suggestion", object_id__in=[low.pk, low2.pk], actor=analyst
        ).count()
        == 2
    )
