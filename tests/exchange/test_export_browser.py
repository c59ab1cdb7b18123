"""The export page in a real browser: prepare an export, watch it, download it."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # of the fixtures below are still synchronous. Scoped to this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        context = browser.new_context(accept_downloads=True)
        yield context.new_page()
        browser.close()


def test_prepare_and_download_an_archive(
    live_server, browser_page, rich_project, tmp_path
):
    UserFactory(username="owner")  # the fixture's owner; password is known
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/p/strikes/export/")
    assert page.locator("h1").inner_text() == "Export and import"
    page.click("button[name=format][value=archive]")
    page.wait_for_url("**/export/jobs/*/")
    progress = page.locator("progress")
    assert progress.get_attribute("value") == progress.get_attribute("max")
    with page.expect_download() as info:
        page.click("text=Download")
    path = tmp_path / "archive.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as zf:
        assert "manifest.json" in zf.namelist()
        assert any(name.startswith("originals/") for name in zf.namelist())
