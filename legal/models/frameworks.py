"""The legal framework: Framework > Criterion > Element (a yes/no question)."""

from __future__ import annotations

from django.db import models

from projects.models import Project, ProjectScopedQuerySet
from projects.validators import key_validator


class Framework(models.Model):
    """A legal framework: criteria and the elements analysts answer."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="frameworks"
    )
    key = models.CharField(max_length=64, validators=[key_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "key"], name="framework_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One legal rule, e.g. ICCPR art. 6 (arbitrary deprivation of life)."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.CharField(max_length=80, validators=[key_validator])
    code = models.CharField(max_length=16, help_text="Short code such as C5.")
    group = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    instrument = models.CharField(
        max_length=300, help_text="Treaty, instrument or body of law."
    )
    article = models.CharField(max_length=200, blank=True)
    paraphrase = models.TextField(
        help_text="What the rule requires, in plain words for analysts."
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "key"], name="criterion_unique_key"
            ),
            models.UniqueConstraint(
                fields=["framework", "code"], name="criterion_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Element(models.Model):
    """A yes/no question an analyst answers about a claim.

    E.g. "Did the people killed pose an imminent threat to life?"
    ``tags`` lists the tag keys whose annotations usually bear on it.
    """

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="elements"
    )
    key = models.CharField(max_length=16)
    question = models.TextField()
    tags = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["criterion", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "key"], name="element_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}-{self.key}"
