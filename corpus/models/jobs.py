"""Background jobs (ingestion, analysis) and their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from projects.models import Project


class JobKind(models.TextChoices):
    INGEST = "ingest", "Ingestion"
    ANALYSE = "analyse", "Analysis"
    EXPORT = "export", "Export"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """A unit of background work whose progress users can watch.

    ``total`` and ``done`` drive progress bars; ``report`` keeps the summary
    (per-item results and errors with their reasons). A worker running the
    job refreshes ``heartbeat_at`` every few seconds from a thread of its
    own; a job whose heartbeat goes stale (its worker was killed, ran out of
    memory or lost the machine) is requeued by ``corpus.jobs.reap_stale_jobs``
    up to ``MAX_ATTEMPTS`` times, counted in ``attempts``, then failed with
    the reason.
    """

    MAX_ATTEMPTS = 3

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    status = models.CharField(
        max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last sign of life from the worker running the job.",
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Times the job was requeued after its worker was lost."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The reaper's scan: unfinished jobs by heartbeat.
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} job {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
