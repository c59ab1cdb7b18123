"""Every URL path that existed before the split into apps still resolves.

``url_paths_before_the_split.json`` lists each (route, name) of the URLconf
as it was at the last commit before the move (admin pages excluded: their
paths follow the models' apps, and the old ones redirect).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

BEFORE = json.loads(
    (Path(__file__).parent / "url_paths_before_the_split.json").read_text()
)


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name or ""


def test_every_route_and_name_from_before_the_split_still_exists():
    now = set(_routes(get_resolver().url_patterns))
    missing = [tuple(row) for row in BEFORE if tuple(row) not in now]
    assert len(BEFORE) > 80
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/annotations/claim/", "/admin/legal/claim/"),
        ("/admin/annotations/claim/7/change/", "/admin/legal/claim/7/change/"),
        ("/admin/corpus/project/", "/admin/projects/project/"),
        ("/admin/annotations/historyentry/", "/admin/audit/historyentry/"),
        ("/admin/annotations/assignment/add/", "/admin/corpus/assignment/add/"),
    ],
)
def test_old_admin_paths_redirect_to_the_models_new_app(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
