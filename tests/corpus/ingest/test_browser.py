"""Drag and drop in a real Chromium: dropped files are added and uploaded."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from corpus.models import Document
from tests.browser_support import login

# The upload queues the analysis, which runs in process (no broker) once the
# live server commits, so this test loads spaCy too.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.spacy,
    pytest.mark.django_db(transaction=True),
]


def test_drop_files_then_upload(page, project, analyst):
    login(page, "analyst")
    page.goto(f"/p/{project.slug}/ingest/")
    page.wait_for_selector(".dropzone-ready")
    assert page.is_visible(".dropzone-hint")
    # A file chosen the normal way, then two more dropped: all three are kept.
    page.set_input_files(
        "#id_upload-files",
        files=[
            {
                "name": "chosen.txt",
                "mimeType": "text/plain",
                "buffer": b"Chosen with the file picker.",
            }
        ],
    )
    page.evaluate(
        """() => {
          const dt = new DataTransfer();
          dt.items.add(new File(["First dropped statement."], "dropped-1.txt",
                                {type: "text/plain"}));
          dt.items.add(new File(["Second dropped statement."], "dropped-2.txt",
                                {type: "text/plain"}));
          const zone = document.querySelector("[data-dropzone]");
          zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
        }"""
    )
    items = page.locator(".dropzone-list li").all_inner_texts()
    assert [i.split(" (")[0] for i in items] == [
        "chosen.txt",
        "dropped-1.txt",
        "dropped-2.txt",
    ]
    page.click("text=Upload and ingest")
    page.wait_for_url("**/jobs/**")
    expect(page.locator("main")).to_contain_text("3 stored")
    assert sorted(Document.objects.values_list("original_name", flat=True)) == [
        "chosen.txt",
        "dropped-1.txt",
        "dropped-2.txt",
    ]
