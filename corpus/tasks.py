"""Celery tasks: thin wrappers that keep a ``Job`` up to date.

With no broker configured they run in process (``task_always_eager``).
Both tasks are idempotent: a finished job is not run again, and
``analyse_documents`` skips documents the current pipeline already analysed,
so a redelivered message (``acks_late``) does no harm.
"""

from __future__ import annotations

import base64
import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from corpus.ingest import ingest_batch
from corpus.jobs import ANALYSE_TASK
from corpus.models import AnalysisStatus, Document, Job, JobStatus

logger = logging.getLogger(__name__)

# Documents analysed (and committed) together; progress is written after each.
ANALYSIS_CHUNK = 32


def _job_update(job_id: int, **fields) -> None:
    Job.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


def analyse_in_chunks(ids: list[int], on_chunk=None) -> int:
    """Analyse ``ids`` chunk by chunk; return how many were (re)analysed."""
    # Imported here: corpus.analysis loads spaCy, which the web process
    # (where this module is imported at start-up) must not pay for.
    from corpus.analysis import analyse_documents

    analysed = 0
    for start in range(0, len(ids), ANALYSIS_CHUNK):
        chunk = ids[start : start + ANALYSIS_CHUNK]
        with transaction.atomic():
            analysed += analyse_documents(chunk)
        if on_chunk is not None:
            on_chunk(start + len(chunk))
    return analysed


@shared_task(name=ANALYSE_TASK)
def analyse_documents_task(job_id: int, document_ids: list[int]) -> dict:
    """Analyse documents with spaCy and record progress on the job."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Analysis job %s no longer exists; skipped.", job_id)
        return {"skipped": True}
    if job.status == JobStatus.DONE:
        return {"already_done": True}
    ids = list(document_ids)
    existing = set(Document.objects.filter(pk__in=ids).values_list("pk", flat=True))
    _job_update(
        job_id,
        status=JobStatus.RUNNING,
        total=len(ids),
        done=len(ids) - len(existing),
        error="",
    )
    # Documents are analysed in chunks, each in one transaction: nlp.pipe
    # still sees many documents at once, the database commits once per chunk
    # instead of once per document, and progress is visible after each chunk.
    todo = sorted(existing)
    try:
        analysed = analyse_in_chunks(
            todo, on_chunk=lambda n: _job_update(job_id, done=len(ids) - len(todo) + n)
        )
    except Exception as exc:
        logger.exception("Analysis job %s failed", job_id)
        with transaction.atomic():
            Document.objects.filter(pk__in=existing).exclude(
                analysis_status=AnalysisStatus.DONE
            ).update(analysis_status=AnalysisStatus.FAILED, analysis_error=str(exc))
            _job_update(
                job_id,
                status=JobStatus.FAILED,
                error=f"Analysis failed: {exc}",
                finished_at=timezone.now(),
            )
        return {"failed": str(exc)}
    summary = {
        "analysed": analysed,
        "skipped": len(existing) - analysed,
        "missing": len(ids) - len(existing),
    }
    _job_update(
        job_id,
        status=JobStatus.DONE,
        done=len(ids),
        report={**(job.report or {}), **summary},
        finished_at=timezone.now(),
    )
    return summary


@shared_task(name="corpus.ingest_files")
def ingest_files_task(
    job_id: int, files: list[dict], options: dict | None = None
) -> dict:
    """Ingest files sent through the broker (``{"name", "data_b64"}``).

    Used to spread bulk ingestion over workers on several machines: the
    worker extracts, stores and then analyses the batch itself, so ``nlp.pipe``
    runs where the documents were made.
    """
    job = Job.objects.select_related("project", "created_by").filter(pk=job_id).first()
    if job is None:
        return {"skipped": True}
    if job.status == JobStatus.DONE:
        return {"already_done": True}
    options = dict(options or {})
    user = job.created_by  # who queued the files is who captured them
    _job_update(job_id, status=JobStatus.RUNNING, total=len(files))
    decoded = [(f["name"], base64.b64decode(f["data_b64"])) for f in files]
    result = ingest_batch(
        project=job.project, files=decoded, user=user, analyse=False, **options
    )
    analysed = 0
    # Duplicates count too: a redelivered message finds its documents
    # already stored, and they still need analysing if the first run died.
    ids = [d.pk for d in result.documents] + [d.pk for _, d in result.duplicates]
    if ids:
        analysed = analyse_in_chunks(ids)
    report = {**result.as_report(), "analysed": analysed}
    _job_update(
        job_id,
        status=JobStatus.DONE,
        done=len(files),
        report=report,
        finished_at=timezone.now(),
    )
    return {k: report[k] for k in ("stored", "duplicates", "failed", "analysed")}
