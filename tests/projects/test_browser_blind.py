"""Blind mode in a real Chromium: analyst B opens the annotator and the
claims page of a blind project and finds nothing of analyst A's work, while
the owner sees both."""

from __future__ import annotations

from typing import cast

import pytest
from playwright.sync_api import expect

from annotations.services.comments import comment_create
from annotations.services.suggestions import suggestion_accept, suggestion_reject
from corpus.models import Document
from legal.services.claims import claim_create
from projects.models import Role
from projects.services import project_set_blind_mode
from tests.browser_support import login, screenshot
from tests.factories import DocumentFactory, SuggestionFactory, make_annotation
from tests.fixtures_team import member

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

TEXT = (
    "The Zephyrine left port at night. Officials said nine died aboard. "
    "Harbour master Tovald denied any rescue request."
)
A_NOTE = "Quillonite note only analyst A wrote"
A_COMMENT = "Marravel comment only analyst A wrote"
A_CLAIM = "Ostrevine proposition only analyst A wrote"
B_CLAIM = "Bea's own claim about the night departure"


def suggest(project, document, phrase: str, tag: str):
    start = TEXT.index(phrase)
    return SuggestionFactory(
        project=project,
        document=document,
        tag=project.tags.get(key=tag),
        start=start,
        end=start + len(phrase),
    )


def test_analyst_b_sees_only_their_own_work(page, project, owner, analyst):
    bea = member(project, "bea", Role.ANALYST)
    document = cast(
        Document, DocumentFactory(project=project, title="Harbour log", text=TEXT)
    )
    rejected = suggest(project, document, "nine died aboard", "casualty_figure")
    accepted = suggest(project, document, "Officials said", "official_claim")
    project_set_blind_mode(project=project, blind_mode=True, actor=owner)
    document.refresh_from_db()
    # A's work: an annotation with a note and a comment, a claim, two decisions.
    theirs = make_annotation(
        document,
        analyst,
        "Harbour master Tovald",
        tags=["denial_or_rebuttal"],
        note=A_NOTE,
    )
    comment_create(annotation=theirs, author=analyst, body=A_COMMENT)
    claim_create(project=project, user=analyst, proposition=A_CLAIM, annotation=theirs)
    suggestion_reject(suggestion=rejected, user=analyst)
    suggestion_accept(suggestion=accepted, user=analyst)
    # B's own work.
    mine = make_annotation(
        document, bea, "left port at night", tags=["official_claim"], note="mine"
    )
    claim_create(project=project, user=bea, proposition=B_CLAIM, annotation=mine)

    login(page, "bea")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    # One highlight (B's), both suggestions still pending for B.
    expect(page.locator("#annotation-count")).to_have_text("1")
    expect(page.locator("#suggestion-count")).to_have_text("2")
    expect(page.locator("#suggestions")).to_contain_text("nine died aboard")
    expect(page.locator("#suggestions")).to_contain_text("Officials said")
    expect(page.locator("#doc-text span.hl")).to_have_count(1)
    expect(page.locator("#doc-text span.hl")).to_have_text("left port at night")
    html = page.content()
    for secret in (A_NOTE, A_COMMENT, A_CLAIM):
        assert secret not in html
    # What the claim panel asks for, with B's session: B's claim only.
    claims = page.request.get(f"/api/claims/?document={document.pk}").json()
    assert [row["proposition"] for row in claims["results"]] == [B_CLAIM]
    screenshot(page, "blind-annotator")

    page.goto(f"/p/{project.slug}/claims/")
    expect(page.get_by_text(B_CLAIM)).to_be_visible()
    expect(page.get_by_text(A_CLAIM)).to_have_count(0)
    screenshot(page, "blind-claims")

    # The owner is not blind: both claims, both annotations.
    page.context.clear_cookies()
    login(page, "owner")
    page.goto(f"/p/{project.slug}/claims/")
    expect(page.get_by_text(A_CLAIM)).to_be_visible()
    expect(page.get_by_text(B_CLAIM)).to_be_visible()
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    expect(page.locator("#annotation-count")).to_have_text("3")
    assert page.errors == []
