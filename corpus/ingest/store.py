"""Storing extracted items as Documents: in bulk, one failure per bad item.

``store_items`` runs inside ``atomic_batch``. Items are *prepared* one by
one (text checked and normalised, hashes and MinHash signature computed):
any exception there becomes that item's failure. Every ``CHUNK`` prepared
items are then stored together, and dropped, before the next are prepared
(so memory does not grow with a large upload): one query finds the exact
duplicates of a whole chunk, one the earlier captures of its URLs, one the
near-duplicate candidates, and the documents (one COPY, ``rows.py``, each
built as the rows before it are written), fingerprints and bands are
written inside one savepoint. If that savepoint fails
(a row the database refuses, a concurrent upload of the same bytes), it is
rolled back, its files removed, and the chunk is stored again one document
at a time through ``corpus.services.document_create``, each in its own
savepoint, so the failing document is reported with its reason and the
others still go in. Nothing is half-written and no file is left without
its Document.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import DatabaseDefault
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from corpus.ingest import dedup, social_store
from corpus.ingest.base import Extracted, invalid_text_reason
from corpus.ingest.extract import Failure
from corpus.ingest.results import DUPLICATE, FAILED, STORED, IngestResult, Outcome
from corpus.ingest.rows import build_document, insert_documents
from corpus.language import with_detected_language, with_detected_languages
from corpus.models import (
    Document,
    DocumentKind,
    OriginalFile,
    Source,
    normalize_text,
    sha256_hex,
)
from corpus.services import DuplicateDocument, document_create
from projects.models import Project

logger = logging.getLogger(__name__)

# Documents stored per bulk insert (and per duplicate/near-duplicate query):
# at most CHUNK, and fewer when their texts reach CHUNK_CHARS, so that a chunk
# of short records costs few round trips and one of long texts stays small.
CHUNK = 1000
CHUNK_CHARS = 4_000_000
# Outcomes past this many keep their document's id only (``Outcome.release``),
# so that memory stays flat however many posts an export holds.
KEEP_DOCUMENTS = 1000

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
class Prepared:
    """One extracted item ready to store, and what storing it decided."""

    position: int
    item: Extracted
    text: str
    sha256: str
    text_sha256: str
    fields: dict[str, Any]
    metadata: dict[str, Any]
    source: Source | None
    sig: list[int] | None
    document: Document | None = None
    previous: Document | Prepared | None = None
    near: Document | Prepared | None = None
    score: float = 0.0
    duplicate_of: Document | Prepared | None = None
    failure: str = ""


@dataclass
class Batch:
    """State of one ingestion transaction: stored documents, known sources."""

    stored: int = 0
    """How many documents this batch stored."""
    sources: dict[str, Source] = field(default_factory=dict)
    captured_at: datetime = field(default_factory=timezone.now)
    files: list[str] = field(default_factory=list)
    """Files written by this batch: the originals and WARC records of its
    documents, social exports and media. Paths, not Documents, so that a
    large upload does not keep every stored document in memory."""
    social_exports: dict[str, Any] = field(default_factory=dict)
    containers: dict[str, OriginalFile] = field(default_factory=dict)
    """Files kept once (JSON Lines uploads) by SHA-256; their records'
    documents point to them (``Document.container``)."""
    new_containers: set[str] = field(default_factory=set)
    """Of those, the ones this batch wrote."""

    def finish(self) -> None:
        """Last step inside the transaction (a hook for checks and tests)."""


@contextmanager
def atomic_batch() -> Iterator[Batch]:
    """One transaction for a whole ingestion, yielding its ``Batch``.

    Files are written to MEDIA_ROOT before the transaction commits; if it
    fails, the files of every document stored in it are removed again so
    MEDIA_ROOT never holds files without a Document. (Callers that wrap the
    ingestion in a longer transaction of their own take on that duty.)
    """
    batch = Batch()
    try:
        with transaction.atomic():
            yield batch
            batch.finish()
    except BaseException:
        for path in batch.files:
            default_storage.delete(path)
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
    """Store the items extracted from one file (see ``store_groups``)."""
    return store_groups(
        [list(items)],
        project=project,
        user=user,
        kind=kind,
        source=source,
        meta=meta,
        batch=batch,
        warc=warc,
        captured_at=captured_at,
    )


def store_groups(
    groups: Iterable[Iterable[Extracted | Failure]],
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
    """Store the items of many files in chunks; every bad item is its own outcome.

    Each group is what one file yielded: ``meta`` overrides the extracted
    values of a file that yields one document, and only fills gaps in one
    that yields many (a feed, a bulk file, an archive). A group may be a
    generator (a social export streamed post by post): it is read as it is
    stored, never held whole.
    """
    meta = _check_meta(meta)
    result = IngestResult()
    # The outcomes not yet handed to ``result``, in order: at most a chunk's
    # (``result.add`` counts plain successes past the first thousand).
    outcomes: list[Outcome | None] = []
    done = 0  # outcomes handed to ``result``
    context = _Context(
        project=project,
        user=user,
        warc=warc,
        captured_at=captured_at or batch.captured_at,
        batch=batch,
    )
    platforms: set[str] = set()
    prepared: list[Prepared] = []
    chars = 0  # of the prepared texts

    def flush() -> None:
        # Items are prepared and stored a chunk at a time, and dropped once
        # stored (no item refers to another chunk's): memory does not grow
        # with prepared copies of a whole upload's texts.
        posts = [r.item.social for r in prepared if r.item.social is not None]
        social_store.prepare_posts(posts, project=project, batch=batch)
        platforms.update(p.platform for p in posts)
        nonlocal done
        for outcome_at, outcome in _store_chunk(prepared, context):
            if outcome_at >= KEEP_DOCUMENTS:
                outcome.release()  # a large upload keeps ids, not documents
            outcomes[outcome_at - done] = outcome
        prepared.clear()
        for known in outcomes:  # every one is known now
            assert known is not None
            result.add(known)
        done += len(outcomes)
        outcomes.clear()

    for group in groups:
        items, documents_in = _counted(group)
        for item in items:
            if isinstance(item, Failure):
                outcomes.append(Outcome(item.name, FAILED, message=item.reason))
                continue
            try:
                ready = _prepare(
                    item,
                    position=done + len(outcomes),
                    project=project,
                    kind=kind,
                    source=source,
                    meta=meta,
                    override=documents_in == 1,
                    batch=batch,
                )
            except Exception as exc:
                logger.warning("Preparing %s failed", item.name, exc_info=True)
                ready = Outcome(item.name, FAILED, message=failure_reason(exc))
            if isinstance(ready, Outcome):
                outcomes.append(ready)
            else:
                outcomes.append(None)
                prepared.append(ready)
                chars += len(ready.text)
                if len(prepared) >= CHUNK or chars >= CHUNK_CHARS:
                    flush()
                    chars = 0
    if prepared:
        flush()
    for outcome in outcomes:
        if outcome is not None:
            result.add(outcome)
    _drop_unused_containers(batch)
    social_store.link_posts(project, platforms)
    return result


def _counted(
    group: Iterable[Extracted | Failure],
) -> tuple[Iterable[Extracted | Failure], int]:
    """The group's items and how many documents it holds: exactly for a
    list; for a generator, 0, 1 or 2 (more) from its first documents."""
    if isinstance(group, list):
        return group, sum(1 for i in group if isinstance(i, Extracted))
    stream = iter(group)
    head: list[Extracted | Failure] = []
    documents = 0
    for item in stream:
        head.append(item)
        documents += isinstance(item, Extracted)
        if documents == 2:
            break
    return itertools.chain(head, stream), documents


def failure_reason(exc: BaseException) -> str:
    """A sentence a person can act on, for any exception raised by one item."""
    if isinstance(exc, UnicodeError):
        return (
            f"The text contains a character that is not valid Unicode ({exc}); "
            "fix the file's encoding and upload it again."
        )
    if isinstance(exc, ValidationError):
        return _validation_message(exc)
    first_line = (str(exc).strip().splitlines() or [""])[0][:300]
    return (
        f"The document could not be stored ({exc.__class__.__name__}: "
        f"{first_line}). The other documents were not affected."
    )


# --- Preparing one item -------------------------------------------------------


def _prepare(
    item: Extracted,
    *,
    position: int,
    project: Project,
    kind: str,
    source: Source | str | None,
    meta: dict[str, Any],
    override: bool,
    batch: Batch,
) -> Prepared | Outcome:
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
    if fields["kind"] not in _KINDS:
        return Outcome(
            item.name,
            FAILED,
            message=f"Unknown kind {fields['kind']!r}; use one of "
            f"{', '.join(DocumentKind.values)}.",
        )
    metadata = {**item.metadata, **(meta.get("metadata") or {})}
    problem = invalid_text_reason(
        {"text": item.text, "metadata": metadata, **fields}, original=item.original
    )
    if problem:
        return Outcome(item.name, FAILED, message=problem)
    text = normalize_text(item.text)
    if not text:
        return Outcome(item.name, FAILED, message="The document has no text.")
    return Prepared(
        position=position,
        item=item,
        text=text,
        sha256=sha256_hex(item.original),
        text_sha256=sha256_hex(text),
        fields=fields,
        metadata=metadata,
        source=_source_for(project, record_source or source, batch),
        sig=None,  # computed per chunk (``_store_chunk``), to keep memory flat
    )


_KINDS = frozenset(DocumentKind.values)


def _source_for(
    project: Project, source: Source | str | None, batch: Batch
) -> Source | None:
    if source is None or source == "":
        return None
    if isinstance(source, Source):
        if source.project_id != project.pk:
            raise ValidationError({"source": "The source belongs to another project."})
        return source
    name = str(source)[:200]
    if name not in batch.sources:
        found, _ = Source.objects.get_or_create(project=project, name=name)
        batch.sources[name] = found
    return batch.sources[name]


def _check_meta(meta: dict[str, Any]) -> dict[str, Any]:
    unknown = set(meta) - META_FIELDS
    if unknown:
        raise TypeError(f"Unknown document fields: {', '.join(sorted(unknown))}.")
    return {k: v for k, v in meta.items() if v not in (None, "")}


# --- Storing a chunk -------------------------------------------------------------


@dataclass
class _Context:
    project: Project
    user: Any
    warc: bytes
    captured_at: datetime
    batch: Batch

    @property
    def captured_by(self) -> Any:
        """The user to record on the documents (none for a system ingestion)."""
        return self.user if getattr(self.user, "is_authenticated", False) else None

    @cached_property
    def ids(self) -> tuple[int, int | None]:
        """The project's id and the capturing user's, read once for all the
        documents (the user cannot change during one ingestion)."""
        captured_by = self.captured_by
        return self.project.pk, captured_by.pk if captured_by is not None else None


def _store_chunk(chunk: list[Prepared], ctx: _Context) -> list[tuple[int, Outcome]]:
    """Store one chunk; return (position, outcome) for each of its items.

    Signatures are computed here and dropped afterwards, with the extracted
    bytes and text the stored document now holds, so that memory grows by
    little more than the documents themselves with the size of an upload.
    """
    for ready in chunk:
        ready.sig = dedup.signature(ready.text)
    accepted = _find_duplicates(chunk, ctx.project)
    _find_near_duplicates(accepted, ctx.project)
    # One call for the chunk; the identifier is loaded once per process.
    for ready, fields in zip(
        accepted,
        with_detected_languages(
            [r.fields for r in accepted], [r.text for r in accepted]
        ),
        strict=True,
    ):
        ready.fields = fields
    _keep_containers(accepted, ctx)
    try:
        with transaction.atomic():
            _bulk_write(accepted, ctx)
    except Exception:
        logger.warning("Bulk insert failed; storing one by one", exc_info=True)
        for ready in accepted:
            if ready.document is not None:
                _delete_files(ready.document)
                ready.document = None
        _write_one_by_one(accepted, ctx)
    outcomes = [(ready.position, _outcome(ready)) for ready in chunk]
    for ready in chunk:
        # The caller's extracted items live as long as the whole upload: keep
        # of them only the name the outcomes already hold.
        ready.sig = None
        ready.item.original = b""
        ready.item.text = ""
        ready.item.metadata = {}
        ready.item.fields = {}
        ready.item.social = None
        ready.item.container = None
    return outcomes


def _keep_containers(accepted: list[Prepared], ctx: _Context) -> None:
    """Keep once each file whose records this chunk stores (outside the
    chunk's savepoint, so a chunk that falls back one by one still has it).

    A file already kept in the project (the same upload again) is reused,
    and so is a bare posts file already kept as its social export (the same
    bytes, one file on disk for both rows).
    """
    for ready in accepted:
        container = ready.item.container
        if container is None or container.sha256 in ctx.batch.containers:
            continue
        kept = OriginalFile.objects.filter(
            project=ctx.project, sha256=container.sha256
        ).first()
        if kept is None:
            kept = OriginalFile(
                project=ctx.project,
                sha256=container.sha256,
                size=container.size,
                name=container.name[:500],
                media_type=container.media_type,
            )
            export = ctx.batch.social_exports.get(container.sha256)
            if export is not None:
                kept.file.name = export.file.name
            else:
                with container.open() as content:  # streamed, never read whole
                    kept.file.save(
                        container.name or "upload", File(content), save=False
                    )
                ctx.batch.files.append(str(kept.file.name))
            kept.save()
            ctx.batch.new_containers.add(container.sha256)
        ctx.batch.containers[container.sha256] = kept


def _drop_unused_containers(batch: Batch) -> None:
    """Remove a file this batch kept whose records were all refused or
    duplicates: no file without a document."""
    for sha256 in batch.new_containers:
        kept = batch.containers[sha256]
        if not kept.documents.exists():
            path = str(kept.file.name)
            kept.delete()
            # A posts file shared with its social export stays with it.
            if not any(e.file.name == path for e in batch.social_exports.values()):
                default_storage.delete(path)
                batch.files.remove(path)
            del batch.containers[sha256]
    batch.new_containers.clear()


def _find_duplicates(chunk: list[Prepared], project: Project) -> list[Prepared]:
    """Mark exact duplicates and earlier captures; return the items to store.

    One query for the original hashes of the whole chunk, one for its URLs.
    """
    existing = _stored_with_hashes(project, {r.sha256 for r in chunk})
    urls = {r.fields["url"] for r in chunk if r.fields["url"]}
    latest: dict[str, Document | Prepared] = {}
    same_url: dict[str, set[int]] = {}
    if urls:
        captures = (
            Document.objects.filter(project=project, url__in=urls)
            .order_by("-captured_at", "-pk")
            .only("pk", "url", "text_sha256", "title", "captured_at")
        )
        for capture in captures:
            latest.setdefault(capture.url, capture)
            same_url.setdefault(capture.url, set()).add(capture.pk)
    seen: dict[str, Prepared] = {}
    accepted: list[Prepared] = []
    for ready in chunk:
        url = ready.fields["url"]
        earlier = existing.get(ready.sha256) or seen.get(ready.sha256)
        previous = latest.get(url) if url else None
        if (
            earlier is None
            and previous is not None
            and previous.text_sha256 == ready.text_sha256
        ):
            earlier = previous
        if earlier is not None:
            ready.duplicate_of = earlier
            continue
        ready.previous = previous
        ready.metadata.setdefault("_same_url", sorted(same_url.get(url, ())))
        seen[ready.sha256] = ready
        if url:
            latest[url] = ready
        accepted.append(ready)
    return accepted


def _stored_with_hashes(project: Project, hashes: set[str]) -> dict[str, Document]:
    """The project's documents with these original hashes, by hash (their
    id, title and hash loaded, as ``.only("pk", "sha256", "title")``).

    On PostgreSQL one parameter carries the chunk's hashes (hexadecimal
    digits, joined by commas), not a thousand placeholders to build and
    bind.
    """
    if connection.vendor != "postgresql":
        return {
            d.sha256: d
            for d in Document.objects.filter(project=project, sha256__in=hashes).only(
                "pk", "sha256", "title"
            )
        }
    if not hashes:
        return {}
    assert all(h.isalnum() for h in hashes)  # our own SHA-256 hex digests
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, title, sha256 FROM {Document._meta.db_table} "  # noqa: S608 (the model's own table name)
            "WHERE project_id = %s AND sha256 = ANY(string_to_array(%s, ','))",
            [project.pk, ",".join(sorted(hashes))],
        )
        rows = cursor.fetchall()
    found: dict[str, Document] = {}
    for row in rows:
        # The fields in the model's order, as the ORM loads them.
        document = Document.from_db(connection.alias, ["id", "title", "sha256"], row)
        found[document.sha256] = document
    return found


def _find_near_duplicates(accepted: list[Prepared], project: Project) -> None:
    """Link each item to the earliest near-duplicate, stored or in this chunk.

    Two queries for the whole chunk: the band matches and the candidates'
    signatures. Earlier captures of the same URL are versions, not
    near-duplicates, and are excluded.
    """
    with_sig = [r for r in accepted if r.sig is not None]
    if not with_sig:
        for ready in accepted:
            ready.metadata.pop("_same_url", None)
        return
    bands = {id(r): dedup.band_values(r.sig) for r in with_sig if r.sig is not None}
    matches = dedup.band_matches(project.pk, {v for b in bands.values() for v in b})
    candidates = {
        id(r): dedup.top_candidates(
            bands[id(r)], matches, set(r.metadata.get("_same_url", ()))
        )
        for r in with_sig
    }
    stored = dedup.signatures_of({d for ids in candidates.values() for d in ids})
    in_chunk: dict[int, list[int]] = {}
    for index, ready in enumerate(with_sig):
        sig = ready.sig
        assert sig is not None
        found = dedup.best_match(
            sig, [(d, stored[d]) for d in candidates[id(ready)] if d in stored]
        )
        if found is not None:
            ready.near = Document(pk=found[0])
            ready.score = found[1]
        else:
            # Earlier items of this chunk sharing a band (not yet stored, so
            # they rank after every stored document, in chunk order).
            others: dict[int, int] = {}
            for value in bands[id(ready)]:
                for earlier in in_chunk.get(value, ()):
                    others[earlier] = others.get(earlier, 0) + 1
            ranked = sorted(others, key=lambda i: (-others[i], i))[
                : dedup.MAX_CANDIDATES
            ]
            pairs = [
                (i, with_sig[i].sig)
                for i in ranked
                if with_sig[i].fields["url"] != ready.fields["url"]
                or not ready.fields["url"]
            ]
            local = dedup.best_match(sig, [(i, s) for i, s in pairs if s is not None])
            if local is not None:
                ready.near = with_sig[local[0]]
                ready.score = local[1]
        for value in bands[id(ready)]:
            in_chunk.setdefault(value, []).append(index)
    # The stored near-duplicates, with their titles for the message (one query).
    near_ids = {r.near.pk for r in accepted if isinstance(r.near, Document)}
    found_docs = Document.objects.only("pk", "title", "project_id").in_bulk(near_ids)
    for ready in accepted:
        ready.metadata.pop("_same_url", None)
        if isinstance(ready.near, Document):
            ready.near = found_docs[ready.near.pk]
        if ready.near is not None:
            ready.metadata["near_duplicate_score"] = round(ready.score, 3)


# Strings a chunk has cleaned, by (attname, type, value): see ``_clean_fields``.
_Checked = dict[tuple[str, type, str], Any]


def _new_document(
    ready: Prepared, ctx: _Context, checked: _Checked | None = None
) -> Document:
    """An unsaved Document with its files written and its fields validated
    (``checked``: the strings already cleaned in this chunk, see
    ``_clean_fields``)."""
    item = ready.item
    ready.fields = with_detected_language(ready.fields, ready.text)
    container = _container_of(item, ctx.batch)
    project_id, captured_by_id = ctx.ids
    source = ready.source
    # Columns by attname, and the related instances to cache (as
    # ``Document(project=...)`` does): no mapping of names per document.
    document = build_document(
        dict(
            project_id=project_id,
            text=ready.text,
            text_sha256=ready.text_sha256,
            sha256=ready.sha256,
            size=len(item.original),
            original_name=item.name[:500],
            media_type=item.media_type,
            captured_by_id=captured_by_id,
            captured_at=ctx.captured_at,
            extractor=item.extractor,
            extractor_version=item.extractor_version[:40],
            source_id=source.pk if source is not None else None,
            previous_version_id=_saved_id(ready.previous),
            near_duplicate_of_id=_saved_id(ready.near),
            metadata=ready.metadata,
            container_id=container.pk if container else None,
            record_offset=item.span[0] if container and item.span else None,
            record_length=item.span[1] if container and item.span else None,
            **ready.fields,
        ),
        {"project": ctx.project, "captured_by": ctx.captured_by, "source": source},
    )
    # Field validation as in document_create, of the values that come from
    # the input (the others are set here, and the kind is checked in
    # ``_prepare``); uniqueness and constraints are the database's job (a
    # refused chunk falls back to one by one).
    _clean_fields(document, {} if checked is None else checked)
    ready.document = document
    if container is None:
        document.original.save(
            item.name or "original", ContentFile(item.original), save=False
        )
    if ctx.warc:
        document.warc.save(f"{ready.sha256}.warc.gz", ContentFile(ctx.warc), save=False)
    return document


# Document fields whose values ``_new_document`` sets itself (hashes, sizes,
# files, related instances) or has checked: not validated again per document.
_NOT_FROM_INPUT = [
    "kind",
    "language_confidence",
    "media_type",
    "extractor",
    # Not serialisable metadata fails the chunk's insert (json.dumps there),
    # and the one-by-one fallback names the record: not dumped twice here.
    "metadata",
    "original",
    "warc",
    "project",
    "source",
    "captured_by",
    "previous_version",
    "near_duplicate_of",
    "container",
    "record_offset",
    "record_length",
    "text",
    "text_sha256",
    "sha256",
    "size",
    "original_name",
    "extractor_version",
    "captured_at",
    "analysis_status",
    "analysis_error",
    "created_at",
]


def _clean_fields(document: Document, checked: _Checked) -> None:
    """``document.clean_fields(exclude=_NOT_FROM_INPUT)``, with each string
    cleaned once per chunk: a chunk's records mostly share their language,
    precision and the caller's values, and a field's cleaning depends on
    its value alone (no foreign key is checked here). Other values are
    cleaned every time, as Django does; the errors are Django's."""
    state = document.__dict__
    errors: dict[str, Any] = {}
    for f in _input_fields():
        attname = f.attname
        raw = state[attname] if attname in state else getattr(document, attname)
        if f.blank and raw in f.empty_values:
            continue
        if isinstance(raw, DatabaseDefault):
            continue
        # A choice's default (DatePrecision.DAY) is a str too; its type is
        # part of the key, so "day" and DAY are each cleaned once.
        key = (attname, type(raw), raw) if isinstance(raw, str) else None
        if key is not None and key in checked:
            cleaned = checked[key]
        else:
            try:
                cleaned = f.clean(raw, document)
            except ValidationError as exc:
                errors[f.name] = exc.error_list
                continue
            if key is not None:
                checked[key] = cleaned
        setattr(document, attname, cleaned)
    if errors:
        raise ValidationError(errors)


