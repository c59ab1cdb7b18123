"""Training after N new decisions: the project setting and the trigger.

An owner turns ``LearningSettings.auto_train`` on and sets ``train_after``.
Every decision (an annotation made by hand or by accepting a suggestion, a
rejected suggestion, a blind annotator's own decision) asks, once its
transaction commits, whether ``train_after`` decisions have accumulated
since the newest run started (``LearnedModel.decisions`` holds the count
then); if so a run is queued with trigger ``auto``, exactly as "train now"
does. A run already queued or running is left alone, and a failed run
counts as the last one, so a project short of data is not retried at every
decision but after the next ``train_after``.

The receivers are model signals (``post_save``), not calls in each service:
decisions are made in the annotator, the triage page, the API and the
imports, and a missed path would silently never train. Bulk updates send
no signal; the next decision counts them, as the count is read from the
tables, not added up from signals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models.signals import post_save

from annotations.learning.examples import decisions_count
from annotations.models import (
    Annotation,
    LearnedModel,
    LearningSettings,
    Suggestion,
    SuggestionStatus,
)
from audit.services import history_record, snapshot
from projects.errors import ApplicationError, ConflictError
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: Bounds of ``train_after``: a run per decision would queue runs back to
#: back; more than this is as good as off.
TRAIN_AFTER_MIN = 5
TRAIN_AFTER_MAX = 100_000


def learning_settings_of(project: Project) -> LearningSettings:
    """The project's settings (unsaved defaults, off, when never set)."""
    found = LearningSettings.objects.filter(project=project).first()
    return found or LearningSettings(project=project)


@transaction.atomic
def learning_settings_set(
    *, project: Project, user: User, auto_train: bool, train_after: int
) -> LearningSettings:
    """Turn training after ``train_after`` new decisions on or off
    (recorded in history)."""
    if not TRAIN_AFTER_MIN <= train_after <= TRAIN_AFTER_MAX:
        raise ApplicationError(
            f"Train after between {TRAIN_AFTER_MIN} and {TRAIN_AFTER_MAX} "
            f"new decisions, not {train_after}.",
            extra={"train_after": train_after},
        )
    current = (
        LearningSettings.objects.select_for_update().filter(project=project).first()
    )
    before = snapshot(current) if current is not None else None
    settings = current or LearningSettings(project=project)
    settings.auto_train = bool(auto_train)
    settings.train_after = train_after
    settings.updated_by = user
    settings.save()
    history_record(
        project=project,
        actor=user,
        obj=settings,
        action="update" if before is not None else "create",
        before=before,
        after=snapshot(settings),
    )
    if settings.auto_train:
        transaction.on_commit(lambda: training_auto_check(project.pk))
    return settings


def decisions_since_training(project: Project) -> int:
    """Decisions made since the newest run (of any outcome) started."""
    last = (
        LearnedModel.objects.filter(project=project)
        .order_by("-version")
        .values_list("decisions", flat=True)
        .first()
    )
    return max(0, decisions_count(project) - (last or 0))


def training_auto_check(project_id: int) -> LearnedModel | None:
    """Queue a run of the project if its setting asks for one now."""
    settings = (
        LearningSettings.objects.filter(project_id=project_id, auto_train=True)
        .select_related("project")
        .first()
    )
    if settings is None:
        return None
    project = settings.project
    if decisions_since_training(project) < settings.train_after:
        return None
    from annotations.learning.services import training_request

    try:
        return training_request(project=project, trigger="auto")
    except ConflictError:
        return None  # a run is queued or running: it will see these decisions


def _after_commit(project_id: int | None) -> None:
    if project_id is not None:
        transaction.on_commit(lambda: training_auto_check(project_id))


def on_annotation_saved(sender, instance: Annotation, created: bool, **kwargs: Any):
    if created:
        _after_commit(instance.project_id)


def on_suggestion_saved(sender, instance: Suggestion, created: bool, **kwargs: Any):
    if instance.status == SuggestionStatus.REJECTED:
        _after_commit(instance.project_id)


def on_decision_saved(sender, instance: Any, created: bool, **kwargs: Any):
    if created:
        suggestion_id = instance.suggestion_id

        def check() -> None:
            project_id = (
                Suggestion.objects.filter(pk=suggestion_id)
                .values_list("project_id", flat=True)
                .first()
            )
            if project_id is not None:
                training_auto_check(project_id)

        transaction.on_commit(check)


def connect() -> None:
    post_save.connect(
        on_annotation_saved, sender=Annotation, dispatch_uid="learning.auto.annotation"
    )
    post_save.connect(
        on_suggestion_saved, sender=Suggestion, dispatch_uid="learning.auto.suggestion"
    )
    from annotations.models import SuggestionDecision

    post_save.connect(
        on_decision_saved,
        sender=SuggestionDecision,
        dispatch_uid="learning.auto.decision",
    )
