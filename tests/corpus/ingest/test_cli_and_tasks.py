"""``manage.py ingest`` and the analysis task."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus.ingest import ingest_file
from corpus.models import AnalysisStatus, Document, DocumentAnalysis, Job, JobStatus
from corpus.tasks import analyse_documents_task
from tests.corpus.ingest.conftest import (
    ARTICLE,
    OTHER_ARTICLE,
    make_docx,
    make_pdf,
    make_zip,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def corpus_dir(tmp_path):
    root = tmp_path / "collected"
    (root / "outlets" / "courier").mkdir(parents=True)
    (root / "outlets" / "courier" / "story.txt").write_text(ARTICLE)
    (root / "statement.docx").write_bytes(
        make_docx(["The ministry rejects the accusations."])
    )
    (root / ".hidden.txt").write_text("Never ingested: hidden files are skipped.")
    (root / "broken.pdf").write_bytes(make_pdf(["Cut short."])[:-40])
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(
        make_zip(
            {
                "a/festival.txt": OTHER_ARTICLE.encode(),
                "b/briefing.pdf": make_pdf(["Briefing notes from the archive."]),
                "c/empty.txt": b"",
            }
        )
    )
    return root, archive


def test_cli_ingests_folders_and_archives_and_lists_failures(
    project, corpus_dir, owner
):
    root, archive = corpus_dir
    out = io.StringIO()
    # Failures are reported, and the run still succeeds (without --strict).
    call_command(
        "ingest",
        str(root),
        str(archive),
        project=project.slug,
        kind="article",
        source="Collected",
        user=owner.username,
        no_analyse=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    text = out.getvalue()
    assert "Stored 4 document(s), 0 duplicate(s), 2 failure(s)." in text
    assert "broken.pdf" in text and "truncated" in text
    assert "bundle.zip/c/empty.txt" in text and "empty" in text
    names = set(Document.objects.values_list("original_name", flat=True))
    assert any(n.endswith("outlets/courier/story.txt") for n in names)
    assert any(n.endswith("bundle.zip/b/briefing.pdf") for n in names)
    assert not any(".hidden" in n for n in names)
    document = Document.objects.get(original_name__endswith="statement.docx")
    assert document.source is not None
    assert document.source.name == "Collected"
    assert document.captured_by == owner
    assert document.metadata["captured_via"] == "cli"
    assert document.analysis_status == AnalysisStatus.PENDING


def test_cli_second_run_reports_duplicates_and_succeeds(project, tmp_path):
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE)
    call_command(
        "ingest", str(path), project=project.slug, no_analyse=True, stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("ingest", str(path), project=project.slug, no_analyse=True, stdout=out)
    assert "0 document(s), 1 duplicate(s), 0 failure(s)" in out.getvalue()


def test_cli_strict_exits_non_zero_on_failures(project, tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 item"):
        call_command(
            "ingest",
            str(tmp_path),
            project=project.slug,
            no_analyse=True,
            strict=True,
            stdout=out,
        )
    assert "Stored 1 document(s), 0 duplicate(s), 1 failure(s)." in out.getvalue()
    assert Document.objects.count() == 1


def test_cli_unknown_project(db, tmp_path):
    with pytest.raises(CommandError, match="No project"):
        call_command("ingest", str(tmp_path), project="nope", stdout=io.StringIO())


def test_analysis_task_for_a_missing_job_does_nothing(db):
    assert analyse_documents_task(999_999, [1, 2]) == {"skipped": True}


def test_finished_job_is_not_run_again(project, analyst):
    """Idempotent without spaCy: a done job returns at once."""
    document = ingest_file(
        project=project,
        name="a.txt",
        data=ARTICLE.encode(),
        user=analyst,
        analyse=False,
    ).documents[0]
    job = Job.objects.create(
        project=project, kind="analyse", status=JobStatus.DONE, total=1, done=1
    )
    assert analyse_documents_task(job.pk, [document.pk]) == {"already_done": True}
    document.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.PENDING


def test_analysis_is_queued_on_commit(
    project, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = ingest_file(
            project=project, name="a.txt", data=ARTICLE.encode(), user=analyst
        )
    assert len(callbacks) == 1
    assert result.job is not None
    assert result.job.status == JobStatus.QUEUED
    assert result.job.total == 1
    assert result.job.report["document_ids"] == [result.documents[0].pk]


@pytest.mark.spacy
def test_ingestion_runs_analysis_task_and_is_idempotent(
    project, analyst, django_capture_on_commit_callbacks
):
    files = [("a.txt", ARTICLE.encode()), ("b.txt", OTHER_ARTICLE.encode())]
    from corpus.ingest import ingest_batch

    with django_capture_on_commit_callbacks(execute=True):
        result = ingest_batch(project=project, files=files, user=analyst)
    assert result.job is not None
    job = Job.objects.get(pk=result.job.pk)
    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (2, 2)
    assert job.report["analysed"] == 2
    assert job.finished_at is not None
    for document in result.documents:
        document.refresh_from_db()
        assert document.analysis_status == AnalysisStatus.DONE
        data = DocumentAnalysis.objects.get(document=document).data
        assert data["sentences"] and data["tokens"]
    # Redelivered: a second job over the same documents re-analyses nothing.
    again = Job.objects.create(project=project, kind="analyse", total=2)
    report = analyse_documents_task(again.pk, [d.pk for d in result.documents])
    assert report == {"analysed": 0}
    assert DocumentAnalysis.objects.count() == 2


@pytest.mark.spacy
def test_cli_with_analysis_in_process(
    project, tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "x.txt").write_text(ARTICLE)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(tmp_path), project=project.slug, stdout=out)
    assert "Stored 1 document(s)" in out.getvalue()
    document = Document.objects.get()
    assert document.analysis_status == AnalysisStatus.DONE
    job = Job.objects.get(kind="analyse")
    assert job.status == JobStatus.DONE and job.done == 1


@pytest.mark.spacy
def test_ingest_files_task_stores_and_analyses(
    project, owner, django_capture_on_commit_callbacks
):
    import base64

    from corpus.models import JobKind
    from corpus.tasks import ingest_files_task

    job = Job.objects.create(project=project, kind=JobKind.INGEST, created_by=owner)
    files = [
        {"name": "w.txt", "data_b64": base64.b64encode(ARTICLE.encode()).decode()},
        {"name": "bad.txt", "data_b64": ""},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        summary = ingest_files_task(job.pk, files, {"kind": "report"})
    analysis = Job.objects.get(pk=summary.pop("analysis_job"))
    assert summary == {"stored": 1, "duplicates": 0, "failed": 1}
    assert analysis.status == JobStatus.DONE and analysis.done == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.done == 2
    document = Document.objects.get()
    assert document.kind == "report" and document.captured_by == owner
    assert document.analysis_status == AnalysisStatus.DONE
    # Redelivery is harmless: the job is done.
    assert ingest_files_task(job.pk, files, {}) == {"already_done": True}
