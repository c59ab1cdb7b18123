"""Annotations (spans of a document's text), their comments, and suggestions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from annotations.models.taxonomy import Tag
from corpus.models import Document
from projects.models import Project, ProjectScopedQuerySet

CONTEXT_CHARS = 32


class SpanQuerySet(ProjectScopedQuerySet):
    """Spans of the user's projects (``for_user``). Blind mode narrows the
    annotations further: see ``annotations.selectors``."""


class AnchoredSpan(models.Model):
    """A span of ``Document.text`` anchored as the W3C selectors do.

    ``start``/``end`` are Unicode code-point offsets, end-exclusive.
    ``quote`` always equals ``text[start:end]``; ``prefix``/``suffix`` hold
    up to ``CONTEXT_CHARS`` characters either side so the span can be
    re-anchored if offsets are ever lost (TextQuoteSelector).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True)

    objects = SpanQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def context_for(text: str, start: int, end: int) -> tuple[str, str, str]:
        """Return (quote, prefix, suffix) for ``text[start:end]``."""
        return (
            text[start:end],
            text[max(0, start - CONTEXT_CHARS) : start],
            text[end : end + CONTEXT_CHARS],
        )

    def anchor(self) -> None:
        """Fill quote, prefix and suffix from the document and the offsets."""
        self.quote, self.prefix, self.suffix = self.context_for(
            self.document.text, self.start, self.end
        )

    def clean(self) -> None:
        super().clean()
        check_span(self)


def check_span(span: AnchoredSpan) -> None:
    """Raise ValidationError unless the span is inside its document's text
    and its quote is exactly the slice at its offsets."""
    text = span.document.text
    if span.document.project_id != span.project_id:
        raise ValidationError("The document belongs to another project.")
    if not (0 <= span.start < span.end <= len(text)):
        raise ValidationError(
            {
                "end": f"Offsets {span.start}-{span.end} are outside the document "
                f"text (0-{len(text)}) or empty."
            }
        )
    if text[span.start : span.end] != span.quote:
        raise ValidationError(
            {"quote": "The quote does not match the document text at these offsets."}
        )


def span_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(start__lt=models.F("end")),
            name=f"{prefix}_start_before_end",
        ),
        models.CheckConstraint(
            condition=~models.Q(quote=""), name=f"{prefix}_quote_not_empty"
        ),
    ]


class AnnotationQuerySet(SpanQuerySet):
    """Annotations of the user's projects; in a blind-mode project a viewer
    or analyst gets only their own (``ProjectScopedQuerySet.blind_field``)."""

    blind_field = "author"


class AnnotationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted by reviewer"
    REJECTED = "rejected", "Rejected by reviewer"


class Origin(models.TextChoices):
    HUMAN = "human", "Made by an analyst"
    SUGGESTION = "suggestion", "Accepted suggestion"
    IMPORT = "import", "Imported"
    ADJUDICATION = "adjudication", "Reconciled by a reviewer"


class Annotation(AnchoredSpan):
    """A span an analyst tagged, with a note.

    ``version`` increases on every save; updates must name the version they
    were based on (optimistic locking, see ``annotations.services``).
    """

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="annotations"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="annotations"
    )
    tags = models.ManyToManyField(Tag, related_name="annotations", blank=True)
    note = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    status = models.CharField(
        max_length=16, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT
    )
    origin = models.CharField(
        max_length=16, choices=Origin.choices, default=Origin.HUMAN
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Narrows AnchoredSpan's manager to the blind-mode rule of annotations.
    objects = AnnotationQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["document", "start", "end", "pk"]
        constraints = span_constraints("annotation")
        indexes = [
            models.Index(fields=["document", "start"]),
            models.Index(fields=["project", "author"]),
        ]

    def __str__(self) -> str:
        return f"{self.quote[:40]!r} ({self.start}-{self.end})"


class CommentQuerySet(ProjectScopedQuerySet):
    project_field = "annotation__project"
    # The discussion belongs to the annotation: blind mode hides it with it.
    blind_field = "annotation__author"


class Comment(models.Model):
    """A comment in the discussion on an annotation."""

    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.annotation_id}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EDITED = "edited", "Accepted with edits"
    REJECTED = "rejected", "Rejected"


class Suggestion(AnchoredSpan):
    """A proposed annotation, explained by the rule or model that made it.

    Pending until an analyst accepts (creating an Annotation), edits or
    rejects it. Rejections are kept: they measure precision. ``start``/``end``
    cover the words that carry the tag (the cue, the figure, the
    designation) where the rule knows them, else the whole sentence;
    ``context_start``/``context_end`` are the sentence it came from, shown
    around it (null on suggestions made before spans existed: the span is
    then the sentence).
    """

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="suggestions"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="suggestions"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="suggestions")
    claimant = models.CharField(max_length=300, blank=True)
    claimant_type = models.CharField(max_length=32, blank=True)
    confidence = models.FloatField(default=0.5)
    rule = models.CharField(
        max_length=200, help_text="The rule or model that proposed it."
    )
    explanation = models.TextField(blank=True)
    context_start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Start of the sentence it came from."
    )
    context_end = models.PositiveIntegerField(
        null=True, blank=True, help_text="End of the sentence it came from."
    )
    pipeline_version = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    annotation = models.ForeignKey(
        Annotation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_suggestions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "start", "tag"]
        constraints = [
            *span_constraints("suggestion"),
            models.UniqueConstraint(
                fields=["document", "tag", "start", "end"],
                name="suggestion_unique_span_tag",
            ),
            # The context, when known, is a sentence around the span.
            models.CheckConstraint(
                condition=models.Q(context_start__isnull=True, context_end__isnull=True)
                | models.Q(
                    context_start__lte=models.F("start"),
                    context_end__gte=models.F("end"),
                ),
                name="suggestion_context_around_span",
            ),
        ]
        indexes = [models.Index(fields=["document", "status"])]

    def __str__(self) -> str:
        return f"{self.tag.key}: {self.quote[:40]!r}"

    @property
    def seen_status(self) -> str:
        """The status its reader sees: their own decision when they work blind
        (``blind_status``, annotated by ``annotations.selectors.suggestions_seen_by``),
        else the suggestion's."""
        return getattr(self, "blind_status", None) or self.status

    @property
    def seen_annotation_id(self) -> int | None:
        """The annotation its reader's decision made (see ``seen_status``)."""
        if getattr(self, "blind_status", None) is not None:
            return getattr(self, "blind_annotation_id", None)
        return self.annotation_id


class SuggestionDecisionQuerySet(ProjectScopedQuerySet):
    project_field = "suggestion__project"
    blind_field = "annotator"


class SuggestionDecision(models.Model):
    """One annotator's own decision on a suggestion, made while they work
    blind (a viewer or analyst in a blind-mode project).

    In blind mode each annotator decides every suggestion for themselves, so
    decisions are independent judgements: the suggestion itself stays pending
    for everyone else, and only reviewers and owners see who decided what.
    """

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="blind_decisions"
    )
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=16,
        choices=[
            c for c in SuggestionStatus.choices if c[0] != SuggestionStatus.PENDING
        ],
    )
    annotation = models.ForeignKey(
        Annotation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_blind_decisions",
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionDecisionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "annotator"],
                name="suggestion_decision_one_per_annotator",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="pending"),
                name="suggestion_decision_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.annotator} {self.status} suggestion {self.suggestion_id}"

    @property
    def project(self) -> Project:
        return self.suggestion.project
