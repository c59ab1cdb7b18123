"""A document with its annotations in one request: ``?include=annotations``."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from annotations.services.comments import comment_create
from corpus.models import Document
from projects.models import Role
from tests.factories import DocumentFactory, make_annotation
from tests.fixtures_team import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_document(project) -> Document:
    return cast(Document, DocumentFactory(project=project, text="word " * 400 + "end"))


def grow(document, author, start: int, count: int) -> None:
    for i in range(start, start + count):
        annotation = make_annotation(
            document,
            author,
            i * 5,
            i * 5 + 4,
            ["official_claim", "hedged_allegation"][: 1 + i % 2],
            note=f"note {i}",
        )
        if i % 3 == 0:
            comment_create(annotation=annotation, author=author, body="Checked.")


@pytest.mark.postgres
def test_document_and_annotations_in_one_request_in_constant_queries(
    api, project, analyst, long_document, django_assert_num_queries
):
    grow(long_document, analyst, 0, 10)
    client = api(analyst)
    url = f"/api/documents/{long_document.pk}/?include=annotations"
    # document, membership (permission), and one query that builds the
    # annotations with their tags and comment counts (blind mode is part of it).
    with django_assert_num_queries(3):
        response = client.get(url)
    body = response.json()
    assert response.status_code == 200
    assert body["text"] == long_document.text
    assert len(body["annotations"]) == 10
    first = body["annotations"][0]
    assert first == {
        "id": first["id"],
        "start": 0,
        "end": 4,
        "quote": "word",
        "tag_keys": ["official_claim"],
        "note": "note 0",
        "author": "analyst",
        "status": "draft",
        "origin": "human",
        "version": 1,
        "comment_count": 1,
    }
    assert body["annotations"][1]["tag_keys"] == ["official_claim", "hedged_allegation"]
    # Forty rows: the same number of queries.
    grow(long_document, analyst, 10, 30)
    with django_assert_num_queries(3):
        response = client.get(url)
    assert len(response.json()["annotations"]) == 40
    # The same rows as the two-request path, in the same order.
    listed = client.get(f"/api/annotations/?document={long_document.pk}&page_size=100")
    assert [row["id"] for row in listed.json()["results"]] == [
        row["id"] for row in response.json()["annotations"]
    ]


def test_without_include_the_document_carries_no_annotations(
    api, project, analyst, long_document
):
    grow(long_document, analyst, 0, 2)
    body = api(analyst).get(f"/api/documents/{long_document.pk}/").json()
    assert "annotations" not in body and body["text"] == long_document.text


@pytest.mark.parametrize(
    "include", ["claims", "annotations,secrets", "x" * 300, "annotations,,"]
)
def test_unknown_includes_are_refused_by_name(
    api, project, analyst, long_document, include
):
    response = api(analyst).get(
        f"/api/documents/{long_document.pk}/", {"include": include}
    )
    if include == "annotations,,":
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "include" in str(response.json())


def test_include_keeps_blind_mode_and_membership(
    api, project, owner, analyst, long_document, outsider
):
    colleague = cast(User, member(project, "colleague", Role.ANALYST))
    grow(long_document, analyst, 0, 2)
    make_annotation(long_document, colleague, 50, 54, ["official_claim"], note="hers")
    project.blind_mode = True
    project.save()
    url = f"/api/documents/{long_document.pk}/?include=annotations"
    mine = api(analyst).get(url).json()["annotations"]
    assert {row["author"] for row in mine} == {"analyst"} and len(mine) == 2
    hers = api(colleague).get(url).json()["annotations"]
    assert [row["note"] for row in hers] == ["hers"]
    assert len(api(owner).get(url).json()["annotations"]) == 3
    assert api(outsider).get(url).status_code == 404
    assert api().get(url).status_code in (401, 403)
