"""The annotator's REST endpoints: permissions, conflicts, query counts."""

from __future__ import annotations

from typing import cast

import pytest

from annotations.models import Annotation, Comment, Suggestion, Tag
from annotations.services.annotations import annotation_create
from corpus.models import Document
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def make(document, author, start=0, end=6, tags=("official_claim",)):
    return annotation_create(
        document=document, author=author, start=start, end=end, tag_keys=list(tags)
    )


def test_create_list_patch_delete_roundtrip(api, document, analyst):
    client = api(analyst)
    start = document.text.index("14 people")
    response = client.post(
        "/api/annotations/",
        {
            "document": document.pk,
            "start": start,
            "end": start + 9,
            "tag_keys": ["casualty_figure"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"] == "14 people"
    assert body["version"] == 1 and body["tag_keys"] == ["casualty_figure"]

    listed = client.get(f"/api/annotations/?document={document.pk}").json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]

    patched = client.patch(
        f"/api/annotations/{body['id']}/",
        {"version": 1, "note": "Minister's figure"},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["version"] == 2

    stale = client.patch(
        f"/api/annotations/{body['id']}/", {"version": 1, "note": "x"}, format="json"
    )
    assert stale.status_code == 409
    payload = stale.json()
    assert "Someone else saved" in payload["message"]
    assert payload["extra"]["current"]["note"] == "Minister's figure"
    assert payload["extra"]["current"]["version"] == 2

    missing_version = client.delete(f"/api/annotations/{body['id']}/")
    assert missing_version.status_code == 400
    assert client.delete(f"/api/annotations/{body['id']}/?version=1").status_code == 409
    assert client.delete(f"/api/annotations/{body['id']}/?version=2").status_code == 204
    assert not Annotation.objects.exists()


def test_bad_payloads_get_clear_errors(api, document, analyst):
    client = api(analyst)
    response = client.post(
        "/api/annotations/",
        {"document": document.pk, "start": 0, "end": 99999, "tag_keys": ["x"]},
        format="json",
    )
    assert response.status_code == 400
    assert "message" in response.json()
    response = client.post(
        "/api/annotations/", {"document": "abc", "tag_keys": "no"}, format="json"
    )
    assert response.status_code == 400
    assert "fields" in response.json()["extra"]


def test_viewer_reads_but_cannot_write(api, document, analyst, viewer):
    annotation = make(document, analyst)
    client = api(viewer)
    assert client.get(f"/api/annotations/?document={document.pk}").status_code == 200
    assert client.get(f"/api/annotations/{annotation.pk}/").status_code == 200
    response = client.post(
        "/api/annotations/",
        {"document": document.pk, "start": 0, "end": 6, "tag_keys": ["official_claim"]},
        format="json",
    )
    assert response.status_code == 403
    response = client.patch(
        f"/api/annotations/{annotation.pk}/", {"version": 1, "note": "x"}, format="json"
    )
    assert response.status_code == 403
    assert (
        client.delete(f"/api/annotations/{annotation.pk}/?version=1").status_code == 403
    )
    response = client.post(
        "/api/comments/", {"annotation": annotation.pk, "body": "hi"}, format="json"
    )
    assert response.status_code == 403
    annotation.refresh_from_db()
    assert annotation.version == 1 and annotation.note == ""


def test_non_member_gets_404_everywhere(api, document, analyst):
    annotation = make(document, analyst)
    client = api(UserFactory(username="outsider"))
    assert client.get(f"/api/annotations/?document={document.pk}").status_code == 404
    assert client.get(f"/api/annotations/{annotation.pk}/").status_code == 404
    assert client.get("/api/annotations/").json()["results"] == []
    assert (
        client.patch(
            f"/api/annotations/{annotation.pk}/", {"version": 1}, format="json"
        ).status_code
        == 404
    )
    assert api().get("/api/annotations/").status_code in (401, 403)


def test_suggestion_endpoints(api, document, analyst, viewer):
    tag = Tag.objects.get(project=document.project, key="casualty_figure")
    start = document.text.index("14 people")
    suggestion = Suggestion(
        document=document,
        project=document.project,
        tag=tag,
        start=start,
        end=start + 9,
        rule="test",
    )
    suggestion.anchor()
    suggestion.save()
    assert (
        api(viewer).post(f"/api/suggestions/{suggestion.pk}/accept/").status_code == 403
    )
    listed = api(analyst).get(f"/api/suggestions/?document={document.pk}").json()
    assert [row["id"] for row in listed["results"]] == [suggestion.pk]
    accepted = api(analyst).post(f"/api/suggestions/{suggestion.pk}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["annotation"]["quote"] == "14 people"
    again = api(analyst).post(f"/api/suggestions/{suggestion.pk}/reject/")
    assert again.status_code == 409
    listed = api(analyst).get(f"/api/suggestions/?document={document.pk}").json()
    assert listed["results"] == []


def test_comments_endpoint(api, document, analyst):
    annotation = make(document, analyst)
    client = api(analyst)
    response = client.post(
        "/api/comments/",
        {"annotation": annotation.pk, "body": "<b>Is this sourced?</b>"},
        format="json",
    )
    assert response.status_code == 201
    rows = client.get(f"/api/comments/?annotation={annotation.pk}").json()["results"]
    assert [r["body"] for r in rows] == ["<b>Is this sourced?</b>"]
    assert Comment.objects.get().author == analyst


def test_list_query_count_does_not_grow(
    api, project, analyst, django_assert_num_queries
):
    document = cast(
        Document, DocumentFactory(project=project, text="word " * 400 + "end")
    )
    for i in range(3):
        make(document, analyst, start=i * 5, end=i * 5 + 4)
    client = api(analyst)
    # document, membership (access), count, rows (blind mode is a subquery
    # of the rows' query), tags
    with django_assert_num_queries(5) as small:
        client.get(f"/api/annotations/?document={document.pk}")
    for i in range(3, 40):
        make(document, analyst, start=i * 5, end=i * 5 + 4, tags=("hedged_allegation",))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(f"/api/annotations/?document={document.pk}")
    assert response.json()["count"] == 40


def test_blind_mode_hides_and_protects_others_annotations(
    api, project, document, analyst, second_analyst
):
    from corpus.models import Assignment

    theirs = make(document, second_analyst)
    mine = make(document, analyst, start=7, end=9)
    project.blind_mode = True
    project.save()
    Assignment.objects.create(document=document, annotator=analyst)
    client = api(analyst)
    listed = client.get(f"/api/annotations/?document={document.pk}").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert [row["id"] for row in client.get("/api/annotations/").json()["results"]] == [
        mine.pk
    ]
    response = client.patch(
        f"/api/annotations/{theirs.pk}/", {"version": 1, "note": "x"}, format="json"
    )
    assert response.status_code == 404
    assert client.delete(f"/api/annotations/{theirs.pk}/?version=1").status_code == 404
    response = client.patch(
        f"/api/annotations/{mine.pk}/", {"version": 1, "note": "mine"}, format="json"
    )
    assert response.status_code == 200
    theirs.refresh_from_db()
    assert theirs.note == "" and theirs.version == 1
