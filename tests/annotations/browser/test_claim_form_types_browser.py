"""The annotator's claim form in a real Chromium: its claimant types are the
server's (``legal.models.ClaimantType``), and a new claim's type starts as
the one the pipeline suggested for the sentence."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Suggestion, Tag
from annotations.services.annotations import annotation_create
from annotations.services.suggestions import suggestion_accept
from legal.models import Claim, ClaimantType
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TEXT = (
    "Notice of the harbour authority, 4 May.\n\n"
    "The Rapporteur said nine fishermen were killed. "
    "The embassy of Corvania said two boats were sunk. "
    "Nobody has explained the second strike."
)


def suggest(document, sentence: str, words: str, tag_key: str, kind: str):
    start = document.text.index(words)
    sentence_start = document.text.index(sentence)
    suggestion = Suggestion(
        document=document,
        project=document.project,
        tag=Tag.objects.get(project=document.project, key=tag_key),
        start=start,
        end=start + len(words),
        context_start=sentence_start,
        context_end=sentence_start + len(sentence),
        claimant="someone",
        claimant_type=kind,
        rule="test",
        confidence=0.9,
    )
    suggestion.anchor()
    suggestion.save()
    return suggestion


def claim_type_select(page, words: str):
    page.locator("#doc-text span.hl", has_text=words).first.click()
    form = page.locator("#detail form.new-claim")
    expect(form).to_contain_text("Or start a new claim")
    return form, form.get_by_label("Claimant type")


def test_claim_form_offers_server_types_and_prefills_suggested(page, team):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(project, analyst, TEXT, "Harbour notice")
    # Accepted before the page loads: the type arrives with the page.
    un = suggest(
        document,
        "The Rapporteur said nine fishermen were killed.",
        "nine fishermen were killed",
        "casualty_figure",
        "un",
    )
    suggestion_accept(suggestion=un, user=analyst)
    # Accepted in the page: the type comes from the suggestion decided.
    suggest(
        document,
        "The embassy of Corvania said two boats were sunk.",
        "two boats were sunk",
        "official_claim",
        "other_government",
    )
    # Tagged by hand, no suggestion: the model's default.
    start = TEXT.index("Nobody has explained")
    annotation_create(
        document=document,
        author=analyst,
        start=start,
        end=start + len("Nobody has explained"),
        tag_keys=["no_evidence_provided"],
    )

    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()

    form, ctype = claim_type_select(page, "nine fishermen were killed")
    values = ctype.locator("option").evaluate_all("os => os.map(o => o.value)")
    labels = ctype.locator("option").evaluate_all("os => os.map(o => o.text)")
    assert values == list(ClaimantType.values)
    assert labels == [str(label) for label in ClaimantType.labels]
    expect(ctype).to_have_value("un")
    form.get_by_label("Claimant", exact=True).fill("The Rapporteur")
    form.get_by_role("button", name="Create claim and attach").click()
    expect(page.locator("#detail .claim-list")).to_contain_text("(un)")
    claim = Claim.objects.get(project=project)
    assert (claim.claimant, claim.claimant_type) == ("The Rapporteur", "un")

    page.locator("#suggestions li.current").get_by_role("button", name="Accept").click()
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")
    _, ctype = claim_type_select(page, "two boats were sunk")
    expect(ctype).to_have_value("other_government")

    _, ctype = claim_type_select(page, "Nobody has explained")
    expect(ctype).to_have_value("reporter")
