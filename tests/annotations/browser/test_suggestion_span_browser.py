"""A span-level suggestion in a real Chromium: its words are the focus, its
sentence is marked around them, and accepting it annotates the words only.
The document page also shows the voice the analysis used."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Suggestion, Tag
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login
from tests.factories import DocumentAnalysisFactory

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TEXT = (
    "Statement of the harbour police, 2 May.\n\n"
    "Officers returned fire at the pier. The police declined to comment on "
    "the identity of the dead men. A review has begun."
)
SENTENCE = "The police declined to comment on the identity of the dead men."
WORDS = "declined to comment"


def test_span_suggestion_shows_its_words_within_the_sentence(page, team, artifacts_dir):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, TEXT, "Harbour police statement")
    DocumentAnalysisFactory(
        document=document,
        data={
            "sentences": [],
            "voice": {
                "claimant": "the harbour police",
                "claimant_type": "acting_government",
                "inferred": True,
                "evidence": "\u201cStatement of\u201d in the first line",
            },
        },
    )
    start = TEXT.index(WORDS)
    sentence_start = TEXT.index(SENTENCE)
    suggestion = Suggestion(
        document=document,
        project=project,
        tag=Tag.objects.get(project=project, key="refusal_or_non_answer"),
        start=start,
        end=start + len(WORDS),
        context_start=sentence_start,
        context_end=sentence_start + len(SENTENCE),
        rule="refusal_or_non_answer:refusal",
        explanation="cue \u201cdeclined to comment\u201d",
        confidence=0.85,
    )
    suggestion.anchor()
    suggestion.save()
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    # The voice the pipeline used, and that it was inferred.
    expect(page.locator("#voice-claimant")).to_have_text("the harbour police")
    expect(page.locator("#voice-inferred")).to_be_visible()
    page.locator("#voice-panel summary").click()
    expect(page.locator("#voice-evidence")).to_have_text(
        "\u201cStatement of\u201d in the first line"
    )
    expect(page.get_by_role("button", name="Set source")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "span-suggestion.png"), full_page=True)
    # The focused suggestion: its words are the focus, the rest of its
    # sentence the context, nothing outside the sentence is marked.
    focus = page.locator("#doc-text span.sg-focus")
    expect(focus).to_have_count(1)
    expect(focus).to_have_text(WORDS)
    context = page.locator("#doc-text span.sg-context")
    expect(context).to_have_count(2)
    expect(context.nth(0)).to_have_text("The police ")
    expect(context.nth(1)).to_have_text(" on the identity of the dead men.")
    # The list shows the sentence with the words marked.
    item = page.locator("#suggestions li.current")
    expect(item.locator("q.sg-quote")).to_have_text(SENTENCE)
    expect(item.locator("mark.sg-words")).to_have_text(WORDS)
    item.get_by_role("button", name="Accept").click()
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    expect(page.locator("#doc-text span.sg-context")).to_have_count(0)
    annotation = Annotation.objects.get(document=document)
    assert (annotation.start, annotation.end) == (start, start + len(WORDS))
    assert list(annotation.tags.values_list("key", flat=True)) == [
        "refusal_or_non_answer"
    ]
