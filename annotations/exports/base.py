"""What every export shares: the format registry, IRIs and querysets.

An exporter is a generator of ``bytes`` chunks, so a download streams and
memory stays flat however large the project is. Each one takes a
``progress(done, total)`` callback; the CLI feeds it to tqdm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from corpus.models import Document, Project

from ..models import Annotation, Claim, Tag

Progress = Callable[[int, int], None]
CHUNK = 500


def no_progress(done: int, total: int) -> None:
    """The default callback: report nothing."""


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    media_type: str
    extension: str
    stream: Callable[..., Iterator[bytes]]
    description: str = ""

    def filename(self, project: Project) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        return f"{project.slug}-{self.key}-{stamp}.{self.extension}"


def public_base_url(base_url: str | None = None) -> str:
    """The absolute root used in IRIs (request root, setting, or localhost)."""
    base = (
        base_url
        or getattr(settings, "GLOSSA_PUBLIC_URL", "")
        or ("http://127.0.0.1:8000")
    )
    return base.rstrip("/")


def document_iri(base: str, document: Document) -> str:
    return f"{base}/p/{document.project.slug}/d/{document.pk}/"


def annotation_iri(base: str, annotation: Annotation) -> str:
    return f"{base}/api/annotations/{annotation.pk}/"


def user_iri(base: str, user_id: int) -> str:
    return f"{base}/api/users/{user_id}/"


def w3c_datetime(value: datetime | None) -> str | None:
    """xsd:dateTime in UTC with a Z, to the second (what the W3C model asks)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotations_for_export(project: Project) -> QuerySet[Annotation]:
    """Every annotation of the project with what exports print, in text order.

    Used with ``.iterator(chunk_size=CHUNK)``: prefetches run per chunk,
    so queries stay few and memory flat.
    """
    return (
        Annotation.objects.filter(project=project)
        .select_related("document", "document__source", "document__project", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("order")))
        .order_by("document_id", "start", "end", "pk")
    )


def claims_for_export(project: Project) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(project=project)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Annotation.objects.select_related(
                    "document", "document__source"
                ).order_by("document_id", "start"),
            ),
            "quantities",
            "assessments__element__criterion",
            "assessments__criterion",
            "assessments__author",
        )
        .order_by("created_at", "pk")
    )


def source_label(document: Document) -> str:
    """Who published a document, as a reader would cite it."""
    if document.source_id:
        return document.source.name
    return document.publisher or document.author or ""


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Neutralise cells a spreadsheet would run as formulas (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
