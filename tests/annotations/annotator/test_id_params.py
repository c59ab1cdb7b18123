"""Ids in query strings are hostile input: Unicode digits such as "²" pass
``str.isdigit`` but not ``int``; every endpoint parses them with
``projects.params.parse_id`` and answers 400 or ignores the filter."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["²", "١٢", "99999999999999999999"])
def test_unicode_and_oversized_ids_are_refused_not_crashing(api, owner, value):
    client = api(owner)
    for path in (
        f"/api/comments/?annotation={value}",
        f"/api/suggestions/?document={value}",
        f"/api/annotations/?document={value}",
    ):
        response = client.get(path)
        assert response.status_code == 400, (path, response.status_code)
        assert "must be a number" in response.json()["message"]
    assert client.get(f"/api/assignments/?document={value}").status_code == 200
    assert client.get(f"/api/history/?id={value}").status_code == 200
