"""Celery tasks of annotations, found by ``app.autodiscover_tasks()``."""

from exchange.exports.jobs import export_job_task

__all__ = ["export_job_task"]
