"""Claims (who asserted what), their quantities, and legal assessments."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from annotations.models import Annotation
from corpus.models import ClaimantType
from legal.models.frameworks import Criterion, Element
from legal.models.incidents import Credibility, Incident
from projects.models import Project, ProjectScopedQuerySet


class ClaimQuerySet(ProjectScopedQuerySet["Claim"]):
    """Claims of the user's projects; a blind member gets only their own."""

    blind_field = "created_by"


class AssessmentQuerySet(ProjectScopedQuerySet["Assessment"]):
    """Assessments of the user's projects; a blind member gets only their own."""

    blind_field = "author"


RENAMED_CLAIMANT_TYPES = {
    "official": ClaimantType.ACTING_GOVERNMENT,
    "military": ClaimantType.ACTING_GOVERNMENT,
    "un_body": ClaimantType.UN,
    "ngo": ClaimantType.RIGHTS_GROUP,
    "journalist": ClaimantType.REPORTER,
    "unattributed": ClaimantType.REPORTER,
}
"""Claimant types before issue 12 and what migration 0003 made of them, so
a client still sending an old name is told the new one."""


def claimant_type_problem(value: object) -> str | None:
    """Why ``value`` is not a claimant type, or None when it is one."""
    if value in ClaimantType.values:
        return None
    known = ", ".join(ClaimantType.values)
    if isinstance(value, str) and value in RENAMED_CLAIMANT_TYPES:
        return (
            f'"{value}" is an old claimant type; use '
            f'"{RENAMED_CLAIMANT_TYPES[value]}". The types are: {known}.'
        )
    return f'"{value}" is not a claimant type. The types are: {known}.'


#: Longest translation note accepted: a translation of a claim's quotes, not
#: of a document (bounds what a hostile client can store).
TRANSLATION_NOTE_MAX = 20_000


class ClaimKind(models.TextChoices):
    FACTUAL = "factual", "Factual"
    LEGAL = "legal_characterisation", "Legal characterisation"
    JUSTIFICATION = "justification", "Justification"
    DENIAL = "denial", "Denial"
    INTENT = "intent", "Declared intent"


class EvidenceStatus(models.TextChoices):
    PROVIDED = "provided", "Evidence provided"
    NOT_PROVIDED = "not_provided", "No evidence provided"
    DISPUTED = "disputed", "Disputed"
    CORROBORATED = "corroborated", "Independently corroborated"
    UNKNOWN = "unknown", "Unknown"


class Claim(models.Model):
    """A proposition someone asserted, possibly reported in many documents.

    Its mentions are annotations (``ClaimMention``); its quantities
    (``ClaimQuantity``) make figures comparable across sources.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="claims"
    )
    proposition = models.TextField(
        help_text="The claim in one sentence, e.g. '14 people were killed'."
    )
    claimant = models.CharField(
        max_length=300, blank=True, help_text="Who asserted it, as the text names them."
    )
    claimant_type = models.CharField(
        max_length=32, choices=ClaimantType.choices, default=ClaimantType.REPORTER
    )
    kind = models.CharField(
        max_length=32, choices=ClaimKind.choices, default=ClaimKind.FACTUAL
    )
    evidence_status = models.CharField(
        max_length=16, choices=EvidenceStatus.choices, default=EvidenceStatus.UNKNOWN
    )
    event_date = models.DateField(
        null=True, blank=True, help_text="When the event the claim is about happened."
    )
    note = models.TextField(blank=True)
    translation_note = models.TextField(
        blank=True,
        help_text=(
            "The analyst's translation of the claim's quotes into the brief's "
            "language, for every quote without a translation note of its own "
            "(ClaimMention.translation_note); the quotes themselves stay "
            "verbatim in the original."
        ),
    )
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claims",
        help_text="The one incident this claim is about, if any.",
    )
    credibility = models.CharField(
        max_length=1,
        choices=Credibility.choices,
        blank=True,
        help_text="Admiralty credibility (1-6); blank means ungraded.",
    )
    credibility_rationale = models.TextField(blank=True)
    mentions = models.ManyToManyField(
        Annotation, through="ClaimMention", related_name="claims", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claimant_type__in=ClaimantType.values),
                name="claim_claimant_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(evidence_status__in=EvidenceStatus.values),
                name="claim_evidence_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.proposition[:80]


class ClaimMention(models.Model):
    """Links an annotation to the claim it reports."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links")
    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="claim_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    translation_note = models.TextField(
        blank=True,
        help_text=(
            "The analyst's translation of this quote into the brief's language; "
            "the quote itself stays verbatim in the original. Shown under the "
            "quote in briefs, before the claim's own translation note."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "annotation"], name="claim_mention_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.annotation_id} mentions {self.claim_id}"


