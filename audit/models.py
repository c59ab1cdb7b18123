"""The change history: who changed what, when, and what it was before."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models

from projects.models import Membership, Project, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class HistoryAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"


class HistoryEntryQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> Self:
        """Entries of the projects whose history the user may read.

        The rule of ``audit.selectors.history_allowed``: snapshots hold
        quotes and notes, so in blind-mode projects only reviewers and owners
        read them; elsewhere every member does.
        """
        if not user.is_authenticated:
            return self.none()
        readable = Membership.objects.filter(user=user).filter(
            models.Q(role__in=[Role.REVIEWER, Role.OWNER])
            | models.Q(project__blind_mode=False)
        )
        return self.filter(project_id__in=readable.values("project_id"))


class HistoryEntry(models.Model):
    """One recorded change of an annotation, claim, assessment, tag or framework.

    ``before`` and ``after`` are the JSON snapshots written by
    ``audit.services``; replaying the ``after`` states in order
    reproduces every state an object went through. Entries are append-only.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="history"
    )
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=8, choices=HistoryAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = HistoryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "history entries"
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.object_type} {self.object_id}"