_INPUT_FIELDS: list[Any] = []


def _input_fields() -> list[Any]:
    """The fields ``_clean_fields`` checks: Django's ``clean_fields`` order."""
    if not _INPUT_FIELDS:
        excluded = set(_NOT_FROM_INPUT)
        _INPUT_FIELDS.extend(
            f
            for f in Document._meta.fields
            if f.name not in excluded and not f.generated
        )
    return _INPUT_FIELDS


def _container_of(item: Extracted, batch: Batch) -> OriginalFile | None:
    """The kept file holding this record, if it is one (``_keep_containers``)."""
    if item.container is None or item.span is None:
        return None
    return batch.containers.get(item.container.sha256)


def _saved_id(target: Document | Prepared | None) -> int | None:
    saved = _saved(target)
    return saved.pk if saved is not None else None


def _saved(target: Document | Prepared | None) -> Document | None:
    if isinstance(target, Prepared):
        return target.document if target.document and target.document.pk else None
    return target


def _bulk_write(accepted: list[Prepared], ctx: _Context) -> None:
    """Insert the chunk's documents and fingerprints (runs in a savepoint)."""
    checked: _Checked = {}

    def built() -> Iterator[Document]:
        for ready in list(accepted):
            try:
                yield _new_document(ready, ctx, checked)
            except ValidationError as exc:
                ready.failure = _validation_message(exc)
                if ready.document is not None:
                    _delete_files(ready.document)
                ready.document = None
                accepted.remove(ready)

    # One COPY (bulk_create off PostgreSQL), each document built while the
    # database takes the rows before it (two cores at work, not one after
    # the other).
    documents = insert_documents(built(), count=len(accepted))
    social_store.write_posts(
        [(r.document, r.item.social) for r in accepted if r.item.social and r.document],
        project=ctx.project,
    )
    # Links to documents stored earlier in this same chunk get their ids now.
    linked = []
    for ready in accepted:
        document = ready.document
        assert document is not None
        if isinstance(ready.previous, Prepared) or isinstance(ready.near, Prepared):
            document.previous_version = _saved(ready.previous)
            document.near_duplicate_of = _saved(ready.near)
            linked.append(document)
    if linked:
        Document.objects.bulk_update(linked, ["previous_version", "near_duplicate_of"])
    dedup.write_fingerprints(
        [(r.document, r.sig) for r in accepted if r.document and r.sig is not None]
    )
    for document in documents:
        _note_files(document, ctx.batch)


