"""Sources and documents: the evidence, kept exactly as captured."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format

from projects.models import Project, ProjectScopedQuerySet

if TYPE_CHECKING:
    pass


class SourceKind(models.TextChoices):
    OUTLET = "outlet", "News outlet"
    WIRE = "wire", "Wire service"
    GOVERNMENT = "government", "Government or ministry"
    MILITARY = "military", "Military"
    UN_BODY = "un_body", "UN body"
    NGO = "ngo", "NGO or rights group"
    COURT = "court", "Court or tribunal"
    SOCIAL = "social", "Social-media account"
    ACADEMIC = "academic", "Academic or expert"
    OTHER = "other", "Other"


class Source(models.Model):
    """Who published a document: an outlet, ministry, UN body, NGO, court..."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=16, choices=SourceKind.choices, default=SourceKind.OUTLET
    )
    url = models.URLField(blank=True)
    country = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="source_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DocumentKind(models.TextChoices):
    ARTICLE = "article", "News article"
    STATEMENT = "statement", "Official statement"
    SOCIAL = "social", "Social-media post"
    REPORT = "report", "Report"
    TRANSCRIPT = "transcript", "Transcript"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    """How much of ``published_at`` the source states: a month with no day is
    kept as the first of the month with precision "month", never shown as
    a day nobody gave."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class AnalysisStatus(models.TextChoices):
    PENDING = "pending", "Waiting for analysis"
    RUNNING = "running", "Being analysed"
    DONE = "done", "Analysed"
    FAILED = "failed", "Analysis failed"


def original_upload_to(instance: Document, filename: str) -> str:
    """Store originals by content hash so a path can never be reused."""
    return f"originals/{instance.sha256[:2]}/{instance.sha256}"


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """Normalise extracted text once, before it is stored.

    Unicode NFC; CRLF and CR become LF; NUL and other C0 controls except tab
    and newline are dropped (PostgreSQL cannot store NUL); trailing spaces
    on lines are removed; runs of three or more newlines collapse to two;
    leading and trailing whitespace is stripped. Offsets of annotations are
    code points into the result, so this must never change behaviour for
    stored documents: add a new function instead.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # The characters of category Cc are exactly U+0000-U+001F and
    # U+007F-U+009F (fixed in Unicode), so one pattern drops them all but
    # tab and newline, as a per-character category test did.
    text = _CONTROLS.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    blank = 0
    for line in lines:
        if line.strip():
            blank = 0
            out.append(line)
        else:
            blank += 1
            if blank <= 1:
                out.append("")
    return "\n".join(out).strip()


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class DocumentQuerySet(ProjectScopedQuerySet["Document"]):
    """Documents, scoped with ``for_user`` like every project's rows."""

    def without_bodies(self) -> DocumentQuerySet:
        """Defer the large columns; list pages never need them."""
        return self.defer("text", "metadata")


