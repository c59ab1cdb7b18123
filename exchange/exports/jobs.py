"""Exports prepared in the background, with progress users can watch.

The web page starts a ``Job`` (kind ``export``); a Celery task (in process
when there is no broker) writes the export to storage under ``exports/``
while updating ``Job.done``/``Job.total``; the page polls the job with htmx
and offers the file when it is done. Direct streaming downloads remain for
small projects and scripts.
"""

from __future__ import annotations

import logging
import tempfile
import time

from celery import shared_task
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from corpus.models import Job, JobKind, JobStatus
from corpus.nlp.docbin import DocBinReport
from exchange.exports import FORMATS
from exchange.exports.docbin import widened_report
from projects.models import Project

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes


def export_job_create(*, project: Project, user, key: str, base_url: str) -> Job:
    """Queue an export of ``project`` in format ``key``; returns the job."""
    if key not in FORMATS:
        raise ValueError(f"Unknown export format {key!r}.")
    job = Job.objects.create(
        project=project,
        kind=JobKind.EXPORT,
        created_by=user,
        report={"format": key, "base_url": base_url},
    )
    transaction.on_commit(lambda: export_job_task.delay(job.pk))
    return job


def export_job_run(job_id: int) -> Job:
    """Write the export of one job to storage, recording progress."""
    job = Job.objects.select_related("project").get(pk=job_id)
    export = FORMATS[job.report["format"]]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done == total:
            last = now
            Job.objects.filter(pk=job.pk).update(done=done, total=total)

    docbin = DocBinReport()
    try:
        with tempfile.TemporaryFile() as handle:
            size = 0
            for chunk in export.stream(
                job.project,
                progress=progress,
                base_url=job.report.get("base_url"),
                report=docbin,
            ):
                handle.write(chunk)
                size += len(chunk)
            handle.seek(0)
            name = default_storage.save(
                f"exports/{job.project.slug}/{job.pk}-{export.filename(job.project)}",
                File(handle),
            )
    except Exception as exc:  # recorded on the job for the user, and logged
        logger.exception("Export job %s failed", job.pk)
        job.refresh_from_db()
        job.status = JobStatus.FAILED
        job.error = f"The export failed ({type(exc).__name__}: {exc})."
        job.finished_at = timezone.now()
        job.save()
        return job
    job.refresh_from_db()
    job.status = JobStatus.DONE
    job.done = job.total = max(job.total, job.done, 1)
    job.report = {**job.report, "file": name, "size": size}
    if docbin.documents:  # a DocBin export: which spans had to be widened
        job.report["docbin"] = widened_report(docbin)
    job.finished_at = timezone.now()
    job.save()
    return job


@shared_task(name="annotations.export_job")
def export_job_task(job_id: int) -> None:
    export_job_run(job_id)
