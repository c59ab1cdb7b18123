"""A project's taxonomy (tags) and its legal framework."""

from __future__ import annotations

from django.db import models

from projects.models import Project, ProjectScopedQuerySet
from projects.validators import colour_validator, key_validator


class Tag(models.Model):
    """A claim tag such as ``no_evidence_provided``.

    ``patterns`` are data an owner can edit: rules for suggestions, in the
    format documented in ``annotations/rules.py``.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tags")
    key = models.CharField(max_length=64, validators=[key_validator])
    name = models.CharField(max_length=120)
    description = models.TextField(
        blank=True, help_text="When the tag applies and when it does not."
    )
    colour = models.CharField(
        max_length=7, default="#888888", validators=[colour_validator]
    )
    hotkey = models.CharField(
        max_length=1,
        blank=True,
        help_text="One key that applies the tag to the selection in the annotator.",
    )
    patterns = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="tag_unique_key"),
            models.UniqueConstraint(
                fields=["project", "hotkey"],
                condition=~models.Q(hotkey=""),
                name="tag_unique_hotkey",
            ),
        ]

    def __str__(self) -> str:
        return self.name
