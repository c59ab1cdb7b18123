"""The export page in a real browser: prepare an export, watch it, download it."""

from __future__ import annotations

import zipfile

import pytest

from tests.browser_support import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_prepare_and_download_an_archive(page, rich_project, tmp_path):
    login(page, "owner")
    page.goto("/p/strikes/export/")
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
