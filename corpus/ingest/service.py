"""Ingestion services: bytes, URLs and pasted text in, Documents out.

Every way in (web forms, ``manage.py ingest``, the API, Celery workers) calls
``ingest_file``, ``ingest_url``, ``ingest_text`` or ``ingest_batch``. Each
extracted document is stored in its own savepoint through
``corpus.services.document_create`` (the single write path), so one bad
file, record or archive member never stops the others and never leaves a
half-written document or an orphan file in MEDIA_ROOT. Analysis is queued
as one Celery job per call with ``transaction.on_commit``, so ``nlp.pipe``
sees the whole batch (``corpus.jobs.queue_analysis``; this package never
imports ``corpus.tasks``, which imports it).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from corpus.ingest import dedup
from corpus.ingest.base import Extracted, ExtractionError
from corpus.ingest.extract import Failure, extract_all
from corpus.ingest.fetch import fetch, warc_bytes
from corpus.jobs import queue_analysis
from corpus.models import (
    Document,
    DocumentKind,
    Job,
    JobKind,
    JobStatus,
    Source,
    normalize_text,
    sha256_hex,
)
from corpus.services import DuplicateDocument, document_create
from projects.models import Project

STORED = "stored"
DUPLICATE = "duplicate"
FAILED = "failed"

# Fields a caller may set on every document of one ingestion.
META_FIELDS = {
    "title",
    "author",
    "speaker_role",
    "platform",
    "publisher",
    "published_at",
    "url",
    "language",
    "metadata",
}


@dataclass
class Outcome:
    """What happened to one file, record or archive member."""

    name: str
    status: str
    document: Document | None = None
    message: str = ""


@dataclass
class IngestResult:
    """Per-item outcomes of one ingestion, plus the analysis job it queued."""

    outcomes: list[Outcome] = field(default_factory=list)
    job: Job | None = None

    @property
    def documents(self) -> list[Document]:
        # Stored and duplicate outcomes always carry their document.
        return [cast(Document, o.document) for o in self.outcomes if o.status == STORED]

    @property
    def duplicates(self) -> list[tuple[str, Document]]:
        return [
            (o.name, cast(Document, o.document))
            for o in self.outcomes
            if o.status == DUPLICATE
        ]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(o.name, o.message) for o in self.outcomes if o.status == FAILED]

    def extend(self, other: IngestResult) -> None:
        self.outcomes.extend(other.outcomes)

    def as_report(self) -> dict[str, Any]:
        """JSON summary for ``Job.report`` and the CLI."""
        return {
            "stored": len(self.documents),
            "duplicates": len(self.duplicates),
            "failed": len(self.errors),
            "items": [
                {
                    "name": o.name,
                    "status": o.status,
                    "document": o.document.pk if o.document else None,
                    "message": o.message,
                }
                for o in self.outcomes
            ],
        }


def _source_for(project: Project, source: Source | str | None) -> Source | None:
    if source is None or source == "":
        return None
    if isinstance(source, Source):
        if source.project_id != project.pk:
            raise ValidationError({"source": "The source belongs to another project."})
        return source
    found, _ = Source.objects.get_or_create(project=project, name=str(source)[:200])
    return found


def _check_meta(meta: dict[str, Any]) -> dict[str, Any]:
    unknown = set(meta) - META_FIELDS
    if unknown:
        raise TypeError(f"Unknown document fields: {', '.join(sorted(unknown))}.")
    return {k: v for k, v in meta.items() if v not in (None, "")}


def _previous_capture(project: Project, url: str) -> Document | None:
    if not url:
        return None
    return (
        Document.objects.filter(project=project, url=url)
        .order_by("-captured_at", "-pk")
        .only("pk", "text_sha256", "title")
        .first()
    )


def _store_one(
    item: Extracted,
    *,
    project: Project,
    user,
    kind: str,
    source: Source | str | None,
    meta: dict[str, Any],
    override: bool,
    warc: bytes = b"",
    captured_at: datetime | None = None,
    batch: _Batch,
) -> Outcome:
    """Store one extracted document; never raises for bad input.

    ``document_create`` runs in its own savepoint, so a refused item leaves
    nothing behind; the fingerprint waits in ``batch`` for one bulk insert.
    """
    fields: dict[str, Any] = {
        "title": item.title[:500],
        "author": item.author[:300],
        "published_at": item.published_at,
        "url": item.url[:2000],
        "publisher": item.site[:300],
    }
    record_fields = dict(item.fields)
    record_source = record_fields.pop("source", None)
    fields.update({k: v for k, v in record_fields.items() if v})
    for key, value in meta.items():
        if key == "metadata":
            continue
        if override or not fields.get(key):
            fields[key] = value
    fields["kind"] = fields.get("kind") or kind or DocumentKind.ARTICLE
    if fields["kind"] not in DocumentKind.values:
        return Outcome(
            item.name,
            FAILED,
            message=f"Unknown kind {fields['kind']!r}; use one of "
            f"{', '.join(DocumentKind.values)}.",
        )
    metadata = {**item.metadata, **(meta.get("metadata") or {})}
    text = normalize_text(item.text)
    if not text:
        return Outcome(item.name, FAILED, message="The document has no text.")
    try:
        previous = _previous_capture(project, fields["url"])
        if previous is not None and previous.text_sha256 == _text_hash(text):
            raise DuplicateDocument(previous)
        sig = dedup.signature(text)
        near, score = None, 0.0
        if sig is not None:
            exclude = set()
            if fields["url"]:
                exclude = set(
                    Document.objects.filter(
                        project=project, url=fields["url"]
                    ).values_list("pk", flat=True)
                )
            near, score = dedup.find_near_duplicate(
                project=project, sig=sig, exclude=exclude, pending=batch.fingerprints
            )
            if near is not None:
                metadata["near_duplicate_score"] = round(score, 3)
        document = document_create(
            project=project,
            original=item.original,
            text=text,
            original_name=item.name,
            media_type=item.media_type,
            captured_by=user,
            captured_at=captured_at,
            extractor=item.extractor,
            extractor_version=item.extractor_version[:40],
            warc=warc,
            source=_source_for(project, record_source or source),
            previous_version=previous,
            near_duplicate_of=near,
            metadata=metadata,
            **fields,
        )
        batch.stored.append(document)
        if sig is not None:
            batch.fingerprints.add(document, sig)
    except DuplicateDocument as exc:
        return Outcome(item.name, DUPLICATE, exc.existing, str(exc))
    except ValidationError as exc:
        return Outcome(item.name, FAILED, message=_validation_message(exc))
    except IntegrityError:
        # Another worker stored the same bytes between our check and insert.
        existing = Document.objects.filter(
            project=project, sha256=sha256_hex(item.original)
        ).first()
        if existing is None:
            raise
        return Outcome(item.name, DUPLICATE, existing, str(DuplicateDocument(existing)))
    message = ""
    if previous is not None:
        message = f"New version of document {previous.pk} (same URL, new content)."
    elif near is not None:
        message = (
            f"Near-duplicate of document {near.pk} "
            f"({near.title or 'untitled'}; similarity {score:.0%})."
        )
    return Outcome(item.name, STORED, document, message)


def _text_hash(text: str) -> str:
    return sha256_hex(text)


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _delete_files(document: Document) -> None:
    if document.original:
        document.original.delete(save=False)
    if document.warc:
        document.warc.delete(save=False)


class _Batch:
    """State of one ingestion transaction: stored documents, pending fingerprints."""

    def __init__(self) -> None:
        self.stored: list[Document] = []
        self.fingerprints = dedup.PendingFingerprints()


@contextmanager
def _atomic_batch():
    """One transaction for a whole ingestion, yielding its ``_Batch``.

    Fingerprints are written in bulk at the end. Files are written to
    MEDIA_ROOT before the transaction commits; if it fails, the files of
    every document stored in it are removed again so MEDIA_ROOT never holds
    files without a Document. (Callers that wrap the ingestion in a longer
    transaction of their own take on that duty.)
    """
    batch = _Batch()
    try:
        with transaction.atomic():
            yield batch
            batch.fingerprints.flush()
    except BaseException:
        for document in batch.stored:
            _delete_files(document)
        raise


def _store_items(
    items: Iterable[Extracted | Failure],
    *,
    project: Project,
    user,
    kind: str,
    source,
    meta: dict[str, Any],
    batch: _Batch,
    warc: bytes = b"",
    captured_at: datetime | None = None,
) -> IngestResult:
    """Store extracted items, each in its own savepoint; failures become outcomes."""
    items = list(items)
    meta = _check_meta(meta)
    result = IngestResult()
    documents_in = sum(1 for i in items if isinstance(i, Extracted))
    for item in items:
        if isinstance(item, Failure):
            result.outcomes.append(Outcome(item.name, FAILED, message=item.reason))
            continue
        result.outcomes.append(
            _store_one(
                item,
                project=project,
                user=user,
                kind=kind,
                source=source,
                meta=meta,
                override=documents_in == 1,
                warc=warc,
                captured_at=captured_at,
                batch=batch,
            )
        )
    return result


def _finish(
    result: IngestResult, *, project: Project, user, analyse: bool
) -> IngestResult:
    if analyse:
        result.job = queue_analysis(
            project=project, documents=result.documents, user=user
        )
    return result


def ingest_file(
    *,
    project: Project,
    name: str,
    data: bytes,
    user,
    kind: str = "",
    source: Source | str | None = None,
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Ingest one uploaded file: a document, a feed, a bulk file or an archive."""
    return ingest_batch(
        project=project,
        files=[(name, data)],
        user=user,
        kind=kind,
        source=source,
        analyse=analyse,
        **meta,
    )


