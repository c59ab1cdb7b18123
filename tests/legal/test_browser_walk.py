"""The walk from the issue, in a real Chromium: tag a claim in two
documents in the annotator (select text, press a tag hotkey), link them,
assess the claim against an element, see it counted in the matrix, download
the PDF brief."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from annotations.models import Annotation
from legal.models import Assessment, Element
from tests.browser_support import login, select_text

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def is_annotation_write(response) -> bool:
    return "/annotations/" in response.url and response.request.method != "GET"


def press_and_wait_saved(page, key: str) -> None:
    """Press a tag hotkey and wait for the annotator's answer from the server:
    the response to its write, then the saved state it shows (no database
    poll, so a busy machine only makes this slower, never wrong)."""
    with page.expect_response(is_annotation_write) as response:
        page.keyboard.press(key)
    assert response.value.ok, f"{response.value.status} from {response.value.url}"
    expect(page.locator("#save-state")).to_have_attribute("data-state", "saved")


def tag_in_annotator(page, document, phrase: str, hotkeys: str, tags: list[str]):
    """Open the document, select ``phrase`` and press each hotkey on it (one
    after the other, as a user would once the last tag is saved)."""
    page.goto(f"/p/{document.project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    for key in hotkeys:
        select_text(page, phrase)
        expect(page.locator("#palette-hint")).to_contain_text(phrase[-20:])
        press_and_wait_saved(page, key)
    expect(page.locator("#doc-text span.hl").first).to_be_visible()
    found = list(Annotation.objects.filter(document=document, quote=phrase))
    keys = [sorted(a.tags.values_list("key", flat=True)) for a in found]
    assert keys == [sorted(tags)], f"{phrase!r} has annotations tagged {keys}"
    return found[0]


def test_claim_to_brief_walk(page, project, analyst, docs):
    login(page, "analyst")
    # 1. Tag the claim in two documents (o = official claim, c = casualty).
    first = tag_in_annotator(
        page,
        docs["statement"],
        "forces struck four vessels operated by narco-terrorists, killing 14 people",
        "oc",
        ["official_claim", "casualty_figure"],
    )
    second = tag_in_annotator(
        page,
        docs["wire"],
        "14 people were killed when four vessels were struck at sea",
        "c",
        ["casualty_figure"],
    )
    assert first.author == second.author == analyst
    element = Element.objects.filter(
        criterion__framework__project=project, question__icontains="imminent"
    ).first()
    assert element is not None

    # 2. Create the claim and link both mentions from the proposals.
    page.goto(f"/p/{project.slug}/claims/")
    page.fill("#n-prop", "Fourteen people were killed on four vessels")
    page.fill("#n-cl", "Defence Minister Arlen Vost")
    page.select_option("#n-ct", "acting_government")
    page.click("text=Create claim")
    page.wait_for_selector("h1:has-text('Fourteen people were killed')")
    for annotation in (first, second):
        proposal = page.locator(".proposals li", has_text=annotation.quote[:30])
        with page.expect_navigation():
            proposal.get_by_role("button", name="Link this mention").click()
        assert "Linked the quote" in page.inner_text(".messages")
    mentions = page.locator("section[aria-labelledby=h-mentions] tbody tr")
    assert mentions.count() == 2
    assert docs["statement"].sha256 in page.content()
    assert "Harbour Wire" in page.inner_text("dl.facts")

    # 3. Assess it against an element (htmx swaps the panel in place).
    page.select_option("#a-el", str(element.pk))
    page.check("#assess-form input[name=finding][value=undermines]")
    page.fill("#a-r", "The ministry offered no evidence of a threat to life.")
    page.locator("#assess-form input[name=sources]").first.check()
    page.click("#assess-form button[type=submit]")
    page.wait_for_selector("#assessments .badge.f-undermines")
    assert Assessment.objects.filter(element=element, finding="undermines").count() == 1

    # 4. The matrix counts it and no longer lists the element as a gap.
    page.goto(f"/p/{project.slug}/matrix/")
    row = page.locator("table.matrix tr", has_text=f"-{element.key} ").filter(
        has_text=element.question[:40]
    )
    assert row.locator("td.u").inner_text().strip() == "1"
    assert f"Nothing yet on: {element.question}" not in page.content()
    row.locator("th a").click()
    page.wait_for_selector("#drilldown .drilldown")
    assert "The ministry offered no evidence" in page.inner_text("#drilldown")

    # 5. Download the PDF brief.
    page.goto(f"/p/{project.slug}/reports/")
    with page.expect_download() as info:
        page.click("a.button:has-text('PDF') >> nth=0")
    path = info.value.path()
    with open(path, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages
    )
    assert first.quote in text and second.quote in text
    assert docs["wire"].sha256 in text.replace(" ", "")
