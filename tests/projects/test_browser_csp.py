"""In a real browser: sign in, open the trust pages, and see no CSP violation."""

from __future__ import annotations

import pytest

from corpus.services import assignment_create
from tests.browser_support import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assigned(project, owner, analyst, document):
    """An assignment, so the assignments page has a row to render."""
    return assignment_create(document=document, annotator=analyst, assigned_by=owner)


def test_pages_render_under_the_csp_with_htmx_loaded(page, project, assigned):
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(f"/login/?next=/p/{project.slug}/members/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/p/{project.slug}/members/")
    assert page.locator("h1").inner_text() == f"Members of {project.name}"
    assert page.evaluate("typeof window.htmx") == "object"
    for path in ("assignments", "agreement", "history", "tags"):
        page.goto(f"/p/{project.slug}/{path}/")
        assert page.locator("h1").count() == 1
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert problems == []


def test_the_in_app_brief_is_styled_under_the_csp(page, project, owner):
    """The brief the app serves links its stylesheet (no inline style, which
    the CSP refuses); the downloaded file carries it inline."""
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    page.goto(f"/login/?next=/p/{project.slug}/reports/brief.html")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/p/{project.slug}/reports/brief.html")
    heading = page.locator("h1")
    assert heading.inner_text().startswith("Evidence brief")
    assert page.locator("style").count() == 0
    # The stylesheet applied: the brief's own heading size, not the browser's.
    assert heading.evaluate("h => getComputedStyle(h).fontSize") == "26.6667px"
    assert problems == []
    screenshot(page, "brief")
    standalone = page.request.get(f"/p/{project.slug}/reports/brief.html?download=1")
    assert "<style>" in standalone.text() and ".claim {" in standalone.text()
