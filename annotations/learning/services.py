"""Training a project's model: queue a run, run it (writes only).

``training_request`` makes the next version (queued) and starts the Celery
task once the transaction commits; with no broker it runs in process, as
every Glossa task does. ``training_run`` is the task's body: the training
snapshot, 3-fold cross-validation by document (out-of-fold probabilities
give the per-tag thresholds and the figures against the rules alone), then
the final model on all the data, saved with its hashes. One run at a time
per project: a second request while one is queued or running is refused.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from annotations.learning.examples import decisions_count, training_snapshot
from annotations.learning.storage import model_dir, version_dir
from annotations.models import LearnedModel, TrainingStatus
from projects.errors import ApplicationError, ConflictError
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

TRAIN_TASK = "annotations.train_model"
FOLDS = 3
TRIGGERS = ("manual", "command", "api", "auto")


def _update(model_id: int, **fields: Any) -> None:
    """Record progress; every step is also the run's sign of life."""
    LearnedModel.objects.filter(pk=model_id).update(
        heartbeat_at=timezone.now(), **fields
    )


def stale_after() -> timedelta:
    """How long a queued or running version may go without a sign of life
    before it counts as interrupted (its worker killed, out of memory, or
    no worker at all): steps (a fold, an epoch) take minutes at most."""
    return timedelta(seconds=getattr(settings, "GLOSSA_TRAINING_STALE_SECONDS", 1800))


@transaction.atomic
def training_request(
    *, project: Project, user: User | None = None, trigger: str = "manual"
) -> LearnedModel:
    """Queue a training run of ``project``'s next model version."""
    if trigger not in TRIGGERS:
        raise ApplicationError(f"Unknown trigger {trigger!r}.")
    Project.objects.select_for_update().filter(pk=project.pk).first()
    running = LearnedModel.objects.filter(
        project=project, status__in=[TrainingStatus.QUEUED, TrainingStatus.RUNNING]
    ).first()
    if running is not None and _interrupted(running):
        running = None
    if running is not None:
        state = running.get_status_display().lower()
        raise ConflictError(f"Model v{running.version} is already {state}.")
    last = LearnedModel.objects.filter(project=project).aggregate(v=Max("version"))
    model = LearnedModel.objects.create(
        project=project,
        version=(last["v"] or 0) + 1,
        trigger=trigger,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        decisions=decisions_count(project),
        stage="queued",
        heartbeat_at=timezone.now(),
    )
    transaction.on_commit(lambda: _queue(model.pk))
    return model


def _interrupted(model: LearnedModel) -> bool:
    """Fail ``model`` if it has been silent too long (then a new run may
    start; its task, if it ever runs, finds it failed and stops)."""
    last = model.heartbeat_at or model.created_at
    if last >= timezone.now() - stale_after():
        return False
    _fail(
        model.pk,
        f"Interrupted: no sign of life since {last:%Y-%m-%d %H:%M} UTC (its "
        "worker stopped, ran out of memory, or none was running).",
    )
    return True


def _queue(model_id: int) -> None:
    # Importing the task module registers the task in this process too (the
    # worker finds it by Celery's autodiscovery of ``annotations.tasks``).
    from annotations import tasks  # noqa: F401

    current_app.tasks[TRAIN_TASK].delay(model_id)


def _fail(model_id: int, message: str) -> None:
    _update(
        model_id,
        status=TrainingStatus.FAILED,
        error=message,
        stage="failed",
        finished_at=timezone.now(),
    )


def training_run(model_id: int) -> dict[str, Any]:
    """Train model ``model_id`` (the Celery task's body); idempotent."""
    model = LearnedModel.objects.select_related("project").filter(pk=model_id).first()
    if model is None:
        logger.warning("Training run %s no longer exists; skipped.", model_id)
        return {"skipped": True}
    if model.status in (TrainingStatus.DONE, TrainingStatus.FAILED):
        return {"already": model.status}
    _update(model_id, status=TrainingStatus.RUNNING, stage="collecting decisions")
    try:
        return _train(model)
    except ApplicationError as exc:
        _fail(model_id, str(exc))
        return {"failed": str(exc)}
    except Exception as exc:  # a failed run must say why, never stay "running"
        logger.exception("Training run %s failed", model_id)
        _fail(model_id, f"Training failed: {exc}")
        return {"failed": str(exc)}


