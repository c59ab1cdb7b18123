"""The ingestion pages: forms, permissions, job progress and downloads."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from corpus.ingest import ingest_file
from corpus.models import Document, Job, JobKind, JobStatus
from tests.corpus.ingest.conftest import ARTICLE, OTHER_ARTICLE, make_pdf
from tests.corpus.ingest.test_formats import HOSTILE_HTML
from tests.factories import UserFactory

pytestmark = pytest.mark.postgres


@pytest.fixture
def analyst_client(analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    return client


def csrf_post(client, url, data, **kwargs):
    """POST the way a browser does: with the token from the form page."""
    page = client.get(url)
    token = page.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token}, **kwargs)


def test_page_has_three_forms_with_csrf(analyst_client, project):
    response = analyst_client.get(f"/p/{project.slug}/ingest/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("csrfmiddlewaretoken") == 4  # three forms + logout
    assert 'type="file"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html
    assert "js/dropzone.js" in html
    assert "No ingestion yet" in html


def test_post_without_csrf_is_rejected(analyst_client, project):
    response = analyst_client.post(
        f"/p/{project.slug}/ingest/", {"form": "paste", "paste-text": "Hi."}
    )
    assert response.status_code == 403
    assert Document.objects.count() == 0


def test_multi_file_upload_reports_each_file(analyst_client, project):
    files = [
        SimpleUploadedFile("wire.txt", ARTICLE.encode(), "text/plain"),
        SimpleUploadedFile(
            "brief.pdf", make_pdf(["Briefing page."]), "application/pdf"
        ),
        SimpleUploadedFile("empty.txt", b"", "text/plain"),
        SimpleUploadedFile("page.html", HOSTILE_HTML, "text/html"),
    ]
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {"form": "upload", "upload-files": files, "upload-source": "Velden Courier"},
    )
    assert response.status_code == 302
    job = Job.objects.get(kind=JobKind.INGEST)
    assert response["Location"] == f"/p/{project.slug}/jobs/{job.pk}/"
    assert job.report["stored"] == 3 and job.report["failed"] == 1
    assert Document.objects.filter(source__name="Velden Courier").count() == 3
    page = analyst_client.get(response["Location"]).content.decode()
    assert "wire.txt" in page and "brief.pdf" in page
    assert "empty.txt" in page and "The file is empty." in page
    assert "<progress" in page  # analysis job progress
    assert "hx-get" in page and "every 1s" in page
    assert "<script>alert" not in page


def test_over_size_upload_is_refused_without_reading(analyst_client, project, settings):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 100
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {
            "form": "upload",
            "upload-files": [
                SimpleUploadedFile("big.txt", b"x " * 200),
                SimpleUploadedFile("small.txt", b"Small statement."),
            ],
        },
    )
    job = Job.objects.get(kind=JobKind.INGEST)
    assert response.status_code == 302
    outcomes = {i["name"]: i for i in job.report["items"]}
    assert outcomes["big.txt"]["status"] == "failed"
    assert "too large" in outcomes["big.txt"]["message"]
    assert outcomes["small.txt"]["status"] == "stored"


def test_upload_form_without_files_shows_errors(analyst_client, project):
    response = csrf_post(
        analyst_client, f"/p/{project.slug}/ingest/", {"form": "upload"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_paste_a_statement(analyst_client, project, analyst):
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {
            "form": "paste",
            "paste-text": "Our forces struck three vessels run by narco-terrorists.",
            "paste-title": "Minister's post",
            "paste-speaker": "Tomas Relk",
            "paste-role": "Minister of Defence",
            "paste-platform": "X",
            "paste-published_at": "2025-03-04T08:15",
            "paste-source": "Ministry of Defence of Veridia",
            "paste-kind": "social",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.author == "Tomas Relk"
    assert document.speaker_role == "Minister of Defence"
    assert document.platform == "X"
    assert document.kind == "social"
    assert document.published_at is not None
    assert document.published_at.day == 4
    assert document.source is not None
    assert document.source.name == "Ministry of Defence of Veridia"
    assert document.captured_by == analyst
    assert document.extractor == "glossa.paste"


def test_paste_empty_text_is_a_form_error(analyst_client, project):
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {"form": "paste", "paste-text": "   ", "paste-kind": "statement"},
    )
    assert response.status_code == 400
    assert "Paste the text" in response.content.decode()


def test_url_form(analyst_client, project, site, allow_local):
    site.routes["/s"] = (200, {"Content-Type": "text/html"}, HOSTILE_HTML)
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {"form": "url", "url-url": site.url("/s"), "url-kind": "article"},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.warc
    page = analyst_client.get(response["Location"]).content.decode()
    assert "Stored" in page


def test_url_form_refuses_private_address(analyst_client, project, settings):
    settings.GLOSSA_URL_ALLOW_PRIVATE = False
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {"form": "url", "url-url": "http://169.254.169.254/latest/"},
    )
    page = analyst_client.get(response["Location"]).content.decode()
    assert "Refused" in page
    assert Document.objects.count() == 0


def test_viewer_cannot_ingest_and_strangers_get_404(client, project, viewer):
    client.force_login(viewer)
    assert client.get(f"/p/{project.slug}/ingest/").status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert client.get(f"/p/{project.slug}/ingest/").status_code == 404
    client.logout()
    assert client.get(f"/p/{project.slug}/ingest/").status_code == 302


def test_job_progress_partial_for_htmx(client, project, analyst, viewer):
    job = Job.objects.create(
        project=project, kind=JobKind.ANALYSE, status=JobStatus.RUNNING, total=8, done=2
    )
    client.force_login(viewer)
    response = client.get(f"/p/{project.slug}/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<progress" in html and 'value="2"' in html and 'max="8"' in html
    assert "hx-trigger" in html and "<html" not in html
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=8)
    html = client.get(
        f"/p/{project.slug}/jobs/{job.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'value="8"' in html and "hx-trigger" not in html  # polling stops
    full = client.get(f"/p/{project.slug}/jobs/{job.pk}/").content.decode()
    assert "<html" in full
    client.force_login(UserFactory(username="stranger"))
    assert client.get(f"/p/{project.slug}/jobs/{job.pk}/").status_code == 404


def test_job_of_another_project_is_404(client, project, analyst):
    from projects.services import project_create

    other = project_create(
        name="Other", created_by=cast(User, UserFactory(username="o"))
    )
    job = Job.objects.create(project=other, kind=JobKind.ANALYSE)
    client.force_login(analyst)
    assert client.get(f"/p/{project.slug}/jobs/{job.pk}/").status_code == 404


def test_download_original_as_attachment(client, project, analyst, viewer):
    document = ingest_file(
        project=project, name="page.html", data=HOSTILE_HTML, user=analyst
    ).documents[0]
    client.force_login(viewer)
    response = client.get(f"/p/{project.slug}/d/{document.pk}/original/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == HOSTILE_HTML
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.html"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/octet-stream"  # never text/html
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Repr-Digest"].startswith("sha-256=:")


def test_download_keeps_safe_media_types(client, project, analyst):
    pdf = make_pdf(["A page."])
    document = ingest_file(
        project=project, name="a.pdf", data=pdf, user=analyst
    ).documents[0]
    client.force_login(analyst)
    response = client.get(f"/p/{project.slug}/d/{document.pk}/original/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


def test_download_permissions(client, project, analyst):
    document = ingest_file(
        project=project, name="a.txt", data=OTHER_ARTICLE.encode(), user=analyst
    ).documents[0]
    url = f"/p/{project.slug}/d/{document.pk}/original/"
    client.force_login(UserFactory(username="stranger"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # A document id from another project under this project's slug is 404.
    from projects.services import membership_set, project_create

    owner2 = cast(User, UserFactory(username="owner2"))
    other = project_create(name="Other case", created_by=owner2)
    membership_set(project=other, user=analyst, role="viewer")
    client.force_login(analyst)
    assert client.get(f"/p/{other.slug}/d/{document.pk}/original/").status_code == 404
    assert client.get(f"/p/{project.slug}/d/{document.pk}/warc/").status_code == 404


def test_hostile_file_names_are_escaped_in_the_report(analyst_client, project):
    name = '<img src=x onerror="alert(1)">.txt'
    response = csrf_post(
        analyst_client,
        f"/p/{project.slug}/ingest/",
        {"form": "upload", "upload-files": [SimpleUploadedFile(name, b"")]},
    )
    page = analyst_client.get(response["Location"]).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page
