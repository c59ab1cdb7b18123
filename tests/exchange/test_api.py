"""The REST API: authentication, scoping, roles, pagination, filters, queries."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.models import Tag
from audit.models import HistoryEntry
from corpus.models import Document, Job, JobKind
from projects.models import Role
from projects.services import membership_set, project_create
from tests.corpus.ingest.conftest import make_pdf
from tests.exchange.conftest import api_for
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_authentication(owner, project):
    client = APIClient()
    response = client.post(
        "/api/auth/token/",
        {"username": "owner", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    listing = client.get("/api/projects/")
    assert [p["slug"] for p in listing.data["results"]] == ["strikes"]
    assert listing.data["results"][0]["role"] == "owner"
    assert APIClient().get("/api/projects/").status_code in (401, 403)


def test_projects_are_scoped_and_roles_enforced(api, project, analyst, stranger):
    other = project_create(name="Other case", slug="other", created_by=stranger)
    assert api.get(f"/api/projects/{other.slug}/").status_code == 404
    response = api_for(analyst).patch(
        "/api/projects/strikes/", {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 403
    assert "owner" in response.data["message"]
    response = api.patch("/api/projects/strikes/", {"name": "Renamed"}, format="json")
    assert response.status_code == 200 and response.data["name"] == "Renamed"
    created = api_for(stranger).post(
        "/api/projects/", {"name": "New inquiry"}, format="json"
    )
    assert created.status_code == 201 and created.data["role"] == "owner"
    taken = api.post("/api/projects/", {"name": "X", "slug": "other"}, format="json")
    assert taken.status_code == 400 and "taken" in taken.data["message"]


def test_document_list_has_no_bodies_detail_has_text(api, document):
    listing = api.get("/api/documents/", {"project": "strikes"})
    assert listing.status_code == 200
    item = listing.data["results"][0]
    assert item["id"] == document.pk and "text" not in item
    assert item["sha256"] == document.sha256
    detail = api.get(f"/api/documents/{document.pk}/")
    assert detail.data["text"] == document.text


def test_non_members_get_404_everywhere(project, document, stranger):
    client = api_for(stranger)
    assert client.get(f"/api/documents/{document.pk}/").status_code == 404
    assert client.get("/api/documents/", {"project": "strikes"}).status_code == 404
    assert client.get("/api/documents/").data["results"] == []
    tag = Tag.objects.filter(project=project).first()
    assert tag is not None
    assert client.get(f"/api/tags/{tag.pk}/").status_code == 404
    assert client.patch(f"/api/tags/{tag.pk}/", {"name": "x"}).status_code == 404
    assert (
        client.get("/api/projects/strikes/export/", {"format": "csv"}).status_code
        == 404
    )
    assert (
        client.get("/api/search/", {"q": "minister", "project": "strikes"}).status_code
        == 404
    )


def test_pagination_and_filters(api, project):
    for n in range(7):
        DocumentFactory(project=project, kind="statement" if n % 2 else "article")
    page = api.get("/api/documents/", {"project": "strikes", "page_size": 3})
    assert page.data["count"] == 7 and len(page.data["results"]) == 3
    assert page.data["next"] and "page=2" in page.data["next"]
    last = api.get("/api/documents/", {"project": "strikes", "page_size": 3, "page": 3})
    assert len(last.data["results"]) == 1
    statements = api.get("/api/documents/", {"kind": "statement"})
    assert statements.data["count"] == 3
    assert {d["kind"] for d in statements.data["results"]} == {"statement"}
    bad = api.get("/api/documents/", {"kind": "poem"})
    assert bad.status_code == 400


def test_list_query_counts_do_not_grow(api, project, django_assert_num_queries):
    DocumentFactory.create_batch(3, project=project)

    def count_queries(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert api.get(path).status_code == 200
        return len(ctx.captured_queries)

    small = {
        p: count_queries(p) for p in ("/api/documents/", "/api/tags/", "/api/projects/")
    }
    DocumentFactory.create_batch(20, project=project)
    project_create(name="Second", slug="second", created_by=project.created_by)
    for path, queries in small.items():
        with django_assert_num_queries(queries):
            api.get(path)


def test_upload_plain_text(api, project, analyst, media_root):
    viewer = cast(User, UserFactory(username="viewer"))
    membership_set(project=project, user=viewer, role=Role.VIEWER)
    body = b"The admiral said the boat carried 11 people."

    def upload(client):
        return client.post(
            "/api/documents/",
            {
                "project": "strikes",
                "title": "Admiral",
                "file": SimpleUploadedFile("note.txt", body, content_type="text/plain"),
            },
            format="multipart",
        )

    assert upload(api_for(viewer)).status_code == 403
    response = upload(api_for(analyst))
    assert response.status_code == 201, response.data
    created = response.data["documents"][0]
    document = Document.objects.get(pk=created["id"])
    assert document.sha256 == created["sha256"] and document.original.read() == body
    again = upload(api_for(analyst))
    assert (
        again.data["documents"] == []
        and again.data["duplicates"][0]["id"] == document.pk
    )


def test_upload_any_supported_format_and_refuse_garbage_clearly(
    api, project, media_root, settings
):
    """The API ingests through ``corpus.ingest`` (a PDF becomes a document
    and one analysis job is queued); input that yields nothing is a 400
    naming the file and the problem, with nothing stored."""
    pdf = make_pdf(["Minister Ostrava said the vessel carried 9 crew."])
    response = api.post(
        "/api/documents/",
        {
            "project": "strikes",
            "file": SimpleUploadedFile("brief.pdf", pdf, content_type="text/plain"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.data
    document = Document.objects.get(pk=response.data["documents"][0]["id"])
    assert "the vessel carried 9 crew" in document.text
    assert document.original.read() == pdf
    assert Job.objects.filter(project=project, kind=JobKind.ANALYSE).count() == 1

    garbage = api.post(
        "/api/documents/",
        {
            "project": "strikes",
            "file": SimpleUploadedFile(
                "scan.pdf",
                b"%PDF-1.7 \x00\x01 not a pdf",
                content_type="application/pdf",
            ),
        },
        format="multipart",
    )
    assert garbage.status_code == 400
    assert garbage.data["message"].startswith("scan.pdf: ")
    assert garbage.data["extra"]["errors"][0]["name"] == "scan.pdf"
    assert Document.objects.filter(project=project).count() == 1

    settings.GLOSSA_URL_ALLOW_PRIVATE = False
    capture = api.post(
        "/api/documents/capture/",
        {"project": "strikes", "url": "http://127.0.0.1:9/statement"},
        format="json",
    )
    assert capture.status_code == 400 and "Refused" in capture.data["message"]
    assert Document.objects.filter(project=project).count() == 1


def test_tags_owner_writes_with_history(api, project, analyst):
    create = {"project": "strikes", "key": "detention", "name": "Detention"}
    assert api_for(analyst).post("/api/tags/", create, format="json").status_code == 403
    response = api.post("/api/tags/", create, format="json")
    assert response.status_code == 201
    tag = Tag.objects.get(project=project, key="detention")
    assert HistoryEntry.objects.filter(object_type="tag", object_id=tag.pk).count() == 1
    patched = api.patch(f"/api/tags/{tag.pk}/", {"colour": "#112233"}, format="json")
    assert patched.data["colour"] == "#112233"
    bad = api.patch(f"/api/tags/{tag.pk}/", {"colour": "red"}, format="json")
    assert bad.status_code == 400 and "colour" in bad.data["extra"]["fields"]
    assert api_for(analyst).delete(f"/api/tags/{tag.pk}/").status_code == 403
    assert api.delete(f"/api/tags/{tag.pk}/").status_code == 204
    assert HistoryEntry.objects.filter(object_type="tag", action="delete").exists()
    dup = api.post("/api/tags/", {**create, "key": "official_claim"}, format="json")
    assert dup.status_code == 400


def test_used_tag_cannot_be_deleted(api, rich_project):
    tag = Tag.objects.get(project=rich_project["project"], key="official_claim")
    response = api.delete(f"/api/tags/{tag.pk}/")
    assert response.status_code == 400 and "deactivate" in response.data["message"]


@pytest.mark.postgres
def test_full_text_search(api, project, stranger):
    DocumentFactory(
        project=project, title="Rescue", text="Survivors were left in the water."
    )
    DocumentFactory(
        project=project, title="Other", text="The ministry issued a statement."
    )
    secret = project_create(name="Secret", slug="secret", created_by=stranger)
    DocumentFactory(project=secret, title="Hidden", text="Survivors hidden elsewhere.")
    response = api.get("/api/search/", {"q": "survivor"})  # stemming: survivor(s)
    assert response.status_code == 200
    titles = [d["title"] for d in response.data["results"]]
    assert titles == ["Rescue"]
    assert "«Survivors»" in response.data["results"][0]["headline"]
    assert api.get("/api/search/", {"q": "survivors -water"}).data["count"] == 0
    assert api.get("/api/search/").status_code == 400


def test_export_api_roles_and_stream(api, rich_project, analyst):
    response = api.get("/api/projects/strikes/export/", {"format": "w3c"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    body = b"".join(response.streaming_content)
    assert b"http://testserver/api/annotations/" in body
    assert (
        api_for(analyst)
        .get("/api/projects/strikes/export/", {"format": "archive"})
        .status_code
        == 403
    )
    assert (
        api.get("/api/projects/strikes/export/", {"format": "nope"}).status_code == 400
    )


def test_import_api(api, project, analyst):
    payload = (
        b'{"text": "A new text about 3 boats.", "label": [[17, 24, "casualty_figure"]]}'
    )
    response = api_for(analyst).post(
        "/api/projects/strikes/import/",
        {"format": "doccano", "file": SimpleUploadedFile("d.jsonl", payload)},
        format="multipart",
    )
    assert response.status_code == 200, response.data
    assert response.data["annotations_created"] == 1
    refused = api_for(analyst).post(
        "/api/projects/strikes/import/",
        {
            "format": "doccano",
            "create_tags": True,
            "file": SimpleUploadedFile("d.jsonl", payload),
        },
        format="multipart",
    )
    assert refused.status_code == 403
    unknown = api.post(
        "/api/projects/strikes/import/",
        {
            "format": "doccano",
            "file": SimpleUploadedFile(
                "d.jsonl", b'{"text": "abc", "label": [[0, 1, "Nope"]]}'
            ),
        },
        format="multipart",
    )
    assert unknown.status_code == 400
    assert unknown.data["extra"]["unknown_labels"] == ["Nope"]


def test_archive_import_api_is_for_staff(api, rich_project, owner):
    response = api.get("/api/projects/strikes/export/", {"format": "archive"})
    data = b"".join(response.streaming_content)
    upload = {"file": SimpleUploadedFile("a.zip", data), "as_slug": "copy"}
    assert (
        api.post("/api/imports/archive/", upload, format="multipart").status_code == 403
    )
    owner.is_staff = True
    owner.save()
    upload = {"file": SimpleUploadedFile("a.zip", data), "as_slug": "copy"}
    response = api.post("/api/imports/archive/", upload, format="multipart")
    assert response.status_code == 201, response.data
    assert response.data["counts"]["annotations"] == 4


def test_export_page(client, rich_project, owner, stranger):
    client.force_login(owner)
    page = client.get("/p/strikes/export/")
    assert page.status_code == 200
    assert b"W3C Web Annotation" in page.content and b"?format=docbin" in page.content
    # The key that signs archives: its fingerprint and the PEM itself.
    from exchange.signing import fingerprint, public_key_pem

    assert fingerprint(public_key_pem()).encode() in page.content
    assert public_key_pem().strip() in page.content
    csv = client.get("/p/strikes/export/", {"format": "csv"})
    assert csv["Content-Disposition"].startswith('attachment; filename="strikes-csv-')
    assert b"killing 14" in b"".join(csv.streaming_content)
    client.force_login(stranger)
    assert client.get("/p/strikes/export/").status_code == 404


def test_export_page_import_form(client, project, analyst):
    client.force_login(analyst)
    response = client.post(
        "/p/strikes/export/",
        {
            "format": "doccano",
            "file": SimpleUploadedFile(
                "d.jsonl", b'{"text": "Two boats.", "label": [[0, 9, "Unheard of"]]}'
            ),
        },
    )
    assert response.status_code == 200
    assert b"match no tag" in response.content


def test_schema_and_docs_are_served(api):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/documents/",
        "/api/tags/",
        "/api/search/",
        "/api/projects/{slug}/export/",
        "/api/auth/token/",
    ):
        assert path in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


@pytest.mark.postgres
def test_search_survives_a_very_long_document(api, project):
    words = " ".join(f"word{n} alpha{n % 977} beta{n % 331}" for n in range(120_000))
    DocumentFactory(project=project, title="Huge", text=f"Opening survivors. {words}")
    response = api.get("/api/search/", {"q": "survivors"})
    assert response.status_code == 200
    assert [d["title"] for d in response.data["results"]] == ["Huge"]


def test_viewers_read_but_never_write(project, viewer, document):
    client = api_for(viewer)
    assert client.get(f"/api/documents/{document.pk}/").status_code == 200
    assert (
        client.get("/api/projects/strikes/export/", {"format": "csv"}).status_code
        == 200
    )
    tag = Tag.objects.filter(project=project).first()
    assert tag is not None
    writes = [
        client.patch("/api/projects/strikes/", {"name": "x"}, format="json"),
        client.post("/api/tags/", {"project": "strikes", "key": "k", "name": "K"}),
        client.patch(f"/api/tags/{tag.pk}/", {"name": "x"}, format="json"),
        client.delete(f"/api/tags/{tag.pk}/"),
        client.post(
            "/api/projects/strikes/import/",
            {"format": "doccano", "file": SimpleUploadedFile("d.jsonl", b"{}")},
            format="multipart",
        ),
    ]
    assert [r.status_code for r in writes] == [403] * len(writes)
    assert (
        client.get("/api/projects/strikes/export/", {"format": "archive"}).status_code
        == 403
    )
