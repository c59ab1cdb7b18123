"""Celery tasks: thin wrappers that keep a ``Job`` up to date.

With no broker configured they run in process (``task_always_eager``).

Surviving failures (see docs/jobs.md):

- ``acks_late`` with ``reject_on_worker_lost`` (settings): a pool process
  killed mid-task puts its message back on the queue instead of losing it;
- a heartbeat thread refreshes ``Job.heartbeat_at`` while a task runs; when
  the whole worker dies, ``corpus.jobs.reap_stale_jobs`` (the periodic
  ``corpus.reap_stale_jobs`` task, or ``manage.py jobs --stale``) requeues
  the job long before the broker's visibility timeout would;
- a lost database connection is retried with exponential backoff;
- every chunk is idempotent: it locks its documents (``SKIP LOCKED``) and
  skips those already analysed, and each chunk commits as one transaction,
  so a retried or duplicated chunk never writes a second analysis or a
  second suggestion, and a killed one leaves nothing half-written.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from corpus.ingest import ingest_batch
from corpus.jobs import (
    ANALYSE_TASK,
    ANALYSIS_CHUNK,
    REAP_TASK,
    SETTLED,
    job_document_ids,
)
from corpus.models import AnalysisStatus, Document, Job, JobStatus

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _job_update(job_id: int, **fields) -> None:
    Job.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


class Heartbeat:
    """Refresh a job's ``heartbeat_at`` from a thread while a task runs.

    The thread has its own database connection (autocommit), so the beat is
    visible while the task's own transaction is still open; it stops with
    the task, and dies with the process, which is the point.
    """

    def __init__(self, job_id: int, every: float | None = None) -> None:
        self.job_id = job_id
        self.every = every or settings.GLOSSA_JOB_HEARTBEAT_SECONDS
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from django.db import connection as thread_connection

        try:
            while not self.stopped.wait(self.every):
                try:
                    Job.objects.filter(pk=self.job_id).update(
                        heartbeat_at=timezone.now()
                    )
                except DATABASE_ERRORS:
                    thread_connection.close()
        finally:
            thread_connection.close()

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def _analyse_chunk(ids: list[int]) -> int:
    """Analyse one chunk in one transaction; a failing document fails alone."""
    from corpus.analysis import analyse_documents

    with transaction.atomic():
        # SKIP LOCKED: a duplicate of this chunk running at the same time
        # (a redelivered message) leaves these documents to this one.
        locked = list(
            Document.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        try:
            with transaction.atomic():
                return analyse_documents(locked)
        except DATABASE_ERRORS:
            raise
        except Exception:
            if len(locked) == 1:
                raise
            logger.warning("Chunk failed; analysing its documents one by one")
    analysed = 0
    for pk in locked:
        analysed += _analyse_one(pk)
    return analysed


def _analyse_one(pk: int) -> int:
    from corpus.analysis import analyse_documents

    try:
        with transaction.atomic():
            return analyse_documents([pk])
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        logger.warning("Analysis of document %s failed", pk, exc_info=True)
        Document.objects.filter(pk=pk).update(
            analysis_status=AnalysisStatus.FAILED,
            analysis_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return 0


def analyse_in_chunks(ids: list[int], on_chunk: Callable | None = None) -> int:
    """Analyse ``ids`` chunk by chunk; return how many were (re)analysed."""
    analysed = 0
    for start in range(0, len(ids), ANALYSIS_CHUNK):
        chunk = ids[start : start + ANALYSIS_CHUNK]
        analysed += _analyse_chunk(chunk)
        if on_chunk is not None:
            on_chunk(start + len(chunk))
    return analysed


def _settle(job_id: int) -> None:
    """Write the job's progress, and finish it once all its documents settled."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return
    ids = job_document_ids(job)
    rows = list(
        Document.objects.filter(pk__in=ids).values_list(
            "analysis_status", "analysis_error"
        )
    )
    missing = len(ids) - len(rows)
    settled = [error for status, error in rows if status in SETTLED]
    failed = [error for status, error in rows if status == AnalysisStatus.FAILED]
    done = missing + len(settled)
    if done < len(ids):
        _job_update(job_id, done=done, heartbeat_at=timezone.now())
        return
    summary = {"analysed": len(settled) - len(failed), "failed": len(failed)}
    summary["missing"] = missing
    fields: dict[str, object] = {
        "status": JobStatus.FAILED if failed else JobStatus.DONE,
        "done": len(ids),
        "report": {**(job.report or {}), **summary},
        "finished_at": timezone.now(),
    }
    if failed:
        fields["error"] = (
            f"{len(failed)} of {len(ids)} document(s) could not be analysed; "
            f"first reason: {failed[0]}"
        )
    Job.objects.filter(
        pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
    ).update(updated_at=timezone.now(), **fields)


