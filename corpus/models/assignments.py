"""Assignments of documents to analysts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models

from corpus.models.documents import Document
from projects.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    ADJUDICATED = "adjudicated", "Adjudicated"


class AssignmentQuerySet(models.QuerySet):
    def for_user(self, user: User | AnonymousUser) -> Self:
        """Assignments the user may see: all of those in projects where they
        review or own, and their own in the other projects they belong to
        (analysts do not learn who else works on what)."""
        if not user.is_authenticated:
            return self.none()
        memberships = Membership.objects.filter(user=user)
        reviewed = memberships.filter(role__in=[Role.REVIEWER, Role.OWNER])
        return self.filter(
            document__project__in=memberships.values("project_id")
        ).filter(
            models.Q(document__project__in=reviewed.values("project_id"))
            | models.Q(annotator=user)
        )


class Assignment(models.Model):
    """An owner asks an analyst to annotate a document.

    In blind mode the analyst sees only their own annotations on the
    document until the assignment is submitted.
    """

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="assignments"
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "annotator"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} assigned to {self.annotator}"
