"""Drag and drop in a real Chromium: dropped files are added and uploaded."""

from __future__ import annotations

import shutil

import pytest

from corpus.models import Document

# The upload queues the analysis, which runs in process (no broker) once the
# live server commits, so this test loads spaCy too.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.spacy,
    pytest.mark.django_db(transaction=True),
]

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop; Django's ORM calls from the
    # test body are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=LAUNCH_ARGS
        )
        context = browser.new_context()
        yield context.new_page()
        context.close()
        browser.close()


def login(page, live_server, client, user) -> None:
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )


def test_drop_files_then_upload(page, live_server, client, project, analyst):
    login(page, live_server, client, analyst)
    page.goto(f"{live_server.url}/p/{project.slug}/ingest/")
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
    assert "3 stored" in page.inner_text("main")
    assert sorted(Document.objects.values_list("original_name", flat=True)) == [
        "chosen.txt",
        "dropped-1.txt",
        "dropped-2.txt",
    ]