@shared_task(
    name=ANALYSE_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=False,
    max_retries=8,
)
def analyse_documents_task(self, job_id: int, document_ids: list[int]) -> dict:
    """Analyse one chunk of a job's documents and record progress on the job."""
    try:
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            logger.warning("Analysis job %s no longer exists; skipped.", job_id)
            return {"skipped": True}
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return {"already_done": True}
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, heartbeat_at=timezone.now()
        )
        if self.request.is_eager:
            analysed = analyse_in_chunks(
                list(document_ids), on_chunk=lambda n: _settle(job_id)
            )
        else:
            with Heartbeat(job_id):
                analysed = analyse_in_chunks(list(document_ids))
        _settle(job_id)
        return {"analysed": analysed}
    except DATABASE_ERRORS:
        # The connection is gone; a fresh one is opened for the retry.
        logger.warning("Database lost in analysis job %s; retrying", job_id)
        connection.close()
        raise


@shared_task(name=REAP_TASK)
def reap_stale_jobs_task() -> list[dict]:
    """Periodic: requeue or fail jobs whose worker stopped beating (beat schedule)."""
    from corpus.jobs import reap_stale_jobs

    return [
        {"job": r.job.pk, "action": r.action, "documents": r.documents}
        for r in reap_stale_jobs()
    ]


@shared_task(
    name="corpus.ingest_files",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=1,
    retry_backoff_max=60,
    max_retries=8,
)
def ingest_files_task(
    job_id: int, files: list[dict], options: dict | None = None
) -> dict:
    """Ingest files sent through the broker (``{"name", "data_b64"}``).

    The worker extracts and stores the batch, then queues its analysis in
    chunks (``corpus.jobs.queue_analysis``) so that every worker shares it.
    Idempotent: a redelivered message finds its documents stored (reported
    as duplicates) and a finished job is not run again.
    """
    from corpus.jobs import queue_analysis

    job = Job.objects.select_related("project", "created_by").filter(pk=job_id).first()
    if job is None:
        return {"skipped": True}
    if job.status == JobStatus.DONE:
        return {"already_done": True}
    options = dict(options or {})
    user = job.created_by  # who queued the files is who captured them
    _job_update(
        job_id, status=JobStatus.RUNNING, total=len(files), heartbeat_at=timezone.now()
    )
    decoded = [(f["name"], base64.b64decode(f["data_b64"])) for f in files]
    result = ingest_batch(
        project=job.project, files=decoded, user=user, analyse=False, **options
    )
    # Duplicates count too: a redelivered message finds its documents already
    # stored, and they still need analysing if the first run died.
    documents = result.documents + [
        d for _, d in result.duplicates if d.analysis_status != AnalysisStatus.DONE
    ]
    analysis = queue_analysis(project=job.project, documents=documents, user=user)
    report = {**result.as_report(), "analysis_job": analysis.pk if analysis else None}
    _job_update(
        job_id,
        status=JobStatus.DONE,
        done=len(files),
        report=report,
        finished_at=timezone.now(),
    )
    return {
        **{k: report[k] for k in ("stored", "duplicates", "failed")},
        "analysis_job": report["analysis_job"],
    }
