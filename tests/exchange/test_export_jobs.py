"""Exports prepared in the background with a progress bar (web page)."""

from __future__ import annotations

import io
import zipfile

import pytest

from corpus.models import Job, JobKind, JobStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_prepare_export_runs_a_job_with_progress_and_download(
    client, rich_project, owner, media_root, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/p/strikes/export/", {"action": "export", "format": "archive"}
        )
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert response.status_code == 302
    assert response["Location"] == f"/p/strikes/export/jobs/{job.pk}/"
    assert job.status == JobStatus.DONE and job.created_by == owner
    assert job.done == job.total > 0 and job.percent == 100
    page = client.get(response["Location"])
    assert b"<progress" in page.content and b"Download" in page.content
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b'id="export-job"' in partial.content
    assert b"every 1s" not in partial.content  # finished: polling stops
    download = client.get(f"/p/strikes/export/jobs/{job.pk}/download/")
    data = b"".join(download.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(data)).read("glossa-strikes/bagit.txt")
    assert download["Content-Type"] == "application/zip"


def test_job_pages_follow_roles(
    client, rich_project, owner, analyst, media_root, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/p/strikes/export/", {"action": "export", "format": "archive"})
    job = Job.objects.get(kind=JobKind.EXPORT)
    client.force_login(analyst)  # archives are for owners
    assert client.get(f"/p/strikes/export/jobs/{job.pk}/download/").status_code == 403
    assert (
        client.post(
            "/p/strikes/export/", {"action": "export", "format": "archive"}
        ).status_code
        == 403
    )
    client.force_login(UserFactory(username="outsider"))
    assert client.get(f"/p/strikes/export/jobs/{job.pk}/").status_code == 404


def test_queued_job_page_polls(client, rich_project, owner):
    job = Job.objects.create(
        project=rich_project["project"],
        kind=JobKind.EXPORT,
        created_by=owner,
        report={"format": "csv"},
        total=10,
        done=4,
        status=JobStatus.RUNNING,
    )
    client.force_login(owner)
    page = client.get(f"/p/strikes/export/jobs/{job.pk}/")
    assert b'hx-trigger="every 1s"' in page.content
    assert b'value="4"' in page.content and b"40%" in page.content
    assert client.get(f"/p/strikes/export/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.spacy
def test_a_docbin_job_shows_the_spans_it_widened(
    client, project, owner, media_root, django_capture_on_commit_callbacks
):
    from corpus.services import document_create
    from tests.factories import make_annotation

    text = "The ministry said fourteen people were killed."
    document = document_create(
        project=project, original=text.encode(), text=text, language="en"
    )
    make_annotation(document, owner, "teen people", tags=["casualty_figure"])
    make_annotation(document, owner, "were killed", tags=["casualty_figure"])
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/p/strikes/export/", {"action": "export", "format": "docbin"}
        )
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.status == JobStatus.DONE, job.error
    report = job.report["docbin"]
    assert (report["documents"], report["spans"], report["widened_count"]) == (1, 2, 1)
    assert report["widened"] == [
        {
            "document": document.pk,
            "start": 22,
            "end": 33,
            "label": "casualty_figure",
            "token_start": 18,
            "token_end": 33,
        }
    ]
    page = client.get(response["Location"]).content.decode()
    assert "1 span did not fall on token edges and was widened" in page
    assert f'href="/p/strikes/d/{document.pk}/"' in page and "18\u201333" in page
