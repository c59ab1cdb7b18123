"""403, 404 and 500 pages in the app's look, saying what to do next; the
start-up message names the address the server really uses."""

from __future__ import annotations

import io
import subprocess

from django.core.management import call_command


def test_404_and_403_pages_in_the_apps_look(client, project, analyst):
    client.force_login(analyst)
    missing = client.get("/p/no-such-project/")
    assert missing.status_code == 404
    text = missing.content.decode()
    assert 'class="topbar"' in text and "<h1>Not found</h1>" in text
    assert "API documentation" in text
    refused = client.get(f"/p/{project.slug}/members/invite/")
    assert refused.status_code == 403
    assert "This needs the owner role in Strikes at sea." in refused.content.decode()


def test_500_page_in_the_apps_look(client, settings):
    settings.ROOT_URLCONF = "tests.projects.error_routes"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "<h1>Something went wrong</h1>" in text and "css/glossa.css" in text
    assert "a bug, for the test" not in text


def test_demo_message_names_the_real_address(db, media_root):
    out = io.StringIO()
    call_command(
        "load_demo",
        username="demo",
        password="a-long-demo-password",
        url="http://127.0.0.1:8123/",
        stdout=out,
    )
    assert "Log in at http://127.0.0.1:8123/ with username 'demo'" in out.getvalue()


def test_make_run_passes_its_port_to_the_message_and_the_server():
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=127.0.0.1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "load_demo --url http://127.0.0.1:8123/" in dry
    assert "runserver 127.0.0.1:8123" in dry
    assert "serving on http://127.0.0.1:8123/" in dry
