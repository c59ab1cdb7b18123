"""The export page in a real browser: prepare an export, watch it, download it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from annotations.models import Annotation
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
        assert "glossa-strikes/manifest-sha256.txt" in zf.namelist()
        assert any(
            name.startswith("glossa-strikes/data/originals/") for name in zf.namelist()
        )


def test_import_a_tool_file_from_the_page(page, project, tmp_path):
    """doccano's file (UTF-16 offsets after emoji and CJK) through the page:
    every span lands; a Label Studio file with one wrong quote is refused
    with the span named, and nothing more is written."""
    peers = Path(__file__).parent / "data" / "peers"
    login(page, "owner")
    page.goto("/p/strikes/export/")
    page.select_option("select[name=format]", "doccano")
    page.set_input_files("input[name=file]", str(peers / "doccano_utf16.jsonl"))
    # the new documents are analysed in process after the import (no broker
    # in tests): spaCy's first load takes a while, so wait for the result
    page.click("button:has-text('Import')", no_wait_after=True)
    page.wait_for_selector("text=12 annotations created", timeout=120_000)
    assert "3 new documents" in page.content()
    tasks = json.loads((peers / "labelstudio.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][2]["value"]["text"] = "14 were killed"
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(tasks), encoding="utf-8")
    page.select_option("select[name=format]", "labelstudio")
    page.set_input_files("input[name=file]", str(wrong))
    page.click("button:has-text('Import')")
    page.wait_for_selector("text=Nothing was imported")
    assert "result r0x2Qz" in page.content()
    assert Annotation.objects.filter(project=project).count() == 12
