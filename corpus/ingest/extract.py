"""One entry point from bytes to extracted documents, whatever the format.

``extract_all`` never raises for bad input: it returns extracted documents
and ``Failure`` items side by side, so one bad file (or record, or archive
member) never stops the others.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

from corpus.ingest import (
    archives,
    bulk,
    docx,
    feeds,
    html,
    markdown,
    pdf,
    social,
    text,
)
from corpus.ingest.base import Extracted, ExtractionError, invalid_text_reason
from corpus.ingest.detect import MEDIA_TYPES, extension_format, sniff

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Failure:
    """A file, record or archive member that could not be ingested, and why."""

    name: str
    reason: str


EXTRACTORS: dict[
    str, Callable[[bytes, str], Iterable[Extracted | bulk.RecordError]]
] = {
    "text": text.extract,
    "markdown": markdown.extract,
    "html": html.extract,
    "pdf": pdf.extract,
    "docx": docx.extract,
    "feed": feeds.extract,
    "jsonl": bulk.extract_jsonl,
    "csv": bulk.extract_csv,
    "x_tweets": social.extract_x,
    "telegram": social.extract_telegram,
    "activitypub": social.extract_outbox,
    "social_zip": social.extract_archive,
}


# Formats whose extractor yields its documents lazily (social exports of
# thousands of posts): ``extract_iter`` hands them on unread, so that they
# are stored a chunk at a time without the whole export in memory.
STREAMED = {"x_tweets", "telegram", "activitypub", "social_zip"}


def extract_all(
    data: bytes,
    name: str,
    *,
    budget: archives.Budget | None = None,
    depth: int = 0,
    container: dict | None = None,
) -> list[Extracted | Failure]:
    """Extract every document in ``data`` (a file, feed, bulk file or archive)."""
    return list(
        extract_iter(data, name, budget=budget, depth=depth, container=container)
    )


def extract_iter(
    data: bytes,
    name: str,
    *,
    budget: archives.Budget | None = None,
    depth: int = 0,
    container: dict | None = None,
) -> Iterable[Extracted | Failure]:
    """As ``extract_all``, but a social export's posts come as a generator
    (``STREAMED``), read one by one as the caller iterates; a file that
    cannot be read at all is still reported at once."""
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES
    if len(data) > limit:
        return [
            Failure(
                name,
                f"The file is too large ({len(data):,} bytes; the limit is "
                f"{limit:,} bytes, GLOSSA_MAX_UPLOAD_BYTES).",
            )
        ]
    try:
        fmt = sniff(data, name)
    except ExtractionError as exc:
        return [Failure(name, str(exc))]
    if fmt in {"zip", "tar"}:
        return _extract_archive(data, name, fmt, budget, depth)
    try:
        items = EXTRACTORS[fmt](data, name)
        if fmt not in STREAMED:
            items = list(items)
    except ExtractionError as exc:
        return [Failure(name, str(exc))]
    except RecursionError:
        return [Failure(name, "The file is nested too deeply to be read.")]
    except Exception as exc:
        # Hostile files can trip any parser in unforeseen ways; one bad file
        # must still be one clear failure, never a crash of the whole batch.
        logger.warning("Extractor %s failed on %s", fmt, name, exc_info=True)
        return [
            Failure(
                name,
                f"The file could not be read as {fmt.upper()} "
                f"({exc.__class__.__name__}: {exc}).",
            )
        ]
    checked = _checked(items, data, name, fmt, container)
    return _guarded(checked, name, fmt) if fmt in STREAMED else list(checked)


def _guarded(
    items: Iterator[Extracted | Failure], name: str, fmt: str
) -> Iterator[Extracted | Failure]:
    """A streamed file's items; should reading stop part-way (a stream that
    breaks after the first pass), the rest of the file is one failure, not
    an exception that would undo the other files' documents."""
    read = 0
    try:
        for item in items:
            read += 1
            yield item
    except Exception as exc:
        logger.warning("Extractor %s failed on %s", fmt, name, exc_info=True)
        yield Failure(
            name,
            f"Reading {name} stopped after {read} items "
            f"({exc.__class__.__name__}: {exc}); the rest was not read.",
        )


