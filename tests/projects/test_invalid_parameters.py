"""NUL bytes and invalid characters in any query or form field: 400 naming it.

A sweep over every project-level page and API list (every route whose only
argument is the project slug, plus the routes without arguments) and every
filter parameter the views read (found in the source, so a new filter is
swept too).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
APPS = ["projects", "accounts", "audit", "corpus", "annotations", "legal", "review"]
APPS += ["exchange"]
READ = re.compile(r"(?:GET|query_params)\.(?:get|getlist)\(\s*\"([a-z_]+)\"")


def filter_parameters() -> list[str]:
    names = {"page", "page_size", "q", "ordering", "search"}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            names.update(READ.findall(path.read_text()))
    return sorted(names)


def routes(resolver=None, prefix: str = "") -> list[str]:
    """Path templates of every route (``<slug:slug>`` left in place)."""
    out = []
    for pattern in (resolver or get_resolver()).url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            out += routes(pattern, text)
        elif isinstance(pattern, URLPattern):
            out.append(text)
    return out


def sweep_paths(slug: str) -> list[str]:
    paths = []
    for template in routes():
        if template.startswith(("admin", "^")):
            continue
        args = re.findall(r"<(?:\w+:)?(\w+)>", template)
        if set(args) - {"slug"}:
            continue
        paths.append("/" + template.replace("<slug:slug>", slug))
    return paths


def test_sweep_finds_routes_and_parameters(project):
    assert len(sweep_paths(project.slug)) >= 10
    assert {"q", "status", "kind", "page"} <= set(filter_parameters())


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "ok\x07", "bad\ufffd"])
def test_every_route_and_parameter_refuses_invalid_characters(
    client, project, owner, value
):
    client.force_login(owner)
    failures = []
    for path in sweep_paths(project.slug):
        for name in filter_parameters():
            response = client.get(path, {name: value})
            body = response.content.decode()
            if response.status_code != 400 or repr(name) not in body:
                failures.append((path, name, response.status_code))
    assert failures == []


def test_api_answer_is_json_naming_the_field(client, project, owner):
    client.force_login(owner)
    response = client.get("/api/projects/", {"q": "harbour\x00"})
    assert response.status_code == 400
    assert response.json()["extra"] == {"field": "q"}
    assert "NUL byte" in response.json()["message"]


def test_form_field_with_a_nul_is_refused(client, project, owner):
    client.force_login(owner)
    response = client.post(
        f"/p/{project.slug}/ingest/", {"form": "paste", "paste-text": "Hi\x00there"}
    )
    assert response.status_code == 400
    assert "'paste-text'" in response.content.decode()


def test_clean_parameters_pass(client, project, owner):
    client.force_login(owner)
    assert client.get("/api/projects/", {"q": "harbour\tboats"}).status_code == 200


def test_a_session_cookie_with_a_nul_is_refused_not_a_500(client, project):
    client.cookies["sessionid"] = "abc\x00def"
    response = client.post("/api/claims/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["extra"] == {"field": "cookie sessionid"}


def test_a_token_with_a_nul_is_refused_not_a_500(client, project):
    response = client.get("/api/projects/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert response.status_code == 400
    assert "NUL byte" in response.json()["message"]
