"""The annotator that forgives, in a real Chromium: pending suggestions shown
in the text, tag names on highlights, the layer filter, undo and redo of
every kind of change, and "Submit and next document"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Origin, Suggestion, SuggestionStatus, Tag
from annotations.services.annotations import annotation_create
from corpus.models import Assignment, AssignmentStatus
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login, screenshot, select_text

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TEXT = (
    "Statement of the naval command, 9 March.\n\n"
    "Six crew members were killed in the strike. The command said the boat "
    "carried contraband. It declined to comment on survivors.\n\n"
    "A second vessel was hit later; two people were missing."
)


def suggest(document, key, phrase, confidence=0.8):
    start = TEXT.index(phrase)
    suggestion = Suggestion(
        document=document,
        project=document.project,
        tag=Tag.objects.get(project=document.project, key=key),
        start=start,
        end=start + len(phrase),
        rule=f"{key}.test",
        confidence=confidence,
        explanation="written for this test",
    )
    suggestion.anchor()
    suggestion.save()
    return suggestion


def status_says(page, text: str) -> None:
    expect(page.locator("#save-state")).to_have_text(text)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


def blur(page) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def test_undo_redo_inline_suggestions_layers_and_submit_next(page, team):
    project, analyst, owner = team["project"], team["analyst"], team["owner"]
    document = add_statement(project, analyst, TEXT, "Naval command statement")
    following = add_statement(project, analyst, "Another short report.", "Next one")
    for doc in (document, following):
        Assignment.objects.create(
            document=doc, annotator=analyst, status=AssignmentStatus.ASSIGNED
        )
    figure = suggest(document, "casualty_figure", "Six crew members were killed")
    refusal = suggest(document, "refusal_or_non_answer", "declined to comment")
    missing = suggest(document, "casualty_figure", "two people were missing", 0.4)
    start = TEXT.index("carried contraband")
    annotation_create(
        document=document,
        author=owner,
        start=start,
        end=start + len("carried contraband"),
        tag_keys=["official_claim"],
        origin=Origin.ADJUDICATION,
    )
    names = dict(Tag.objects.filter(project=project).values_list("key", "name"))

    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()

    # Pending suggestions are marked in the text (dashed), apart from annotations.
    pending = page.locator("#doc-text span.sg-pending")
    marked = pending.evaluate_all("spans => spans.map(s => s.textContent).join('|')")
    for s in (figure, refusal, missing):
        assert s.quote in marked
    underline = pending.first.evaluate("n => getComputedStyle(n).textDecorationStyle")
    assert underline == "dashed"
    # The highlight names its tag, not colour alone.
    highlight = page.locator("#doc-text span.hl[data-label]")
    expect(highlight).to_have_attribute("data-label", names["official_claim"])
    label = highlight.evaluate("n => getComputedStyle(n, '::before').content")
    assert names["official_claim"] in label
    screenshot(page, "inline-suggestions")
    # Clicking a suggestion in the text makes it the current one in the list.
    page.locator("#doc-text span.sg-pending", has_text="declined to comment").click()
    current = page.locator("#suggestions li.current")
    expect(current).to_have_attribute("data-id", str(refusal.pk))

    # Create with a hotkey, undo (deleted), redo (created again).
    select_text(page, "A second vessel was hit")
    page.keyboard.press("c")
    status_says(page, f"Saved tag “{names['casualty_figure']}”")
    assert Annotation.objects.filter(author=analyst).count() == 1
    page.keyboard.press("Control+z")
    status_says(page, f"Undone: tag “{names['casualty_figure']}”")
    assert not Annotation.objects.filter(author=analyst).exists()
    page.keyboard.press("Control+Shift+z")
    status_says(page, f"Redone: tag “{names['casualty_figure']}”")
    created = Annotation.objects.get(author=analyst)
    assert created.quote == "A second vessel was hit"

    # Tag change from the panel, undone and redone.
    page.locator("#doc-text span.hl", has_text="A second vessel").first.click()
    page.get_by_label("Add a tag").select_option("hedged_allegation")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    blur(page)
    page.keyboard.press("Control+z")
    expect(page.locator("#save-state")).to_contain_text("Undone")
    created.refresh_from_db()
    assert list(created.tags.values_list("key", flat=True)) == ["casualty_figure"]
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#save-state")).to_contain_text("Redone")
    assert sorted(created.tags.values_list("key", flat=True)) == [
        "casualty_figure",
        "hedged_allegation",
    ]

    # Delete (confirmed), undo brings it back with its tags.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete annotation").click()
    status_says(page, "Saved deletion")
    assert not Annotation.objects.filter(author=analyst).exists()
    blur(page)
    page.keyboard.press("Control+z")
    status_says(page, "Undone: deletion")
    back = Annotation.objects.get(author=analyst)
    assert back.quote == "A second vessel was hit"
    assert sorted(back.tags.values_list("key", flat=True)) == [
        "casualty_figure",
        "hedged_allegation",
    ]

    # Accept the current suggestion with Enter, undo (pending again, the
    # annotation gone, back in the list), redo.
    count = page.locator("#suggestion-count")
    expect(count).to_have_text("3")
    page.locator("#doc-text span.sg-pending", has_text="declined to comment").click()
    page.keyboard.press("Enter")
    status_says(page, "Saved accepted suggestion")
    expect(count).to_have_text("2")
    refusal.refresh_from_db()
    assert refusal.status == SuggestionStatus.ACCEPTED
    made = refusal.annotation_id
    page.keyboard.press("Control+z")
    status_says(page, "Undone: accepted suggestion")
    expect(count).to_have_text("3")
    expect(current).to_have_attribute("data-id", str(refusal.pk))
    refusal.refresh_from_db()
    assert refusal.status == SuggestionStatus.PENDING
    assert not Annotation.objects.filter(pk=made).exists()
    page.keyboard.press("Control+Shift+z")
    status_says(page, "Redone: accepted suggestion")
    expect(count).to_have_text("2")
    screenshot(page, "undo-redo")
    refusal.refresh_from_db()
    assert refusal.status == SuggestionStatus.ACCEPTED

    # Reject with Backspace, undo.
    page.locator("#doc-text span.sg-pending", has_text="two people").click()
    page.keyboard.press("Backspace")
    status_says(page, "Saved rejection")
    missing.refresh_from_db()
    assert missing.status == SuggestionStatus.REJECTED
    page.keyboard.press("Control+z")
    status_says(page, "Undone: rejection")
    missing.refresh_from_db()
    assert missing.status == SuggestionStatus.PENDING
    expect(count).to_have_text("2")

    # Layers: hide pending suggestions; show only one annotator's work.
    page.get_by_label("Suggested (pending)").uncheck()
    expect(page.locator("#doc-text span.sg-pending")).to_have_count(0)
    page.get_by_label("Annotator").select_option("olena.owner")
    expect(page.locator("#doc-text span.hl")).to_have_text(["carried contraband"])
    screenshot(page, "layer-filter")
    page.get_by_label("Adjudicated").uncheck()
    expect(page.locator("#doc-text span.hl")).to_have_count(0)
    page.get_by_label("Annotator").select_option("")
    page.get_by_label("Adjudicated").check()
    page.get_by_label("Suggested (pending)").check()
    expect(page.locator("#doc-text span.sg-pending").first).to_be_visible()

    # Submit and go straight to the next assigned document.
    page.get_by_role("button", name="Submit and next document").click()
    page.wait_for_url(f"**/p/{project.slug}/d/{following.pk}/")
    expect(page.locator(".messages")).to_contain_text("Submitted Naval command")
    screenshot(page, "submit-and-next")
    assert (
        Assignment.objects.get(document=document).status == AssignmentStatus.SUBMITTED
    )
    page.get_by_role("button", name="Submit and next document").click()
    page.wait_for_url(f"**/p/{project.slug}/queue/")
    expect(page.locator(".messages")).to_contain_text("your queue is done")
    assert page.errors == []
