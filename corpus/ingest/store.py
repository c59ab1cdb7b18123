"""Storing extracted items as Documents, one savepoint per item.

``store_items`` runs inside ``atomic_batch``: a failing item becomes that
item's ``Outcome`` (its files removed), and the others go in.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from corpus.ingest import dedup
from corpus.ingest.base import Extracted
from corpus.ingest.extract import Failure
from corpus.ingest.results import DUPLICATE, FAILED, STORED, IngestResult, Outcome
from corpus.models import (
    Document,
    DocumentKind,
    Source,
    normalize_text,
    sha256_hex,
)
from corpus.services import DuplicateDocument, document_create
from projects.models import Project

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
    batch: Batch,
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


class Batch:
    """State of one ingestion transaction: stored documents, pending fingerprints."""

    def __init__(self) -> None:
        self.stored: list[Document] = []
        self.fingerprints = dedup.PendingFingerprints()


@contextmanager
def atomic_batch():
    """One transaction for a whole ingestion, yielding its ``Batch``.

    Fingerprints are written in bulk at the end. Files are written to
    MEDIA_ROOT before the transaction commits; if it fails, the files of
    every document stored in it are removed again so MEDIA_ROOT never holds
    files without a Document. (Callers that wrap the ingestion in a longer
    transaction of their own take on that duty.)
    """
    batch = Batch()
    try:
        with transaction.atomic():
            yield batch
            batch.fingerprints.flush()
    except BaseException:
        for document in batch.stored:
            _delete_files(document)
        raise


def store_items(
    items: Iterable[Extracted | Failure],
    *,
    project: Project,
    user,
    kind: str,
    source,
    meta: dict[str, Any],
    batch: Batch,
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
