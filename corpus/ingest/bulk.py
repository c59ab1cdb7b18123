"""JSON Lines and CSV bulk records: one document per record.

A record needs a ``text`` field (``body`` or ``content`` also work). Known
fields fill the Document (title, author or speaker, speaker_role or role,
platform, publisher, published_at or date, url, kind, language, source);
everything else is kept in ``metadata``. A bad record is reported with its
line or row number; the other records still go in.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from typing import Any

from corpus.ingest.base import (
    Container,
    Extracted,
    ExtractionError,
    invalid_text_reason,
    parse_date,
)
from corpus.ingest.text import decode_text

NAME_JSONL = "glossa.jsonl"
NAME_CSV = "glossa.csv"
VERSION = "1"

TEXT_KEYS = ("text", "body", "content")
FIELD_ALIASES = {
    "title": "title",
    "headline": "title",
    "author": "author",
    "speaker": "author",
    "byline": "author",
    "speaker_role": "speaker_role",
    "role": "speaker_role",
    "platform": "platform",
    "publisher": "publisher",
    "outlet": "publisher",
    "published_at": "published_at",
    "date": "published_at",
    "url": "url",
    "link": "url",
    "kind": "kind",
    "language": "language",
    "source": "source",
}


class RecordError(ExtractionError):
    """One record of a bulk file is bad; ``name`` says which one."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name = name


def record_to_extracted(
    record: dict[str, Any], *, name: str, original: bytes, extractor: str, media: str
) -> Extracted:
    lowered = {str(k).strip().lower(): v for k, v in record.items()}
    text_key = next((k for k in TEXT_KEYS if lowered.get(k)), None)
    if text_key is None or not str(lowered[text_key]).strip():
        raise RecordError(name, "The record has no 'text' field (or it is empty).")
    item = Extracted(
        text=str(lowered.pop(text_key)),
        extractor=extractor,
        extractor_version=VERSION,
        original=original,
        name=name,
        media_type=media,
    )
    extra: dict[str, Any] = {}
    for key, value in lowered.items():
        target = FIELD_ALIASES.get(key)
        if target is None or value in (None, ""):
            if value not in (None, "") and key not in TEXT_KEYS:
                extra[key] = value
            continue
        value = str(value).strip()
        if target == "published_at":
            parsed = parse_date(value)
            if parsed is None:
                raise RecordError(name, f"Unreadable date {value!r} (use ISO 8601).")
            item.published_at = parsed
        elif target in {"title", "author", "url"}:
            setattr(item, target, value)
        else:
            item.fields[target] = value
    item.metadata = extra
    return item


def extract_jsonl(data: bytes, name: str) -> list[Extracted | RecordError]:
    """One document per line (or per record of a JSON array).

    A line's original is its bytes in the file. When the file is UTF-8 those
    bytes are a range of the file, so the file is kept once and each record
    points to its range (``Extracted.container``, ``span``) instead of one
    file being written per record.
    """
    text, encoding = decode_text(data)
    stripped = text.lstrip()
    items: list[Extracted | RecordError] = []
    starts: dict[int, int] = {}  # line number -> its first byte in ``data``
    container: Container | None = None
    if stripped.startswith("["):
        # A JSON array of records is accepted too (a common export shape).
        try:
            records = json.loads(stripped)
        except ValueError as exc:
            raise ExtractionError(f"The JSON file is not valid JSON ({exc}).") from exc
        lines = [
            (index, json.dumps(r, ensure_ascii=False, sort_keys=True), r)
            for index, r in enumerate(records, start=1)
        ]
        label = "record"
    else:
        lines = []
        if encoding == "utf-8":
            container = Container(data, name, "application/jsonl")
        offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        plain = container is not None and data.isascii()
        for number, (line, raw) in enumerate(
            zip(text.splitlines(), text.splitlines(keepends=True), strict=True),
            start=1,
        ):
            if container is not None:
                starts[number] = offset
                offset += len(raw) if plain else len(raw.encode("utf-8"))
            if not line.strip():
                continue
            try:
                lines.append((number, line, json.loads(line)))
            except ValueError as exc:
                items.append(
                    RecordError(f"{name} line {number}", f"Not valid JSON ({exc}).")
                )
        label = "line"
    for number, raw, record in lines:
        record_name = f"{name} {label} {number}"
        if not isinstance(record, dict):
            items.append(RecordError(record_name, "The record is not a JSON object."))
            continue
        try:
            original = raw.encode("utf-8")
        except UnicodeEncodeError:
            items.append(RecordError(record_name, invalid_text_reason({"record": raw})))
            continue
        try:
            item = record_to_extracted(
                record,
                name=record_name,
                original=original,
                extractor=NAME_JSONL,
                media="application/json",
            )
        except RecordError as exc:
            items.append(exc)
            continue
        start = starts.get(number)
        if (
            container is not None
            and start is not None
            and data[start : start + len(original)] == original
        ):
            item.container = container
            item.span = (start, len(original))
        items.append(item)
    if not items:
        raise ExtractionError("The JSON Lines file has no records.")
    return items


def extract_csv(data: bytes, name: str) -> list[Extracted | RecordError]:
    text, _ = decode_text(data)
    sample = text[:8192]
    delimiter = "\t" if name.lower().endswith(".tsv") else ","
    with contextlib.suppress(csv.Error):
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    # Long articles in one cell exceed csv's default 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ExtractionError("The CSV file is empty.") from exc
    except csv.Error as exc:
        raise ExtractionError(f"The CSV file cannot be read ({exc}).") from exc
    columns = [h.strip() for h in header]
    if not any(c.lower() in TEXT_KEYS for c in columns):
        raise ExtractionError(
            "The CSV file has no 'text' column (the header must name one of: "
            + ", ".join(TEXT_KEYS)
            + ")."
        )
    items: list[Extracted | RecordError] = []
    try:
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            record_name = f"{name} row {number}"
            if len(row) != len(columns):
                items.append(
                    RecordError(
                        record_name,
                        f"Expected {len(columns)} columns, found {len(row)}.",
                    )
                )
                continue
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(columns)
            writer.writerow(row)
            try:
                items.append(
                    record_to_extracted(
                        dict(zip(columns, row, strict=True)),
                        name=record_name,
                        original=buffer.getvalue().encode("utf-8"),
                        extractor=NAME_CSV,
                        media="text/csv",
                    )
                )
            except RecordError as exc:
                items.append(exc)
    except csv.Error as exc:
        items.append(RecordError(name, f"The CSV file is malformed ({exc})."))
    if not items:
        raise ExtractionError("The CSV file has no records.")
    return items
