"""Queueing the analysis of stored documents as a Celery job.

Imports go one way: ``corpus.tasks`` imports ``corpus.ingest`` (a worker
ingests files sent through the broker), and ingestion queues the analysis
of what it stored through this module, which names the task instead of
importing it. ``CorpusConfig.ready`` imports ``corpus.tasks``, so the task
is in Celery's registry in every process (web, command, worker) before any
ingestion runs; with no broker it then runs eagerly, as any other task.
"""

from __future__ import annotations

from celery import current_app
from django.db import transaction

from corpus.models import Document, Job, JobKind
from projects.models import Project

ANALYSE_TASK = "corpus.analyse_documents"


def queue_analysis(
    *, project: Project, documents: list[Document], user=None
) -> Job | None:
    """Create an analysis Job and start it once the documents are committed.

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
    )
    transaction.on_commit(lambda: current_app.tasks[ANALYSE_TASK].delay(job.pk, ids))
    return job
