"""What every export shares: the format registry, IRIs and querysets.

An exporter is a generator of ``bytes`` chunks, so a download streams and
memory stays flat however large the project is. Each one takes a
``progress(done, total)`` callback; the CLI feeds it to tqdm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import TypeVar

from django.conf import settings
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from annotations.models import Annotation, Tag
from corpus.models import Document
from legal.models import Claim
from projects.models import Project

Progress = Callable[[int, int], None]
T = TypeVar("T")
CHUNK = 500
CLAIM_CHUNK = 100  # claims carry five prefetches: smaller batches


def batched(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items (itertools.batched arrives in 3.12)."""
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


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


def text_iri(base: str, document: Document) -> str:
    """The document's text representation: a plain-text resource whose
    content is exactly the stored text, so W3C and Hypothesis selectors
    (offsets and quotes into that text) re-anchor there."""
    return f"{base}/p/{document.project.slug}/d/{document.pk}/text.txt"


def annotation_iri(base: str, annotation: Annotation) -> str:
    return f"{base}/api/annotations/{annotation.pk}/"


def w3c_datetime(value: datetime | None) -> str | None:
    """xsd:dateTime in UTC with a Z, to the second (what the W3C model asks)."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotations_for_export(project: Project) -> QuerySet[Annotation]:
    """Every annotation of the project with what exports print, in text order.

    Used with ``.iterator(chunk_size=CHUNK)``: prefetches run per chunk,
    so queries stay few and memory flat. Do not prefetch reverse foreign
    keys here: they make reference cycles (child -> parent cache) that only
    the cyclic GC frees, so memory grew with the project (measured with
    benchmarks/export_streaming.py); look such rows up per batch instead.
    """
    return (
        Annotation.objects.filter(project=project)
        .select_related("document", "document__source", "document__project", "author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("order")))
        .order_by("document_id", "start", "end", "pk")
    )


CLAIM_PREFETCHES = (
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


def claims_for_export(project: Project) -> QuerySet[Claim]:
    """The project's claims, oldest first; iterate with ``claim_batches``."""
    return (
        Claim.objects.filter(project=project)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )


def claim_batches(queryset: QuerySet[Claim]) -> Iterator[list[Claim]]:
    """Claims in batches, each with its related rows prefetched, so only
    one batch is in memory at a time.

    Reverse-FK prefetches (quantities, assessments) point back at their
    claim, a reference cycle; the caches are cleared once the batch is
    used so the batch is freed at once rather than at the next full GC.
    """
    for batch in batched(queryset.iterator(chunk_size=CLAIM_CHUNK), CLAIM_CHUNK):
        prefetch_related_objects(batch, *CLAIM_PREFETCHES)
        yield batch
        for claim in batch:
            claim._prefetched_objects_cache = {}  # type: ignore[attr-defined]


def source_label(document: Document) -> str:
    """Who published a document, as a reader would cite it."""
    if document.source is not None:
        return document.source.name
    return document.publisher or document.author or ""
