"""Models a project learns from its analysts' decisions (``annotations.learning``).

A ``LearnedModel`` is one training run and, once done, one version of the
project's model: its artefacts live under ``MEDIA_ROOT/learning/`` (see
``annotations.learning.storage``), hashed, with the hash of the training
snapshot they were made from. The newest finished version is the one that
suggests.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projects.models import Project, ProjectScopedQuerySet


class TrainingStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class LearnedModel(models.Model):
    """One training run of a project's model, and its result."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="learned_models"
    )
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=40, default="textcat_multilabel")
    status = models.CharField(
        max_length=16, choices=TrainingStatus.choices, default=TrainingStatus.QUEUED
    )
    trigger = models.CharField(
        max_length=16, default="manual", help_text="manual, command, api or auto"
    )
    stage = models.CharField(max_length=120, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    labels = models.JSONField(default=list, blank=True)
    data_size = models.JSONField(
        default=dict, blank=True, help_text="Documents, sentences, positives per tag."
    )
    metrics = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per tag: cross-validated F1 of rules, model and both, thresholds.",
    )
    decisions = models.PositiveIntegerField(
        default=0, help_text="Decisions in the project when the run started."
    )
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    artefact_sha256 = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=300, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last sign of life of the run (queued, then each step).",
    )

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"], name="learned_model_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} model v{self.version} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_active(self) -> bool:
        return self.status in (TrainingStatus.QUEUED, TrainingStatus.RUNNING)


class LearningSettings(models.Model):
    """A project's training options, set by an owner: off until turned on.

    With ``auto_train`` on, a training run is queued as soon as
    ``train_after`` decisions (accepted or manual annotations, rejected
    suggestions) have accumulated since the newest run started
    (``annotations.learning.auto``)."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="learning_settings"
    )
    auto_train = models.BooleanField(default=False)
    train_after = models.PositiveIntegerField(
        default=50, help_text="New decisions that start a training run."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(train_after__gte=1),
                name="learning_settings_train_after_positive",
            )
        ]

    def __str__(self) -> str:
        state = f"after {self.train_after}" if self.auto_train else "off"
        return f"{self.project} training {state}"