class QuantityCounts(models.TextChoices):
    KILLED = "killed", "Killed or dead"
    INJURED = "injured", "Injured"
    SURVIVORS = "survivors", "Survivors"
    MISSING = "missing", "Missing"
    ABOARD = "aboard", "People aboard"
    VESSELS = "vessels", "Vessels"
    STRIKES = "strikes", "Strikes"
    OTHER = "other", "Other"


class QuantityBound(models.TextChoices):
    EXACT = "exact", "Exactly"
    AT_LEAST = "at_least", "At least"
    MORE_THAN = "more_than", "More than"
    UP_TO = "up_to", "Up to"
    ABOUT = "about", "About"


class ClaimQuantity(models.Model):
    """A figure a claim states, e.g. 14 killed (exact) or at least 57 dead."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="quantities"
    )
    value = models.PositiveIntegerField()
    counts = models.CharField(max_length=16, choices=QuantityCounts.choices)
    bound = models.CharField(
        max_length=16, choices=QuantityBound.choices, default=QuantityBound.EXACT
    )
    cumulative = models.BooleanField(
        default=False,
        help_text="A running total for a campaign, not one incident's figure.",
    )
    as_of = models.DateField(null=True, blank=True)
    annotation = models.ForeignKey(
        Annotation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quantities",
        help_text="The mention that states this figure.",
    )
    credibility = models.CharField(
        max_length=1,
        choices=Credibility.choices,
        blank=True,
        help_text="Admiralty credibility (1-6) of this figure; blank: the claim's.",
    )
    credibility_rationale = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "claim quantities"

    def __str__(self) -> str:
        return f"{self.get_bound_display()} {self.value} {self.counts}"


class Finding(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    UNDERMINES = "undermines", "Undermines"
    INCONCLUSIVE = "inconclusive", "Inconclusive"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Assessment(models.Model):
    """How a claim bears on one element (or a whole criterion) of the law.

    "Supports" and "undermines" refer to the element's question as asked.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="assessments"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="assessments"
    )
    element = models.ForeignKey(
        Element,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    criterion = models.ForeignKey(
        Criterion,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    finding = models.CharField(max_length=16, choices=Finding.choices)
    rationale = models.TextField(help_text="Why, in words a reader of a brief follows.")
    sources = models.ManyToManyField(
        Annotation,
        blank=True,
        related_name="cited_by_assessments",
        help_text="Annotations (quotes) cited for this finding.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "element"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(element__isnull=False)
                | models.Q(criterion__isnull=False),
                name="assessment_has_target",
            ),
            models.CheckConstraint(
                condition=models.Q(finding__in=Finding.values),
                name="assessment_finding_valid",
            ),
            models.UniqueConstraint(
                fields=["claim", "element", "author"],
                condition=models.Q(element__isnull=False),
                name="assessment_unique_element_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} -> {self.element or self.criterion}: {self.finding}"

    def clean(self) -> None:
        super().clean()
        if self.element_id is None and self.criterion_id is None:
            raise ValidationError("An assessment needs an element or a criterion.")
        if (
            self.element_id
            and self.criterion_id
            and self.element is not None
            and self.element.criterion_id != self.criterion_id
        ):
            raise ValidationError(
                {"criterion": "The element belongs to another criterion."}
            )
