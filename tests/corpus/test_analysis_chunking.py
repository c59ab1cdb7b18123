"""Every way in queues its analysis in chunks of 16-32 documents (issue 13).

One upload of many documents must become several analysis tasks, so that N
workers share it. Each entry point (web upload, API upload, CLI, a broker
ingestion task, a span import) ingests 40 short documents; the analysis
tasks that ran (``task_prerun``, sent in eager mode too) must each carry
at most 32 documents and, all but the last, at least 16, and together all 40.
"""

from __future__ import annotations

import base64
import io
import json

import pytest
from celery.signals import task_prerun
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from corpus.jobs import ANALYSE_TASK, ANALYSIS_CHUNK
from corpus.models import Document, Job, JobKind
from exchange.imports.spans import import_spans

pytestmark = [pytest.mark.spacy, pytest.mark.postgres, pytest.mark.django_db]

COUNT = 40


def _texts(tag: str) -> list[str]:
    return [
        f"Harbour note {tag}-{i}: the ministry said {i + 2} boats were stopped."
        for i in range(COUNT)
    ]


def _jsonl(tag: str) -> bytes:
    return "\n".join(json.dumps({"text": t}) for t in _texts(tag)).encode()


@pytest.fixture
def sent():
    """The document ids of each analysis task run, in order."""
    chunks: list[list[int]] = []

    def record(sender=None, args=None, **_):
        if sender is not None and sender.name == ANALYSE_TASK:
            chunks.append(list(args[1]))

    task_prerun.connect(record, weak=False)
    yield chunks
    task_prerun.disconnect(record)


def _check(chunks: list[list[int]], project) -> None:
    assert 16 <= ANALYSIS_CHUNK <= 32
    sizes = [len(c) for c in chunks]
    assert len(chunks) >= 2, sizes
    assert all(size <= 32 for size in sizes), sizes
    assert all(size >= 16 for size in sizes[:-1]), sizes
    ids = sorted(i for c in chunks for i in c)
    stored = sorted(
        Document.objects.filter(project=project).values_list("pk", flat=True)
    )
    assert ids == stored and len(ids) >= COUNT


def test_web_upload(client, project, analyst, sent, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    upload = SimpleUploadedFile("notes.jsonl", _jsonl("web"), "application/jsonl")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/p/{project.slug}/ingest/", {"form": "upload", "upload-files": [upload]}
        )
    assert response.status_code == 302
    _check(sent, project)


def test_api_upload(project, analyst, sent, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/documents/",
            {
                "project": project.slug,
                "file": SimpleUploadedFile("notes.jsonl", _jsonl("api")),
            },
            format="multipart",
        )
    assert response.status_code in (201, 202), response.content
    _check(sent, project)


def test_cli(project, analyst, sent, tmp_path, django_capture_on_commit_callbacks):
    for i, text in enumerate(_texts("cli")):
        (tmp_path / f"note-{i}.txt").write_text(text)
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "ingest", str(tmp_path), project=project.slug, stdout=io.StringIO()
        )
    _check(sent, project)


def test_broker_ingestion_task(
    project, analyst, sent, django_capture_on_commit_callbacks
):
    from corpus.tasks import ingest_files_task

    job = Job.objects.create(project=project, kind=JobKind.INGEST, created_by=analyst)
    files = [
        {"name": f"n{i}.txt", "data_b64": base64.b64encode(t.encode()).decode()}
        for i, t in enumerate(_texts("task"))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        ingest_files_task(job.pk, files, {})
    _check(sent, project)


def test_span_import(project, owner, sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_spans(
            io.BytesIO(_jsonl("import")), tool="doccano", project=project, user=owner
        )
    assert result.documents_created == COUNT
    _check(sent, project)