class Document(models.Model):
    """One captured document: immutable text plus the original bytes.

    ``text`` is normalised once at ingestion (see ``normalize_text``) and
    never changes afterwards: annotations are character offsets (Unicode code
    points, end-exclusive) into it. ``sha256`` is the hash of the original
    bytes as received; ``text_sha256`` the hash of ``text`` in UTF-8. Both the
    model and, on PostgreSQL, a trigger refuse any change to the text or the
    hashes of a saved document. A new capture of the same URL with other
    content is a new Document whose ``previous_version`` points to this one.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents"
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="Who published the document.",
    )
    kind = models.CharField(
        max_length=16, choices=DocumentKind.choices, default=DocumentKind.ARTICLE
    )
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(
        max_length=300,
        blank=True,
        help_text="Byline of an article, or the speaker of a statement.",
    )
    speaker_role = models.CharField(
        max_length=200,
        blank=True,
        help_text="The speaker's office or role, e.g. 'Minister of Defence'.",
    )
    platform = models.CharField(
        max_length=120,
        blank=True,
        help_text="Where a statement was made: press conference, X, Telegram...",
    )
    publisher = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the publication date the source states.",
    )
    url = models.URLField(max_length=2000, blank=True)
    language = models.CharField(max_length=16, default="en", db_index=True)
    language_confidence = models.FloatField(
        null=True,
        blank=True,
        help_text=(
            "The detector's confidence (0-1) in the language; empty when a "
            "person or the source gave the language."
        ),
    )

    text = models.TextField(
        help_text="Normalised text. Never changes after ingestion.",
    )
    text_sha256 = models.CharField(max_length=64, editable=False)
    original = models.FileField(
        upload_to=original_upload_to,
        max_length=300,
        blank=True,
        help_text="The original bytes exactly as received.",
    )
    container = models.ForeignKey(
        "corpus.OriginalFile",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="documents",
        help_text="The file kept once that holds this document's record "
        "(a JSON Lines upload); its original is the record's byte range.",
    )
    record_offset = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Where the record starts in the file (bytes)."
    )
    record_length = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The record's length in the file (bytes)."
    )
    original_name = models.CharField(max_length=500, blank=True)
    media_type = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(
        max_length=64,
        editable=False,
        help_text="SHA-256 of the original bytes (chain of custody).",
    )
    warc = models.FileField(
        upload_to="warc/",
        max_length=300,
        blank=True,
        help_text="WARC record of a URL capture, with request and response.",
    )
    extractor = models.CharField(max_length=80, blank=True)
    extractor_version = models.CharField(max_length=40, blank=True)
    metadata = models.JSONField(
        default=dict,
        blank=True,
        help_text="Extractor metadata, e.g. PDF page offsets, feed entry id.",
    )

    captured_at = models.DateTimeField()
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_version = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        help_text="An earlier capture of the same URL with other content.",
    )
    near_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="near_duplicates",
        help_text="An earlier document carrying the same story (e.g. a wire copy).",
    )

    analysis_status = models.CharField(
        max_length=16, choices=AnalysisStatus.choices, default=AnalysisStatus.PENDING
    )
    analysis_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    IMMUTABLE_FIELDS = (
        "text",
        "text_sha256",
        "sha256",
        "container_id",
        "record_offset",
        "record_length",
    )

    class Meta:
        ordering = ["-published_at", "-captured_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"], name="document_unique_original"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values),
                name="document_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(text=""), name="document_text_not_empty"
            ),
        ]
        indexes = [
            # The API's document list: newest captures first, per project.
            models.Index(
                fields=["project", "-captured_at", "-id"],
                name="document_project_captured",
            ),
            models.Index(fields=["project", "published_at"]),
            models.Index(fields=["project", "url"]),
            models.Index(fields=["project", "text_sha256"]),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded_immutable = self._immutable_values()

    def __str__(self) -> str:
        return self.title or f"Document {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, refusing any change to the text or hashes of a saved row."""
        text_loaded = "text" not in self.get_deferred_fields()
        if text_loaded and not self.text_sha256:
            self.text_sha256 = sha256_hex(self.text)
        if not self._state.adding:
            for name, before in self._loaded_immutable.items():
                if getattr(self, name) != before:
                    raise ValidationError(
                        {name: f"{name} of a saved document cannot change."}
                    )
        if text_loaded and self.text_sha256 != sha256_hex(self.text):
            raise ValidationError({"text": "text_sha256 does not match the text."})
        super().save(*args, **kwargs)
        self._loaded_immutable = self._immutable_values()

    def clean(self) -> None:
        super().clean()
        if self.text and self.text_sha256 and self.text_sha256 != sha256_hex(self.text):
            raise ValidationError({"text": "text_sha256 does not match the text."})
        if self.has_original and self.sha256 and self.original_sha256() != self.sha256:
            raise ValidationError(
                {"original": "SHA-256 of the original file does not match."}
            )

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self._loaded_immutable = self._immutable_values()

    def _immutable_values(self) -> dict[str, object]:
        deferred = self.get_deferred_fields()
        return {
            name: getattr(self, name)
            for name in self.IMMUTABLE_FIELDS
            if name not in deferred
        }

    @property
    def has_original(self) -> bool:
        """Whether the original bytes are kept: a file of their own, or a
        record's byte range in a file kept once (``container``)."""
        return bool(self.original) or (
            self.container_id is not None and self.record_offset is not None
        )

    def original_bytes(self) -> bytes:
        """The original bytes as received: the document's own file, or its
        record read from the file kept once (``sha256`` is their hash)."""
        if self.original:
            with self.original.open("rb") as handle:
                data: bytes = handle.read()
            return data
        if self.container_id is not None and self.record_offset is not None:
            assert self.container is not None
            return self.container.read_range(
                self.record_offset, self.record_length or 0
            )
        return b""

    def original_sha256(self) -> str:
        """Hash the stored original bytes (reads the whole file)."""
        digest = hashlib.sha256()
        if not self.original:
            digest.update(self.original_bytes())
            return digest.hexdigest()
        with self.original.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    @property
    def published_label(self) -> str:
        """The publication date as stated, or "unknown": "3 Mar 2025",
        "March 2025" or "2025" by precision (the one date format)."""
        if self.published_at is None:
            return "unknown"
        if self.published_precision == DatePrecision.YEAR:
            return date_format(self.published_at, "Y")
        if self.published_precision == DatePrecision.MONTH:
            return date_format(self.published_at, "F Y")
        return date_format(self.published_at, "j M Y")

    @property
    def word_count(self) -> int:
        return len(self.text.split())
