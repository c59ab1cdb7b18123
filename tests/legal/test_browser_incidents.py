"""In a real Chromium: build an incident from two documents' claims, see its
casualty range, and see the campaign tally flagged against the register."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from legal.models import Claim, Incident
from tests.browser_support import login
from tests.factories import make_annotation
from tests.legal.incident_support import figure_claim, tally

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_build_an_incident_from_two_documents(page, project, analyst, mentions, docs):
    ministry = figure_claim(project, analyst, mentions["minister"], 14)
    wire_quote = make_annotation(docs["wire"], analyst, "14 people were killed")
    wire = figure_claim(project, analyst, wire_quote, 16, bound="at_least")
    total = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, total, 57, "at_least", date(2025, 9, 12))

    login(page, "analyst")
    page.goto(f"/p/{project.slug}/incidents/")
    expect(page.locator("#new-incident")).to_have_attribute("open", "")
    page.fill("#n-desc", "Four vessels struck off Punta Gris.")
    page.fill("#n-date", "2025-09-02")
    page.fill("#n-place", "Off Punta Gris")
    page.get_by_role("button", name="Create incident").click()
    expect(page.locator("#incident-code")).to_have_text("STR-0001")
    incident = Incident.objects.get(project=project)

    for claim in (ministry, wire):
        page.select_option("#l-claim", str(claim.pk))
        with page.expect_navigation():
            page.get_by_role("button", name="Link claim").click()
        expect(page.locator(".messages")).to_contain_text("Linked the claim")
    assert set(
        Claim.objects.filter(incident=incident).values_list("pk", flat=True)
    ) == {ministry.pk, wire.pk}

    killed = page.locator("#ranges tr[data-category=killed] td.range")
    expect(killed).to_contain_text("14\u201316+")
    expect(killed).to_contain_text("sources disagree")
    figures = page.locator("#figures tbody tr")
    expect(figures).to_have_count(2)
    expect(figures.nth(0)).to_contain_text("Ministry of Defence")
    expect(figures.nth(1)).to_contain_text("Harbour Wire")
    expect(figures.nth(1)).to_contain_text("at least 16")
    expect(figures.nth(1).locator(".grade")).to_have_text("ungraded")

    page.goto(f"/p/{project.slug}/incidents/")
    in_register = page.locator("#register tr[data-code='STR-0001'] td.killed")
    expect(in_register).to_contain_text("14\u201316+")
    page.get_by_role("link", name="Campaign tallies against the register").click()
    row = page.locator("#tallies tbody tr").first
    expect(row).to_have_attribute("data-status", "tally_higher")
    expect(row).to_contain_text("Discrepancy")
    expect(row.locator(".tally-message")).to_contain_text(
        "exceeds the register's maximum of 16 by 41"
    )
    assert page.errors == []
