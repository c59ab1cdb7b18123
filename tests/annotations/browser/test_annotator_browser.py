"""The annotator in a real Chromium: the analyst's day, conflicts, hostile
text, read-only viewers and offsets after astral and combining characters."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Dialog, Request, expect

from annotations.models import Annotation, Suggestion, SuggestionStatus, Tag
from annotations.selectors import suggestions_pending
from annotations.services.annotations import annotation_create, annotation_update
from corpus.models import AnalysisStatus, Document
from legal.models import Claim, ClaimMention
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login, select_text

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

# test_analyst_day pastes through the ingest form, whose analysis loads spaCy.

STATEMENT = (
    "Statement by the Ministry of Defence of Costa Verde, 3 September 2025.\n\n"
    "Our forces struck a vessel operated by narco-terrorists in international "
    "waters. Eleven narco-terrorists were killed. The vessel was known to our "
    "intelligence services.\n\n"
    "Asked for details, the ministry spokesperson, Colonel Ines Albarran, said "
    "the evidence would not be released. Legal scholars said the strike was "
    "unlawful under the law of armed conflict and human rights law."
)


def suggest(document, phrase: str, tag_key: str) -> Suggestion:
    start = document.text.index(phrase)
    suggestion = Suggestion(
        document=document,
        project=document.project,
        tag=Tag.objects.get(project=document.project, key=tag_key),
        start=start,
        end=start + len(phrase),
        rule="casualty.number_killed",
        explanation="A number followed by 'were killed'.",
        confidence=0.9,
    )
    suggestion.anchor()
    suggestion.save()
    return suggestion


NEXT_FRAMES_JS = (
    "() => new Promise(done => requestAnimationFrame("
    "() => requestAnimationFrame(done)))"
)


def wait_saved(page) -> None:
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


@pytest.mark.spacy
def test_analyst_day(page, team, artifacts_dir):
    project, analyst = team["project"], team["analyst"]
    login(page, "amara.analyst")
    # Paste a statement through the ingest form; its analysis (real spaCy,
    # eager Celery) queues suggestions before the job page is shown.
    page.goto(f"/p/{project.slug}/ingest/")
    page.fill("#id_paste-text", STATEMENT)
    page.fill("#id_paste-title", "Ministry statement on the 3 September strike")
    page.fill("#id_paste-speaker", "Colonel Ines Albarran")
    page.fill("#id_paste-role", "Ministry spokesperson")
    page.fill("#id_paste-platform", "Press conference")
    page.get_by_role("button", name="Add statement").click()
    page.wait_for_url("**/jobs/*/")
    expect(page.locator("main")).to_contain_text("1 stored")
    expect(page.locator(".job-progress label")).to_contain_text("Done")
    document = Document.objects.get(project=project)
    assert document.text == STATEMENT
    assert document.captured_by == analyst
    assert document.kind == "statement"
    assert document.author == "Colonel Ines Albarran"
    assert document.speaker_role == "Ministry spokesperson"
    # The original is the form's bytes as sent (browsers send CRLF line
    # breaks); the text is normalised to LF.
    with document.original.open("rb") as original:
        sent = original.read()
    assert sent == STATEMENT.replace("\n", "\r\n").encode()
    assert document.sha256 == hashlib.sha256(sent).hexdigest()
    assert document.analysis_status == AnalysisStatus.DONE
    pending = list(suggestions_pending(document=document))
    casualty = next(
        i
        for i, s in enumerate(pending)
        if s.tag.key == "casualty_figure" and s.quote.startswith("Eleven")
    )
    assert casualty > 0  # there is something to walk past

    page.goto(f"/p/{project.slug}/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="Documents", exact=True).click()
    page.get_by_role(
        "link", name="Ministry statement on the 3 September strike"
    ).click()
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    current = page.locator("#suggestions li.current")
    expect(current).to_have_attribute("data-id", str(pending[0].pk))

    # Walk the queue with j/k to the casualty figure, accept it with Enter,
    # reject the next one with Backspace.
    expect(page.locator("#suggestion-count")).to_have_text(str(len(pending)))
    for _ in range(casualty):
        page.keyboard.press("j")
    expect(current).to_have_attribute("data-id", str(pending[casualty].pk))
    expect(current).to_contain_text("Eleven narco-terrorists were killed")
    page.keyboard.press("k")
    expect(current).to_have_attribute("data-id", str(pending[casualty - 1].pk))
    page.keyboard.press("j")
    expect(current).to_have_attribute("data-id", str(pending[casualty].pk))
    page.keyboard.press("Enter")
    wait_saved(page)
    expect(page.locator("#suggestion-count")).to_have_text(str(len(pending) - 1))
    accepted = Suggestion.objects.get(pk=pending[casualty].pk)
    assert accepted.status == SuggestionStatus.ACCEPTED
    next_id = int(current.get_attribute("data-id"))
    assert next_id != accepted.pk
    page.keyboard.press("Backspace")
    wait_saved(page)
    expect(page.locator("#suggestion-count")).to_have_text(str(len(pending) - 2))
    assert Suggestion.objects.get(pk=next_id).status == SuggestionStatus.REJECTED
    assert (
        Suggestion.objects.filter(
            document=document, status=SuggestionStatus.PENDING
        ).count()
        == len(pending) - 2
    )

    # Select text and tag it with a hotkey (n = No evidence provided).
    select_text(page, "the evidence would not be released")
    expect(page.locator("#palette-hint")).to_contain_text("evidence would not")
    page.keyboard.press("n")
    wait_saved(page)
    tagged = Annotation.objects.get(tags__key="no_evidence_provided")
    assert tagged.quote == "the evidence would not be released"

    # Reload: both are there.
    page.reload()
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    ids = page.locator("#doc-text span.hl").evaluate_all(
        "spans => [...new Set(spans.flatMap(s => s.dataset.ids.split(',')))]"
    )
    assert sorted(map(int, ids)) == sorted(
        Annotation.objects.values_list("pk", flat=True)
    )
    assert len(ids) == 2

    # Edit a note on the tagged span.
    page.locator("#doc-text span.hl", has_text="would not be released").first.click()
    note = page.get_by_label("Note")
    note.fill("Spokesperson refuses to release evidence; ask for the annex.")
    page.get_by_label("Review status").focus()  # leaving the field saves
    wait_saved(page)
    tagged.refresh_from_db()
    assert tagged.note.startswith("Spokesperson refuses")
    assert tagged.version == 2
    expect(page.locator("#detail")).to_contain_text("version 2")
    # Start a claim from the annotation in the claim panel.
    new_claim = page.locator("#detail form.new-claim")
    expect(new_claim).to_contain_text("Or start a new claim")
    proposition = new_claim.get_by_label("Proposition (one sentence)")
    expect(proposition).to_have_value("the evidence would not be released")
    proposition.fill("The ministry will not release evidence for the strike.")
    new_claim.get_by_label("Claimant", exact=True).fill("Colonel Ines Albarran")
    new_claim.get_by_label("Claimant type").select_option("acting_government")
    evidence = new_claim.get_by_label("Evidence status")
    expect(evidence).to_have_value("not_provided")  # from the tag
    evidence.select_option("not_provided")
    new_claim.get_by_role("button", name="Create claim and attach").click()
    claim_list = page.locator("#detail .claim-list")
    expect(claim_list).to_contain_text(
        "The ministry will not release evidence for the strike."
    )
    expect(claim_list).to_contain_text("Evidence: not provided")
    claim = Claim.objects.get(project=project)
    assert claim.proposition == "The ministry will not release evidence for the strike."
    assert claim.claimant == "Colonel Ines Albarran"
    assert claim.claimant_type == "acting_government"
    assert claim.evidence_status == "not_provided"
    assert claim.created_by == analyst
    assert list(
        ClaimMention.objects.filter(claim=claim).values_list("annotation_id", flat=True)
    ) == [tagged.pk]
    # Correct the claimant and the evidence status from the panel.
    editor = page.locator("#detail form.claim-edit")
    editor.get_by_label("Claimant").fill("Colonel Ines Albarran, spokesperson")
    editor.get_by_label("Evidence status").select_option("disputed")
    editor.get_by_role("button", name="Save claim").click()
    expect(claim_list).to_contain_text("Evidence: disputed")
    expect(claim_list).to_contain_text("Colonel Ines Albarran, spokesperson")
    claim.refresh_from_db()
    assert claim.claimant == "Colonel Ines Albarran, spokesperson"
    assert claim.evidence_status == "disputed"
    assert claim.version == 2
    # Comment on the annotation.
    page.get_by_label("Add a comment").fill(
        "Ask the ministry for the annex <b>now</b>."
    )
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-list")).to_contain_text(
        "Ask the ministry for the annex <b>now</b>."
    )
    assert tagged.comments.get().body == "Ask the ministry for the annex <b>now</b>."

    # An overlapping annotation by a colleague, for the screenshot.
    start = document.text.index("narco-terrorists were killed")
    annotation_create(
        document=document,
        author=team["owner"],
        start=start,
        end=start + len("narco-terrorists"),
        tag_keys=["legal_characterization_by_official"],
    )
    page.reload()
    expect(page.locator("#doc-text span.hl.overlap")).to_have_count(1)
    page.locator("#doc-text span.hl", has_text="would not be released").first.click()
    page.locator(".provenance summary").click()
    page.locator(".side-column").evaluate("node => node.scrollTo(0, 0)")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=artifacts_dir / "annotator.png", full_page=False)

    page.goto(f"/p/{project.slug}/")
    page.screenshot(path=artifacts_dir / "dashboard.png", full_page=True)
    page.goto(f"/p/{project.slug}/documents/")
    page.screenshot(path=artifacts_dir / "documents.png", full_page=False)
    assert page.errors == []


def test_stale_edit_shows_conflict_and_keeps_other_change(page, team):
    project, analyst, owner = team["project"], team["analyst"], team["owner"]
    document = add_statement(project, analyst, STATEMENT, "Statement")
    start = document.text.index("Legal scholars")
    annotation = annotation_create(
        document=document,
        author=analyst,
        start=start,
        end=start + len("Legal scholars"),
        tag_keys=["experts_say_illegal"],
    )
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    page.locator("#doc-text span.hl", has_text="Legal scholars").click()
    # Meanwhile the owner edits the same annotation.
    annotation_update(
        annotation=annotation,
        user=owner,
        expected_version=1,
        note="Owner: name the scholars.",
    )
    page.get_by_label("Note").fill("Analyst: two professors at the naval college.")
    page.get_by_label("Review status").focus()
    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Someone else saved")
    expect(conflict).to_contain_text("Owner: name the scholars.")
    expect(page.locator("#save-state")).to_have_attribute("data-state", "error")
    annotation.refresh_from_db()
    assert annotation.note == "Owner: name the scholars."
    assert annotation.version == 2
    # The analyst can re-apply their change on top of the current version.
    page.get_by_role("button", name="Apply my change to it").click()
    wait_saved(page)
    annotation.refresh_from_db()
    assert annotation.note == "Analyst: two professors at the naval college."
    assert annotation.version == 3


def test_hostile_markup_renders_inert(page, team):
    project, analyst = team["project"], team["analyst"]
    hostile = (
        'Press release <script>window.__pwned = "script"; alert(1)</script> '
        "with an image <img src=x onerror=\"window.__pwned = 'img'; alert(2)\"> "
        'and a link <a href="javascript:alert(3)">click</a>. Eleven were killed.'
    )
    document = add_statement(
        project, analyst, hostile, '<img src=x onerror="alert(4)">Title'
    )
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    text = page.locator("#doc-text").inner_text()
    assert '<script>window.__pwned = "script"; alert(1)</script>' in text
    assert "onerror=\"window.__pwned = 'img'; alert(2)\"" in text
    expect(page.locator("h1#doc-title")).to_have_text(
        '<img src=x onerror="alert(4)">Title'
    )
    assert page.locator("#doc-text script, #doc-text img, #doc-text a").count() == 0
    # Annotating around the payload keeps it inert, too.
    select_text(page, "<script>window.__pwned")
    page.keyboard.press("o")
    wait_saved(page)
    page.reload()
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    # No element that could run script was made (so none can fire later).
    expect(page.locator("#doc-text span.hl").first).to_be_visible()
    assert page.locator("#doc-text script, #doc-text img, #doc-text a").count() == 0
    assert page.evaluate("() => window.__pwned === undefined")
    assert dialogs == []
    assert page.errors == []


def test_viewer_cannot_edit(page, team):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, STATEMENT, "Statement")
    start = document.text.index("Our forces")
    annotation_create(
        document=document,
        author=analyst,
        start=start,
        end=start + len("Our forces struck a vessel"),
        tag_keys=["official_claim"],
    )
    suggest(document, "Eleven narco-terrorists were killed", "casualty_figure")
    login(page, "victor.viewer")
    writes: list[str] = []

    def on_request(request: Request) -> None:
        if request.method != "GET":
            writes.append(request.url)

    page.on("request", on_request)
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#save-state")).to_contain_text("Read only")
    assert page.locator(".tag-button").count() == 0
    select_text(page, "Legal scholars")
    page.keyboard.press("x")
    page.locator("body").press("Enter")
    page.locator("#doc-text span.hl").first.click()
    expect(page.get_by_label("Note")).to_have_attribute("readonly", "")
    assert page.get_by_role("button", name="Delete annotation").count() == 0
    assert page.locator("#suggestions button").count() == 0
    # Every handler of those key presses and clicks has run by the next two
    # frames; none asked the server to write.
    page.evaluate(NEXT_FRAMES_JS)
    assert writes == []
    assert Annotation.objects.count() == 1
    assert Suggestion.objects.get().status == SuggestionStatus.PENDING


def test_offsets_after_emoji_and_combining_accent(page, team):
    project, analyst = team["project"], team["analyst"]
    # 🇨🇴 and 🚤 are astral (two UTF-16 units each); n̈ has no precomposed
    # form, so the combining diaeresis survives NFC as its own code point.
    text = (
        "Update 🇨🇴🚤: the patrol near Spin\u0308al Point reported that "
        "three fishermen were killed, relatives said."
    )
    document = add_statement(project, analyst, text, "Emoji and accents")
    assert "\u0308" in document.text and "🚤" in document.text
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    select_text(page, "hree fishermen were kil")  # snaps to whole words
    page.keyboard.press("c")
    wait_saved(page)
    annotation = Annotation.objects.get()
    assert annotation.quote == "three fishermen were killed"
    assert annotation.quote == document.text[annotation.start : annotation.end]
    assert annotation.start == document.text.index("three fishermen")
    # The highlight in the page covers exactly those characters.
    highlighted = page.locator("#doc-text span.hl").evaluate_all(
        "spans => spans.map(s => s.textContent).join('')"
    )
    assert highlighted == "three fishermen were killed"
    assert re.search(r"Sp.n\u0308al", page.locator("#doc-text").inner_text())


def test_two_quick_hotkeys_give_one_annotation_with_both_tags(page, team):
    """The second hotkey, pressed before the first save returns, adds its tag
    to the same annotation instead of creating a duplicate."""
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, STATEMENT, "Statement")
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    phrase = "Eleven narco-terrorists were killed"
    select_text(page, phrase)
    page.keyboard.press("o")
    select_text(page, phrase)
    page.keyboard.press("c")
    expect(page.locator("#save-state")).to_contain_text("Casualty figure")
    wait_saved(page)
    annotation = Annotation.objects.get(document=document)
    assert annotation.quote == phrase
    assert sorted(annotation.tags.values_list("key", flat=True)) == [
        "casualty_figure",
        "official_claim",
    ]
    assert annotation.version == 2