def ingest_batch(
    *,
    project: Project,
    files: Iterable[tuple[str, bytes]],
    user,
    kind: str = "",
    source: Source | str | None = None,
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Ingest many files at once and queue one analysis job for all of them.

    ``meta`` values override what was extracted when a file yields one
    document, and only fill gaps when it yields many (feeds, bulk, archives).
    """
    result = IngestResult()
    # One commit for the whole batch (each item still has its own savepoint).
    with _atomic_batch() as batch:
        for name, data in files:
            result.extend(
                _store_items(
                    extract_all(data, name),
                    project=project,
                    user=user,
                    kind=kind,
                    source=source,
                    meta=dict(meta),
                    batch=batch,
                )
            )
    return _finish(result, project=project, user=user, analyse=analyse)


def _extract_capture(capture, name: str) -> list[Extracted | Failure]:
    """Extract a fetched body; HTML gets its URL so relative metadata resolves.

    The format is sniffed from the bytes like any upload: a server that says
    text/html but sends a PDF gets its PDF read as a PDF.
    """
    from corpus.ingest import html
    from corpus.ingest.detect import sniff

    try:
        fmt = sniff(capture.body, name)
    except ExtractionError as exc:
        return [Failure(capture.url, str(exc))]
    if fmt != "html":
        return extract_all(capture.body, name)
    try:
        return list(html.extract(capture.body, name, url=capture.final_url))
    except ExtractionError as exc:
        return [Failure(capture.url, str(exc))]
    except Exception as exc:
        # As in extract_all: a hostile page is one clear failure, not a crash.
        return [Failure(capture.url, f"The page could not be read ({exc}).")]


def ingest_url(
    *,
    project: Project,
    url: str,
    user,
    kind: str = "",
    source: Source | str | None = None,
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Capture a URL (guarded fetch + WARC) and ingest what it returned.

    Capturing a URL already in the project with new text makes a new
    Document whose ``previous_version`` is the latest earlier capture; the
    same text again is reported as a duplicate of that capture.
    """
    url = url.strip()
    result = IngestResult()
    captured_at = timezone.now()
    try:
        capture = fetch(url)
    except ExtractionError as exc:
        result.outcomes.append(Outcome(url, FAILED, message=str(exc)))
        return result
    name = capture.final_url.rsplit("/", 1)[-1].split("?", 1)[0] or "index.html"
    items = _extract_capture(capture, name)
    for item in items:
        if isinstance(item, Extracted):
            item.metadata.update(
                {
                    "final_url": capture.final_url,
                    "http_media_type": capture.media_type,
                    "redirects": [hop.url for hop in capture.hops[:-1]],
                    "ip_address": capture.hops[-1].ip,
                }
            )
            if len(items) == 1:
                # The URL the analyst asked for identifies the capture, so a
                # later capture of it becomes a new version of this one.
                item.url = url
                item.name = url
    with _atomic_batch() as batch:
        result.extend(
            _store_items(
                items,
                project=project,
                user=user,
                kind=kind,
                source=source,
                meta=meta,
                batch=batch,
                warc=warc_bytes(capture),
                captured_at=captured_at,
            )
        )
    return _finish(result, project=project, user=user, analyse=analyse)


def ingest_text(
    *,
    project: Project,
    text: str,
    user,
    title: str = "",
    kind: str = DocumentKind.STATEMENT,
    speaker: str = "",
    role: str = "",
    platform: str = "",
    published_at: datetime | None = None,
    source: Source | str | None = None,
    url: str = "",
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Ingest pasted text (typically an official statement) with its context.

    The original bytes are the pasted text in UTF-8; ``speaker`` is stored as
    the document's author and ``role`` as its speaker role.
    """
    if not text.strip():
        result = IngestResult()
        result.outcomes.append(
            Outcome(title or "pasted text", FAILED, message="The text is empty.")
        )
        return result
    item = Extracted(
        text=text,
        extractor="glossa.paste",
        extractor_version="1",
        original=text.encode("utf-8"),
        name=title or "pasted text",
        media_type="text/plain; charset=utf-8",
        title=title,
    )
    meta.update(
        {
            "title": title,
            "author": speaker,
            "speaker_role": role,
            "platform": platform,
            "published_at": published_at,
            "url": url,
        }
    )
    with _atomic_batch() as batch:
        result = _store_items(
            [item],
            project=project,
            user=user,
            kind=kind,
            source=source,
            meta=meta,
            batch=batch,
        )
    return _finish(result, project=project, user=user, analyse=analyse)


def ingest_job_record(
    *, project: Project, user, result: IngestResult, how: str = ""
) -> Job:
    """Keep the outcome of an ingestion as a finished INGEST job (its report)."""
    report = result.as_report()
    report["how"] = how
    if result.job is not None:
        report["analysis_job"] = result.job.pk
    now = timezone.now()
    return Job.objects.create(
        project=project,
        kind=JobKind.INGEST,
        status=JobStatus.DONE,
        total=len(result.outcomes),
        done=len(result.outcomes),
        report=report,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        finished_at=now,
    )
