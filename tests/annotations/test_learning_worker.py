"""The training job through a real Celery worker (not eager).

A worker thread (solo pool) consumes the in-memory broker; the test commits
for real (``transaction=True``) so the worker's own database connection sees
the queued version, and waits on Celery's ``task_postrun`` signal, not on a
timer.
"""

from __future__ import annotations

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from annotations.learning.services import TRAIN_TASK, training_request
from annotations.learning.storage import model_dir
from annotations.models import LearnedModel, TrainingStatus
from corpus.nlp.learning import directory_sha256
from glossa.celery import app
from tests.annotations.test_learning import CLAIMS, FIGURES, analysed, texts
from tests.factories import AssignmentFactory, make_annotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_app():
    saved = {k: app.conf[k] for k in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url="memory://")
    _forget_connections()
    from annotations import tasks  # noqa: F401  (registers the task)

    try:
        yield app
    finally:
        app.conf.update(saved)
        _forget_connections()


def _forget_connections() -> None:
    """An earlier test in this process may have opened the producer pool on
    the configured broker; tasks sent through it would never reach the
    in-memory worker. Drop the app's references so they are looked up again
    for broker_url (kombu keeps one pool per broker URL: never close them,
    later tests in this process still use them)."""
    app._pool = None
    app.amqp._producer_pool = None


def test_a_worker_trains_the_queued_version(
    project, analyst, reviewer, media_root, worker_app
):
    from corpus.models import AssignmentStatus

    for text in texts():
        document = analysed(project, text)
        for sentence in CLAIMS + FIGURES:
            if sentence in text:
                key = "official_claim" if sentence in CLAIMS else "casualty_figure"
                make_annotation(document, analyst, sentence, tags=[key])
        AssignmentFactory(
            document=document, annotator=analyst, status=AssignmentStatus.SUBMITTED
        )
    finished = threading.Event()
    results: list[object] = []

    def done(sender=None, retval=None, **kwargs):
        if sender is not None and sender.name == TRAIN_TASK:
            results.append(retval)
            finished.set()

    task_postrun.connect(done, weak=False)
    try:
        with start_worker(worker_app, pool="solo", perform_ping_check=False):
            model = training_request(project=project, user=reviewer, trigger="api")
            assert finished.wait(timeout=300), "the worker never finished the task"
    finally:
        task_postrun.disconnect(done)
    model = LearnedModel.objects.get(pk=model.pk)
    assert model.status == TrainingStatus.DONE, model.error
    assert results == [{"version": 1, "labels": model.labels, "seconds": model.seconds}]
    assert directory_sha256(model_dir(model)) == model.artefact_sha256
    assert model.trigger == "api" and model.created_by == reviewer
