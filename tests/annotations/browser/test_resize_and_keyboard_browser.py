"""The annotator without a mouse and with one, in a real Chromium: a span made
from the keyboard (caret, Shift+arrows, a tag's key), resized by keyboard and
by dragging its ends (the same annotation: comments and claim links kept, an
update in history), the resize undone; a claim made from a span holding a
casualty figure starts with the figure the analysis found."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Comment, Tag
from audit.models import HistoryAction, HistoryEntry
from corpus.analysis import analyse_documents
from legal.models import Assessment, Claim, ClaimMention
from legal.selectors import framework_elements
from legal.services.claims import claim_create
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TEXT = (
    "Statement of the naval command, 9 March.\n\n"
    "Six crew members were killed in the strike on the vessel. The command "
    "said the boat carried contraband.\n\n"
    "A second vessel was hit later; two people were missing."
)

# The centre of a phrase's last character in the text (where a drag ends).
PHRASE_END_JS = """(phrase) => {
  const root = document.getElementById('doc-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let full = '';
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, full.length]);
    full += walker.currentNode.data;
  }
  const at = full.indexOf(phrase) + phrase.length - 1;
  const [node, base] = nodes.filter(([, b]) => b <= at).pop();
  const range = document.createRange();
  range.setStart(node, at - base);
  range.setEnd(node, at - base + 1);
  const r = range.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}"""


def saved(page, text: str) -> None:
    expect(page.locator("#save-state")).to_have_text(text)
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


def caret_to(page, offset: int) -> None:
    """ArrowRight until the caret starts at ``offset`` of the text, one word
    per key: each press waits for the caret to move, and the caret's own
    offset (not its text, which a slow page redraws later) decides when to
    stop."""
    caret = page.locator("#doc-text .kb-caret")
    for _ in range(30):
        at = caret.get_attribute("data-s") or ""
        if at == str(offset):
            return
        page.keyboard.press("ArrowRight")
        expect(caret).not_to_have_attribute("data-s", at)
    raise AssertionError(f"the caret never reached offset {offset}")


def blur(page) -> None:
    page.evaluate("() => document.activeElement && document.activeElement.blur()")


def test_keyboard_span_resize_by_keys_and_drag_and_undo(page, team):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, TEXT, "Naval command statement")
    name = Tag.objects.get(project=project, key="casualty_figure").name
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()

    # The caret: Tab into the text, arrows move a word at a time.
    text = page.locator("#doc-text")
    text.focus()
    caret = page.locator("#doc-text .kb-caret")
    expect(caret).to_have_text("Statement")
    caret_to(page, TEXT.index("Six"))
    expect(caret).to_have_text("Six")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#palette-hint")).to_have_text("Selected: “Six crew members”")
    screenshot(page, "keyboard-create")
    page.keyboard.press("c")
    saved(page, f"Saved tag “{name}”")
    made = Annotation.objects.get(author=analyst)
    assert made.quote == "Six crew members"
    # The caret goes on after the new span.
    expect(caret).to_have_text("were")

    # Comments and a claim link that a resize must keep.
    Comment.objects.create(annotation=made, author=analyst, body="Check the count.")
    claim = claim_create(
        project=project, user=analyst, proposition="Six died.", annotation=made
    )

    # Resize by keyboard: open it, Alt+Shift+Right twice moves the end two
    # words; the keys are saved together, as one update.
    page.locator("#doc-text span.hl", has_text="Six crew").first.click()
    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#doc-text .grip")).to_have_count(2)
    page.keyboard.press("Alt+Shift+ArrowRight")
    page.keyboard.press("Alt+Shift+ArrowRight")
    saved(page, "Saved resize")
    screenshot(page, "keyboard-resize")
    made.refresh_from_db()
    assert made.quote == "Six crew members were killed"
    assert made.version == 2
    # Alt+Shift+Down moves the start a word later.
    page.keyboard.press("Alt+Shift+ArrowDown")
    saved(page, "Saved resize")
    made.refresh_from_db()
    assert made.quote == "crew members were killed"
    assert Annotation.objects.filter(author=analyst).count() == 1

    # Undo the last resize (the start back), then redo it.
    blur(page)
    page.keyboard.press("Control+z")
    saved(page, "Undone: resize")
    made.refresh_from_db()
    assert made.quote == "Six crew members were killed"
    page.keyboard.press("Control+Shift+z")
    saved(page, "Redone: resize")
    made.refresh_from_db()
    assert made.quote == "crew members were killed"

    # Drag the end grip to the end of "the strike".
    grip = page.locator("#doc-text .grip-end")
    box = grip.bounding_box()
    assert box is not None
    target = page.evaluate(PHRASE_END_JS, "in the strike")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"], target["y"], steps=8)
    page.mouse.up()
    saved(page, "Saved resize")
    made.refresh_from_db()
    assert made.quote == "crew members were killed in the strike"
    # Undo the drag.
    blur(page)
    page.keyboard.press("Control+z")
    saved(page, "Undone: resize")
    made.refresh_from_db()
    assert made.quote == "crew members were killed"

    # One annotation throughout: comments and claim link kept; each resize
    # an update in the history, by the analyst.
    assert Annotation.objects.filter(author=analyst).count() == 1
    assert Comment.objects.filter(annotation=made).count() == 1
    assert ClaimMention.objects.filter(claim=claim, annotation=made).exists()
    actions = list(
        HistoryEntry.objects.filter(object_type="annotation", object_id=made.pk)
        .order_by("pk")
        .values_list("action", "actor__username")
    )
    assert actions[0] == (HistoryAction.CREATE, "amara.analyst")
    assert actions[1:] == [(HistoryAction.UPDATE, "amara.analyst")] * 6
    assert page.errors == []


def test_claim_from_a_casualty_span_starts_with_its_figure(page, team):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, TEXT, "Naval command statement")
    assert analyse_documents([document.pk]) == 1
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    text = page.locator("#doc-text")
    text.focus()
    caret = page.locator("#doc-text .kb-caret")
    caret_to(page, TEXT.index("Six"))
    expect(caret).to_have_text("Six")
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("c")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    made = Annotation.objects.get(author=analyst)
    assert made.quote == "Six crew members were killed"

    page.locator("#doc-text span.hl", has_text="Six crew").first.click()
    figures = page.locator("#detail .claim-figures")
    row = figures.locator(".figure-row")
    expect(row).to_have_count(1)
    expect(row.get_by_label("Figure")).to_have_value("6")
    expect(row.get_by_label("Counts")).to_have_value("killed")
    expect(row.get_by_label("Bound")).to_have_value("exact")
    screenshot(page, "claim-prefill")
    # The analyst corrects the bound before making the claim.
    row.get_by_label("Bound").select_option("at_least")
    page.get_by_label("Proposition (one sentence)").fill("Six crew members died.")
    page.get_by_role("button", name="Create claim and attach").click()
    saved(page, "Saved claim")
    claim = Claim.objects.get(project=project)
    quantity = claim.quantities.get()
    assert (quantity.value, quantity.counts, quantity.bound) == (
        6,
        "killed",
        "at_least",
    )
    assert quantity.annotation_id == made.pk
    assert ClaimMention.objects.filter(claim=claim, annotation=made).exists()
    assert HistoryEntry.objects.filter(
        object_type="claimquantity", object_id=quantity.pk, action="create"
    ).exists()
    assert page.errors == []

    # On the claim's page, the element picker finds an element by words of
    # its question; the assessment is made against it.
    elements = list(framework_elements(project))
    assert len(elements) > 10
    wanted = next(e for e in elements if "imminent" in e.question.lower())
    page.goto(f"/p/{project.slug}/claims/{claim.pk}/")
    search = page.get_by_label("Find an element by words (code, question)")
    options = page.locator("#a-el option:not([hidden])")
    expect(options).to_have_count(len(elements) + 1)  # and the empty choice
    search.fill("imminent threat")
    matching = [
        e
        for e in elements
        if all(w in e.question.lower() for w in ("imminent", "threat"))
    ]
    expect(options).to_have_count(len(matching) + 1)
    expect(page.locator(".picker-status")).to_contain_text(f"{len(matching)} element")
    search.fill(f"{wanted.criterion.code}-{wanted.key} imminent")
    expect(page.locator("#a-el")).to_have_value(str(wanted.pk))
    screenshot(page, "element-picker", full_page=False)
    page.get_by_label("Undermines").check()
    page.get_by_label("Rationale").fill(
        "Nothing in the text says the crew threatened anyone."
    )
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator("#assessments ul.assessments > li")).to_contain_text(
        wanted.question[:40]
    )
    assessment = Assessment.objects.get(claim=claim)
    assert assessment.element_id == wanted.pk
    # The panel came back through htmx: its picker works again.
    search = page.get_by_label("Find an element by words (code, question)")
    search.fill("zzz no such words")
    expect(page.locator(".picker-status")).to_have_text(
        "No element matches these words."
    )
    assert page.errors == []
