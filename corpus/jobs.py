"""Queueing analysis as chunked Celery jobs, and keeping jobs from getting stuck.

One ``Job`` row per ingestion (upload, API call, CLI run, import) tracks the
analysis of all its documents; the work itself is sent as one Celery task
per chunk of ``ANALYSIS_CHUNK`` documents, so every worker process shares
one large upload instead of one process doing it all.

Imports go one way: ``corpus.tasks`` imports ``corpus.ingest`` (a worker
ingests files sent through the broker), and ingestion queues the analysis
of what it stored through this module, which names the tasks instead of
importing them. ``CorpusConfig.ready`` imports ``corpus.tasks``, so the
tasks are in Celery's registry in every process (web, command, worker)
before any ingestion runs; with no broker they run eagerly.

A job whose heartbeat is older than ``GLOSSA_JOB_STALE_SECONDS`` is either
waiting behind other work or lost with its worker; ``reap_stale_jobs``
requeues the chunks of its unfinished documents (chunks are idempotent,
so a chunk that was only slow costs a skipped duplicate, never a duplicate
suggestion) and fails it with the reason after ``Job.MAX_ATTEMPTS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from corpus.models import AnalysisStatus, Document, Job, JobKind, JobStatus
from projects.models import Project

ANALYSE_TASK = "corpus.analyse_documents"
REAP_TASK = "corpus.reap_stale_jobs"

# Documents per Celery task: big enough for nlp.pipe batching, small enough
# that two or more workers share any upload.
ANALYSIS_CHUNK = 24
MAX_CHUNK = 32

SETTLED = (AnalysisStatus.DONE, AnalysisStatus.FAILED)
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


def chunks(ids: list[int], size: int = ANALYSIS_CHUNK) -> list[list[int]]:
    """``ids`` in chunks of about ``size``, equal and, past one, an even
    number of them (one fewer, up to ``MAX_CHUNK`` each, or one more): 64
    documents go as two chunks of 32, not 24 + 24 + 16, which kept one of two workers
    busy with 40 while the other had done its 24."""
    if len(ids) <= size:
        return [ids] if ids else []
    count = -(-len(ids) // size)
    if count % 2:
        count += -1 if -(-len(ids) // (count - 1)) <= MAX_CHUNK else 1
    step, extra = divmod(len(ids), count)
    parts, start = [], 0
    for index in range(count):
        end = start + step + (index < extra)
        parts.append(ids[start:end])
        start = end
    return parts


def send_chunks(job_id: int, ids: Iterable[int]) -> None:
    """Send one analysis task per chunk (after the current transaction commits)."""
    parts = chunks(list(ids))
    task = current_app.tasks[ANALYSE_TASK]

    def send() -> None:
        for part in parts:
            task.delay(job_id, part)

    transaction.on_commit(send)


def queue_analysis(
    *, project: Project, documents: list[Document], user=None
) -> Job | None:
    """Create an analysis Job and start its chunks once the documents are committed.

    Returns None (and queues nothing) when there is nothing to analyse.
    """
    if not documents:
        return None
    ids = [d.pk for d in documents]
    job = Job.objects.create(
        project=project,
        kind=JobKind.ANALYSE,
        total=len(ids),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        report={"document_ids": ids},
        heartbeat_at=timezone.now(),
    )
    send_chunks(job.pk, ids)
    return job


def job_document_ids(job: Job) -> list[int]:
    return [int(i) for i in (job.report or {}).get("document_ids", [])]


def unsettled_ids(job: Job) -> list[int]:
    """The job's documents whose analysis is neither done nor failed."""
    ids = job_document_ids(job)
    return list(
        Document.objects.filter(pk__in=ids)
        .exclude(analysis_status__in=SETTLED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class Reaped:
    job: Job
    action: str  # "requeued" or "failed"
    documents: int


def stale_jobs(stale_after: float | None = None):
    """Unfinished analysis jobs with no sign of life for ``stale_after`` seconds."""
    seconds = settings.GLOSSA_JOB_STALE_SECONDS if stale_after is None else stale_after
    cutoff = timezone.now() - timedelta(seconds=seconds)
    return Job.objects.filter(
        kind=JobKind.ANALYSE, status__in=UNFINISHED, heartbeat_at__lt=cutoff
    ).order_by("pk")


def reap_stale_jobs(stale_after: float | None = None) -> list[Reaped]:
    """Requeue (or, after too many attempts, fail) every stale analysis job."""
    out = []
    for job in stale_jobs(stale_after):
        reaped = _reap(job.pk, stale_after)
        if reaped is not None:
            out.append(reaped)
    return out


def _reap(job_id: int, stale_after: float | None) -> Reaped | None:
    with transaction.atomic():
        # Locked and re-checked, so two reapers never requeue one job twice.
        job = stale_jobs(stale_after).select_for_update(skip_locked=True)
        job = job.filter(pk=job_id).first()
        if job is None:
            return None
        todo = unsettled_ids(job)
        now = timezone.now()
        if not todo:
            job.status, job.done, job.finished_at = JobStatus.DONE, job.total, now
            job.save(update_fields=["status", "done", "finished_at", "updated_at"])
            return Reaped(job, "finished", 0)
        if job.attempts >= Job.MAX_ATTEMPTS:
            reason = (
                f"The job was interrupted {job.attempts + 1} times: its worker "
                "stopped responding (killed, out of memory, or cut off from the "
                f"database). {len(todo)} document(s) were not analysed; retry "
                f"with `manage.py jobs --retry {job.pk}`."
            )
            Document.objects.filter(pk__in=todo).update(
                analysis_status=AnalysisStatus.FAILED, analysis_error=reason
            )
            job.status, job.error, job.finished_at = JobStatus.FAILED, reason, now
            job.save(update_fields=["status", "error", "finished_at", "updated_at"])
            return Reaped(job, "failed", len(todo))
        job.attempts += 1
        job.heartbeat_at = now
        job.report = {
            **(job.report or {}),
            "requeued": [
                *(job.report or {}).get("requeued", []),
                {"at": now.isoformat(), "documents": len(todo)},
            ],
        }
        job.save(update_fields=["attempts", "heartbeat_at", "report", "updated_at"])
        send_chunks(job.pk, todo)
        return Reaped(job, "requeued", len(todo))


def retry_job(job: Job) -> int:
    """Queue again every document of ``job`` that is not analysed; return how many."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        ids = job_document_ids(job)
        todo = list(
            Document.objects.filter(pk__in=ids)
            .exclude(analysis_status=AnalysisStatus.DONE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Document.objects.filter(pk__in=todo).update(
            analysis_status=AnalysisStatus.PENDING, analysis_error=""
        )
        job.status = JobStatus.QUEUED if todo else JobStatus.DONE
        job.error = ""
        job.attempts = 0
        job.heartbeat_at = timezone.now()
        job.finished_at = None if todo else timezone.now()
        job.done = len(ids) - len(todo)
        job.save()
        if todo:
            send_chunks(job.pk, todo)
    return len(todo)
