"""In a real Chromium: an analyst adds a translation note to a Spanish quote
on the claim's page and reads it under that quote in the brief."""

from __future__ import annotations

from typing import cast

import pytest
from playwright.sync_api import expect

from corpus.models import Document
from legal.models import ClaimMention
from legal.services.claims import claim_create
from tests.browser_support import login
from tests.factories import DocumentFactory, make_annotation

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

# Written for this test: a ministry's statement in Spanish.
TEXT = (
    "El Ministerio de Defensa aseguró que la operación se ajustó a la ley. "
    "Según el comunicado, murieron cuatro tripulantes."
)
QUOTE = "murieron cuatro tripulantes"
NOTE = "four crew members died"


def test_add_a_note_to_a_spanish_quote_and_see_it_in_the_brief(page, project, analyst):
    document = cast(
        Document,
        DocumentFactory(project=project, title="Comunicado", text=TEXT, language="es"),
    )
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="Four crew members died",
        claimant="Ministerio de Defensa",
        claimant_type="acting_government",
        annotation=make_annotation(document, analyst, QUOTE),
    )
    login(page, "analyst")
    page.goto(f"/p/{project.slug}/claims/{claim.pk}/")
    page.get_by_text("Add translation note").click()
    page.get_by_label("Translation of this quote").fill(NOTE)
    with page.expect_navigation():
        page.get_by_role("button", name="Save translation").click()
    expect(page.locator(".messages")).to_contain_text("Translation note saved.")
    expect(page.locator("[data-translation-of]")).to_contain_text(NOTE)
    assert ClaimMention.objects.get(claim=claim).translation_note == NOTE

    page.goto(f"/p/{project.slug}/reports/brief.html")
    quote = page.locator("article.claim blockquote").filter(has_text=QUOTE)
    expect(quote.locator("span[lang='es']")).to_have_text(QUOTE)
    expect(quote.locator(".translation")).to_have_text(
        f"Translation (analyst's): {NOTE}"
    )
    expect(quote.locator(".no-translation")).to_have_count(0)
    assert not page.errors
