"""The walk from the issue, in a real Chromium: tag a claim in two
documents, link them, assess the claim against an element, see it counted
in the matrix, download the PDF brief.

The tagging step creates the two annotations through the models: the
annotator page is built on another branch. Once it is merged, the
integrator can replace ``make_annotation`` with selecting text in
``/p/<slug>/d/<pk>/``.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from annotations.models import Assessment, Element

from .conftest import make_annotation

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PASSWORD = "correct horse battery staple"


def test_claim_to_brief_walk(live_server, browser, project, analyst, docs):
    # 1. Tag the claim in two documents (see module docstring).
    first = make_annotation(
        docs["statement"],
        analyst,
        "forces struck four vessels operated by narco-terrorists, killing 14 people",
        tags=["official_claim", "casualty_figure"],
    )
    second = make_annotation(
        docs["wire"],
        analyst,
        "14 people were killed when four vessels were struck at sea",
        tags=["casualty_figure"],
    )
    element = Element.objects.filter(
        criterion__framework__project=project, question__icontains="imminent"
    ).first()

    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "analyst")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))

        # 2. Create the claim and link both mentions from the proposals.
        page.goto(f"{live_server.url}/p/{project.slug}/claims/")
        page.fill("#n-prop", "Fourteen people were killed on four vessels")
        page.fill("#n-cl", "Defence Minister Arlen Vost")
        page.select_option("#n-ct", "official")
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
        assert (
            Assessment.objects.filter(element=element, finding="undermines").count()
            == 1
        )

        # 4. The matrix counts it and no longer lists the element as a gap.
        page.goto(f"{live_server.url}/p/{project.slug}/matrix/")
        row = page.locator("table.matrix tr", has_text=f"-{element.key} ").filter(
            has_text=element.question[:40]
        )
        assert row.locator("td.u").inner_text().strip() == "1"
        assert f"Nothing yet on: {element.question}" not in page.content()
        row.locator("th a").click()
        page.wait_for_selector("#drilldown .drilldown")
        assert "The ministry offered no evidence" in page.inner_text("#drilldown")

        # 5. Download the PDF brief.
        page.goto(f"{live_server.url}/p/{project.slug}/reports/")
        with page.expect_download() as info:
            page.click("a.button:has-text('PDF') >> nth=0")
        path = info.value.path()
        with open(path, "rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF")
        text = " ".join(
            " ".join(p.extract_text().split())
            for p in PdfReader(io.BytesIO(data)).pages
        )
        assert first.quote in text and second.quote in text
        assert docs["wire"].sha256 in text.replace(" ", "")
    finally:
        context.close()
