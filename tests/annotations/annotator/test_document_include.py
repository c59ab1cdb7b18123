"""A document with its annotations in one request: ``?include=annotations``."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from annotations.selectors import (
    annotations_of_document_payload,
    annotations_visible_to,
)
from annotations.services.comments import comment_create
from corpus.api import includes
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
    # One query: the document with the reader's role (the permission) and,
    # as a subquery, the annotations with their tags and comment counts
    # (membership and blind mode are part of it).
    with django_assert_num_queries(1):
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
    with django_assert_num_queries(1):
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


def test_embedded_rows_are_the_readers_rows_for_every_reader(
    api, project, owner, analyst, viewer, long_document, outsider
):
    """The endpoint builds the rows inside the document's query (PostgreSQL);
    they are exactly what the include's reader answers, which scopes with
    ``Annotation.objects.for_user``: for each role, blind mode on and off."""
    colleague = cast(User, member(project, "colleague", Role.ANALYST))
    grow(long_document, analyst, 0, 4)
    grow(long_document, colleague, 4, 3)
    make_annotation(long_document, owner, 200, 204, [], note="untagged")
    url = f"/api/documents/{long_document.pk}/?include=annotations"
    for blind in (False, True):
        project.blind_mode = blind
        project.save()
        for user in (owner, analyst, colleague, viewer):
            embedded = api(user).get(url).json()["annotations"]
            read = annotations_of_document_payload(user, long_document)
            assert embedded == read, (blind, user.username)
            expected = annotations_visible_to(user=user, document=long_document)
            assert [row["id"] for row in embedded] == list(
                expected.order_by("start", "end", "pk").values_list("id", flat=True)
            )
        assert annotations_of_document_payload(outsider, long_document) == []
    # Blind: a viewer or analyst sees their own only; the owner everyone's.
    counts = {
        user.username: len(api(user).get(url).json()["annotations"])
        for user in (owner, analyst, colleague, viewer)
    }
    assert counts == {"owner": 8, "analyst": 4, "colleague": 3, "viewer": 0}


def test_lookup_answers_as_before_for_ids_roles_and_filters(
    api, project, analyst, viewer, long_document, other_project
):
    grow(long_document, analyst, 0, 2)
    url = f"/api/documents/{long_document.pk}/"
    # Viewers read; bad ids and other projects' documents are not found.
    assert api(viewer).get(url, {"include": "annotations"}).status_code == 200
    assert api(analyst).get("/api/documents/abc/").status_code == 404
    assert api(analyst).get("/api/documents/99999999999999999999/").status_code == 404
    elsewhere = cast(Document, DocumentFactory(project=other_project))
    assert api(analyst).get(f"/api/documents/{elsewhere.pk}/").status_code == 404
    # The list's filters still narrow a lookup (DRF's get_object), with or
    # without an include, and answer the same body when they match.
    plain = api(analyst).get(url, {"include": "annotations"}).json()
    matching = api(analyst).get(
        url, {"include": "annotations", "project": project.slug}
    )
    assert matching.status_code == 200 and matching.json() == plain
    assert api(analyst).get(url, {"project": "another"}).status_code == 404
    # And the same 404 bodies as that lookup.
    for path in ("abc", "-1", "0", "²", "99999999999999999999", str(elsewhere.pk)):
        fast = api(analyst).get(f"/api/documents/{path}/")
        old = api(analyst).get(f"/api/documents/{path}/", {"kind": "article"})
        assert fast.status_code == old.status_code == 404
        assert fast.json() == old.json(), path


def test_an_include_without_a_column_is_read_by_its_reader(
    api, project, analyst, long_document, monkeypatch
):
    """Includes with no single-query form (any include on SQLite) are read
    after the document, by their reader, with the permission-checked row."""
    seen = []

    def probe(user, document):
        seen.append((user.pk, document.pk, document.project.slug))
        return {"probed": document.pk}

    monkeypatch.setitem(includes._INCLUDES, "probe", includes._Include(probe, None))
    body = (
        api(analyst)
        .get(f"/api/documents/{long_document.pk}/?include=probe,annotations")
        .json()
    )
    assert body["probe"] == {"probed": long_document.pk}
    assert seen == [(analyst.pk, long_document.pk, project.slug)]
    assert list(body)[-2:] == ["probe", "annotations"]