def _write_one_by_one(accepted: list[Prepared], ctx: _Context) -> None:
    """The slow path: each document in its own savepoint, failures reported."""
    for ready in accepted:
        item = ready.item
        try:
            with transaction.atomic():
                document = document_create(
                    project=ctx.project,
                    original=item.original,
                    text=ready.text,
                    original_name=item.name,
                    media_type=item.media_type,
                    captured_by=ctx.captured_by,
                    captured_at=ctx.captured_at,
                    extractor=item.extractor,
                    extractor_version=item.extractor_version[:40],
                    warc=ctx.warc,
                    source=ready.source,
                    previous_version=_saved(ready.previous),
                    near_duplicate_of=_saved(ready.near),
                    metadata=ready.metadata,
                    container=_container_of(item, ctx.batch),
                    record_span=item.span,
                    **ready.fields,
                )
                ready.document = document
                if item.social is not None:
                    social_store.write_posts(
                        [(document, item.social)], project=ctx.project
                    )
                if ready.sig is not None:
                    dedup.write_fingerprints([(document, ready.sig)])
        except DuplicateDocument as exc:
            _forget(ready)
            ready.duplicate_of = exc.existing
        except IntegrityError:
            # Another upload stored the same bytes between our check and insert.
            _forget(ready)
            ready.duplicate_of = Document.objects.filter(
                project=ctx.project, sha256=ready.sha256
            ).first()
            if ready.duplicate_of is None:
                ready.failure = "The database refused the document (integrity error)."
        except Exception as exc:
            logger.warning("Storing %s failed", item.name, exc_info=True)
            _forget(ready)
            ready.failure = failure_reason(exc)
        else:
            _note_files(document, ctx.batch)


