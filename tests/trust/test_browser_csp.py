"""In a real browser: sign in, open the trust pages, and see no CSP violation."""

from __future__ import annotations

import shutil

import pytest

from annotations.services.assignments import assignment_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        page = browser.new_page()
        yield page
        browser.close()


@pytest.fixture
def assigned(project, owner, analyst, document):
    """Set up before the browser starts (Playwright runs an event loop)."""
    return assignment_create(document=document, annotator=analyst, assigned_by=owner)


def test_pages_render_under_the_csp_with_htmx_loaded(
    live_server, project, assigned, browser_page
):
    page = browser_page
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
    page.goto(f"{live_server.url}/login/?next=/p/{project.slug}/members/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/p/{project.slug}/members/")
    assert page.locator("h1").inner_text() == f"Members of {project.name}"
    assert page.evaluate("typeof window.htmx") == "object"
    for path in ("assignments", "agreement", "history", "tags"):
        page.goto(f"{live_server.url}/p/{project.slug}/{path}/")
        assert page.locator("h1").count() == 1
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert problems == []