def _checked(
    items: Iterable[Extracted | bulk.RecordError],
    data: bytes,
    name: str,
    fmt: str,
    container: dict | None,
) -> Iterator[Extracted | Failure]:
    claimed = extension_format(name)
    entities = fmt in XML_FORMATS and _declares_entities(data)
    container_sha256 = ""
    for item in items:
        if isinstance(item, bulk.RecordError):
            yield Failure(item.name, str(item))
            continue
        # The boundary: text that cannot be stored fails here, on its own.
        problem = invalid_text_reason(
            {"text": item.text, "title": item.title, "author": item.author}
        )
        if problem:
            yield Failure(item.name or name, problem)
            continue
        if claimed and claimed != fmt and (claimed, fmt) not in SAME_FAMILY:
            item.metadata["detected_format"] = fmt
            item.metadata["warning"] = (
                f"The name says {claimed.upper()} but the content is "
                f"{fmt.upper()}; it was read as {fmt.upper()}."
            )
        if entities:
            _warn_entities(item)
        if item.original is not data:
            # Once per file, not per item: a 10,000-post export is hashed once.
            container_sha256 = container_sha256 or hashlib.sha256(data).hexdigest()
            item.metadata.setdefault("container", name)
            item.metadata.setdefault("container_sha256", container_sha256)
        if container:
            for key, value in container.items():
                item.metadata.setdefault(key, value)
        yield item


XML_FORMATS = {"feed", "html"}
# A name's format and a content's that are no mismatch: HTML named .xml, and a
# social export under its usual name (a .zip archive, result.json, outbox.json).
SAME_FAMILY = {
    ("feed", "html"),
    ("zip", "social_zip"),
    ("jsonl", "telegram"),
    ("jsonl", "activitypub"),
}
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
ENTITY_WARNING = (
    "The file declares XML entities (<!ENTITY ...>). They were not expanded "
    "(entities are never resolved, and external ones never fetched, to "
    "prevent XXE attacks), so any text they stood for is missing here."
)


def _declares_entities(data: bytes) -> bool:
    """Whether an XML/HTML file declares entities in its DOCTYPE (XXE or not)."""
    head = data[: 1 << 20]
    return b"<!DOCTYPE" in head.upper() and bool(_ENTITY.search(head))


def _warn_entities(item: Extracted) -> None:
    """Warn on the document (``metadata["warning"]``, shown in the report)."""
    current = item.metadata.get("warning", "")
    item.metadata["warning"] = f"{current} {ENTITY_WARNING}".strip()
    item.metadata["xml_entities_dropped"] = True


def _extract_archive(
    data: bytes, name: str, fmt: str, budget: archives.Budget | None, depth: int
) -> list[Extracted | Failure]:
    if depth >= archives.MAX_DEPTH:
        return [Failure(name, "Archives nested more than 3 deep are not opened.")]
    budget = budget or archives.Budget.from_settings()
    members = archives.zip_members if fmt == "zip" else archives.tar_members
    out: list[Extracted | Failure] = []
    container = {
        "archive": name,
        "archive_sha256": hashlib.sha256(data).hexdigest(),
        "archive_media_type": MEDIA_TYPES[fmt],
    }
    try:
        for member, content in members(data, name, budget):
            if isinstance(content, ExtractionError):
                out.append(Failure(member, str(content)))
                continue
            for item in extract_all(
                content, member, budget=budget, depth=depth + 1, container=container
            ):
                out.append(item)
    except archives.ArchiveRefused as exc:
        # Refused as a whole, up to the top-level archive: nothing from a bomb
        # (even one nested inside an innocent archive) is kept.
        if depth > 0:
            raise
        return [Failure(name, str(exc))]
    if not out:
        return [Failure(name, "The archive contains no files.")]
    return out