def _note_files(document: Document, batch: Batch) -> None:
    """Note a stored document's files, to be removed if the batch fails."""
    batch.stored += 1
    state = document.__dict__
    for name in ("original", "warc"):
        # The stored value, without the FieldFile a read of the field makes.
        value = state[name] if name in state else getattr(document, name)
        path = value.name if isinstance(value, FieldFile) else value
        if path:
            batch.files.append(str(path))


def _slim(document: Document) -> Document:
    """The document as outcomes keep it: its columns without its text and
    metadata (deferred: loaded again on access), so that a 10,000-post
    upload does not hold 10,000 full documents. The project, source and
    user it was stored with stay cached: one instance each, shared by all
    the documents, which callers that list them (the API) read."""
    # The same instance with the two columns made deferred (as ``from_db``
    # leaves them), rather than a second instance built per document.
    for name in ("text", "metadata"):
        document.__dict__.pop(name, None)
    for name in ("original", "warc"):
        value = document.__dict__.get(name)
        if isinstance(value, FieldFile):
            document.__dict__[name] = value.name
    # ``_immutable_values`` of the loaded columns, read off the instance.
    state = document.__dict__
    document._loaded_immutable = {
        name: state[name] for name in Document.IMMUTABLE_FIELDS if name in state
    }
    cache = document._state.fields_cache
    for name in ("previous_version", "near_duplicate_of"):
        # Links to other new documents: their ids stay, not their texts.
        cache.pop(name, None)
    return document


def _forget(ready: Prepared) -> None:
    """Undo the files of an item whose savepoint was rolled back."""
    if ready.document is not None:
        _delete_files(ready.document)
    ready.document = None


def _outcome(ready: Prepared) -> Outcome:
    name = ready.item.name
    if ready.duplicate_of is not None:
        existing = ready.duplicate_of
        if isinstance(existing, Prepared):
            if existing.document is None:
                return Outcome(
                    name,
                    FAILED,
                    message="Same content as another item of this upload, "
                    "which could not be stored.",
                )
            existing = existing.document
        return Outcome(name, DUPLICATE, existing, str(DuplicateDocument(existing)))
    document = ready.document
    if document is None or document.pk is None:
        return Outcome(name, FAILED, message=ready.failure or "Not stored.")
    message = ""
    previous = _saved(ready.previous)
    near = _saved(ready.near)
    if previous is not None:
        message = f"New version of document {previous.pk} (same URL, new content)."
    elif near is not None:
        message = (
            f"Near-duplicate of document {near.pk} "
            f"({near.title or 'untitled'}; similarity {ready.score:.0%})."
        )
    warning = ready.metadata.get("warning", "")
    return Outcome(name, STORED, _slim(document), f"{message} {warning}".strip())


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
