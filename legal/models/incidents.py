"""Incidents (one strike, a moment in time and space) and source grades.

An incident gathers the claims about one event; the figures of those claims
give its casualty ranges (``legal.ranges``). Grades follow the Admiralty
scale: a source's reliability (A-F) and a claim's or figure's credibility
(1-6), set by analysts with a rationale.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from corpus.models import Source
from projects.models import Project, ProjectScopedQuerySet

#: Prefix of incident codes (``STR-0007``): strikes are what campaigns count.
CODE_PREFIX = "STR"


class IncidentStatus(models.TextChoices):
    ALLEGED = "alleged", "Alleged"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by the acting state"
    DISPUTED = "disputed", "Disputed"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    APPROXIMATE = "approximate", "Approximate"


class Reliability(models.TextChoices):
    """Admiralty scale: how reliable a source has proven."""

    A = "A", "A · Completely reliable"
    B = "B", "B · Usually reliable"
    C = "C", "C · Fairly reliable"
    D = "D", "D · Not usually reliable"
    E = "E", "E · Unreliable"
    F = "F", "F · Reliability cannot be judged"


class Credibility(models.TextChoices):
    """Admiralty scale: how credible one piece of information is."""

    CONFIRMED = "1", "1 · Confirmed by other sources"
    PROBABLE = "2", "2 · Probably true"
    POSSIBLE = "3", "3 · Possibly true"
    DOUBTFUL = "4", "4 · Doubtful"
    IMPROBABLE = "5", "5 · Improbable"
    UNJUDGED = "6", "6 · Truth cannot be judged"


#: What an incident says about the event (the fields analysts set), in the
#: order the register, its exports and the edit form list them.
INCIDENT_FIELDS = (
    "date",
    "date_precision",
    "date_end",
    "time_start",
    "time_end",
    "place",
    "latitude",
    "longitude",
    "area",
    "description",
    "acting_forces",
    "targets",
    "target_count",
    "status",
)


class IncidentQuerySet(ProjectScopedQuerySet["Incident"]):
    """Incidents a user may see: while a project is blind, an analyst's or
    viewer's own only, as with claims (the register is their own)."""

    blind_field = "created_by"


class Incident(models.Model):
    """One strike or event: when, where, who acted against what.

    ``number`` gives the readable code (``STR-0007``), unique in the project
    and never reused while the incident exists.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="incidents"
    )
    number = models.PositiveIntegerField()
    date = models.DateField(help_text="Day of the incident (first day if a window).")
    date_precision = models.CharField(
        max_length=16, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_end = models.DateField(
        null=True, blank=True, help_text="Last day, when the date is a window."
    )
    time_start = models.TimeField(null=True, blank=True)
    time_end = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(-180)),
            MaxValueValidator(Decimal(180)),
        ],
    )
    area = models.CharField(max_length=200, blank=True)
    description = models.CharField(
        max_length=500, help_text="What happened, in one sentence."
    )
    acting_forces = models.CharField(max_length=300, blank=True)
    targets = models.CharField(
        max_length=300, blank=True, help_text="What was struck, e.g. fishing vessel."
    )
    target_count = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=IncidentStatus.choices, default=IncidentStatus.ALLEGED
    )
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "number"], name="incident_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=IncidentStatus.values),
                name="incident_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(date_precision__in=DatePrecision.values),
                name="incident_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True)
                | models.Q(date_end__gte=models.F("date")),
                name="incident_window_ordered",
            ),
        ]
        indexes = [models.Index(fields=["project", "date"])]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"

    @property
    def code(self) -> str:
        return f"{CODE_PREFIX}-{self.number:04d}"

    @property
    def date_label(self) -> str:
        """The date as precise as it is known: "Sep 2025", "c. 2 Sep 2025",
        "2 Sep 2025 - 4 Sep 2025", with the time window if any."""
        if self.date_precision == DatePrecision.MONTH:
            label = self.date.strftime("%b %Y")
        else:
            label = f"{self.date.day} {self.date.strftime('%b %Y')}"
            if self.date_precision == DatePrecision.APPROXIMATE:
                label = f"c. {label}"
        if self.date_end and self.date_end != self.date:
            label += f" \u2013 {self.date_end.day} {self.date_end.strftime('%b %Y')}"
        if self.time_start:
            label += f" {self.time_start.strftime('%H:%M')}"
            if self.time_end:
                label += f"\u2013{self.time_end.strftime('%H:%M')}"
        return label

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        super().clean()
        if self.date_end is not None and self.date and self.date_end < self.date:
            raise ValidationError(
                {"date_end": "The window cannot end before the incident's date."}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Give both latitude and longitude, or neither."}
            )


class SourceGrade(models.Model):
    """An analyst's reliability grade of a source (Admiralty A-F).

    Kept beside ``corpus.Source`` rather than on it: grading is analysis,
    and ``corpus`` sits below ``legal``. No row means ungraded.
    """

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, related_name="grade"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="source_grades"
    )
    reliability = models.CharField(max_length=1, choices=Reliability.choices)
    rationale = models.TextField()
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reliability__in=Reliability.values),
                name="source_grade_reliability_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: {self.reliability}"


class ProposalKind(models.TextChoices):
    LINK = "link", "Link a claim to an incident"
    NEW = "new", "New incident from claims"
    MERGE = "merge", "Merge two incidents"


class ProposalRejection(models.Model):
    """An incident proposal an analyst rejected: kept, so it is not proposed
    again, and so the register's history shows what was ruled out.

    ``key`` names the proposal (``link:<claim>:<incident>``,
    ``new:<date>``, ``merge:<incident>:<incident>``), see
    ``legal.incident_proposals``.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="incident_rejections"
    )
    kind = models.CharField(max_length=8, choices=ProposalKind.choices)
    key = models.CharField(max_length=120)
    reason = models.TextField(blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "key"], name="proposal_rejection_unique_key"
            )
        ]

    def __str__(self) -> str:
        return self.key