def _train(model: LearnedModel) -> dict[str, Any]:
    # Imported here: spaCy is loaded by the worker that trains, not by every
    # process that imports the services.
    from corpus.nlp.learning import (
        TextExample,
        calibrate_tags,
        textcat_save,
        textcat_train,
    )
    from corpus.nlp.learning.textcat import (
        TrainSettings,
        oof_folds,
        textcat_out_of_fold,
    )

    started = time.perf_counter()
    snapshot = training_snapshot(model.project)
    labels = snapshot.labels()
    if not labels:
        positives = snapshot.positives()
        raise ApplicationError(
            "Not enough decisions to learn from: a tag needs at least 5 judged "
            "sentences tagged with it and one judged without it. Positives so "
            f"far: {json.dumps(positives) if positives else 'none'}."
        )
    examples = [
        TextExample(
            row["text"],
            {k: v for k, v in row["cats"].items() if k in labels},
            tuple(row["features"]),
        )
        for row in snapshot.sentences
    ]
    keep = [i for i, e in enumerate(examples) if e.cats]
    examples = [examples[i] for i in keep]
    rows = [snapshot.sentences[i] for i in keep]
    settings = TrainSettings()
    steps = FOLDS + settings.epochs
    _update(model.pk, total=steps, done=0, stage="cross-validation", labels=labels)

    def fold_done(done: int, total: int) -> None:
        _update(model.pk, done=done, stage=f"cross-validation {done}/{total}")

    groups = [str(r["document"]) for r in rows]
    oof = textcat_out_of_fold(
        examples,
        groups,
        labels,
        settings,
        folds=FOLDS,
        progress=fold_done,
    )
    calibration = calibrate_tags(
        labels,
        [e.cats for e in examples],
        [set(r["rules"]) for r in rows],
        oof,
        oof_folds(groups, FOLDS, settings.seed),
    )

    def epoch_done(done: int, total: int) -> None:
        _update(model.pk, done=FOLDS + done, stage=f"training, epoch {done}/{total}")

    nlp = textcat_train(examples, labels, settings, progress=epoch_done)
    target = model_dir(model)
    if target.exists():
        raise ApplicationError(f"The files of v{model.version} already exist.")
    artefact_sha256 = textcat_save(nlp, target)
    data = snapshot.jsonl()
    snapshot_sha256 = snapshot.sha256()
    (version_dir(model) / "snapshot.jsonl").write_bytes(data)
    metrics = {tag: c.as_dict() for tag, c in calibration.items()}
    size = snapshot.size()
    seconds = round(time.perf_counter() - started, 2)
    meta = {
        "project": model.project.slug,
        "version": model.version,
        "kind": model.kind,
        "labels": labels,
        "metrics": metrics,
        "data_size": size,
        "settings": settings.__dict__,
        "folds": FOLDS,
        "artefact_sha256": artefact_sha256,
        "snapshot_sha256": snapshot_sha256,
        "seconds": seconds,
    }
    (version_dir(model) / "meta.json").write_text(json.dumps(meta, indent=2))
    _update(
        model.pk,
        status=TrainingStatus.DONE,
        stage="done",
        done=steps,
        metrics=metrics,
        data_size=size,
        artefact_sha256=artefact_sha256,
        snapshot_sha256=snapshot_sha256,
        path=str(version_dir(model).relative_to(version_dir(model).parents[2])),
        seconds=seconds,
        finished_at=timezone.now(),
    )
    return {"version": model.version, "labels": labels, "seconds": seconds}
