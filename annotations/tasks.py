"""Celery tasks of annotations: training a project's model.

A thin wrapper around ``annotations.learning.services.training_run``, which
keeps the ``LearnedModel`` row up to date (status, stage, progress) so the
model page can show it. With no broker it runs in process.
"""

from __future__ import annotations

from celery import shared_task

from annotations.learning.services import TRAIN_TASK, training_run


@shared_task(name=TRAIN_TASK)
def train_model_task(model_id: int) -> dict:
    """Train one queued model version (idempotent: a finished one is left)."""
    return training_run(model_id)
