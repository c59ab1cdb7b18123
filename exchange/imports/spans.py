"""Text-span imports (doccano, Label Studio, Prodigy, BRAT, INCEpTION):
documents plus annotations, each offset read in its tool's unit; and the
checks every importer shares (``checked_span``, ``tool_zip``,
``refusing_file``; for the selector formats W3C and Hypothesis,
``read_selectors``, ``add_selected`` and ``selector_errors``).

Every format is parsed into ``ForeignText`` records whose spans are already
code points into the tool's text, checked against the tool's own quote
where it gives one (``check_quote``). ``write_texts`` then matches or
creates the documents and places each span on the stored (normalised)
text. Any span that cannot be converted, does not match its quote or
cannot be placed refuses the whole file with a message naming the span:
the transaction rolls back and nothing is written. A silently shifted span
is worse than no import.

Formats (see docs/exchange.md for the table):

* doccano sequence labelling JSONL, ``{"text", "label": [[s, e, "L"]]}``
  or with relations ``{"text", "entities": [{"start_offset", ...}]}``;
  offsets in UTF-16 code units (``unit="utf16"``, doccano's default) or
  grapheme clusters (``unit="grapheme"``, its grapheme mode).
* Label Studio JSON/JSONL tasks: ``data.text`` plus ``annotations[].result``
  (or ``predictions`` when a task has no annotation) items with
  ``value.start/end/text/labels`` in code points; when ``value.text`` is
  not at those code points but is at the same numbers read as UTF-16
  units (Label Studio before 1.x counted JavaScript indices), the UTF-16
  reading is used. The "min" export (``{"text", "label": [...]}``) works too.
* Prodigy JSONL: ``text``, ``spans`` (code points), ``answer``: only
  accepted examples (or ones without an answer) are read.
"""

from __future__ import annotations

import contextlib
import operator
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import transaction

from corpus.ingest import queue_analysis
from corpus.models import Document
from exchange.imports.common import (
    ImportRefused,
    ImportResult,
    TagResolver,
    annotation_add,
    check_text,
    document_for_text,
    find_anchor,
    read_records,
    span_in_document,
)
from exchange.units import Offsets, Unit
from projects.models import Project

if TYPE_CHECKING:
    from annotations.models import Tag

# Top-level keys of a doccano line that are not its metadata (doccano
# spreads an example's meta into the line on export).
DOCCANO_KEYS = {"id", "text", "label", "entities", "relations", "Comments"}
MAX_ZIP_BYTES = 200 * 1024 * 1024  # without GLOSSA_MAX_ARCHIVE_BYTES


@dataclass
class ForeignSpan:
    """One span, in code points into the tool's text."""

    start: int
    end: int
    labels: list[str]
    where: str
    note: str = ""


@dataclass
class ForeignText:
    """One text of a tool's export with its spans."""

    where: str
    text: str
    spans: list[ForeignSpan]
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    # (item, reason) for parts left out, reported in ``ImportResult.refused``
    refused: list[tuple[str, str]] = field(default_factory=list)


def check_quote(
    text: str,
    start: int,
    end: int,
    quote: object,
    where: str,
    *,
    same: Callable[[str, str], bool] = operator.eq,
) -> None:
    """The tool's own quote must be the text at the converted offsets
    (``same`` compares them, for tools that rewrite line breaks)."""
    if isinstance(quote, str) and quote and not same(text[start:end], quote):
        raise ValueError(
            f"{where}: the text at {start}-{end} is {text[start:end][:40]!r}, "
            f"not the tool's quote {quote[:40]!r}"
        )


def checked_span(
    offsets: Offsets,
    start: object,
    end: object,
    *,
    where: str,
    quote: object = None,
    same: Callable[[str, str], bool] = operator.eq,
) -> tuple[int, int]:
    """A tool's span as code points into its text: integers, in order, not
    empty, inside the text (``offsets`` converts from the tool's unit) and
    matching the tool's quote. The check every file reader makes; raises
    ``ValueError`` naming the span (``where``)."""
    try:
        s, e = offsets.span_to_codepoints(start, end)
    except ValueError as exc:
        raise ValueError(f"{where}: bad offsets ({exc})") from exc
    check_quote(offsets.text, s, e, quote, where, same=same)
    return s, e


def tool_zip(handle, *, name: str, hint: str = "") -> zipfile.ZipFile:
    """A tool's zip export, refused when it is not a zip or expands past
    ``GLOSSA_MAX_ARCHIVE_BYTES`` (checked before anything is read)."""
    try:
        archive = zipfile.ZipFile(handle)
    except zipfile.BadZipFile as exc:
        raise ImportRefused(f"{name} is not a zip file ({exc}){hint}.") from exc
    limit = getattr(settings, "GLOSSA_MAX_ARCHIVE_BYTES", MAX_ZIP_BYTES)
    if sum(info.file_size for info in archive.infolist()) > limit:
        raise ImportRefused(f"{name} expands to more than {limit} bytes.")
    return archive


@contextlib.contextmanager
def refusing_file(name: str) -> Iterator[None]:
    """A span that fails its check refuses the whole file, naming it."""
    try:
        yield
    except ValueError as exc:
        raise ImportRefused(f"{name}, {exc}. Nothing was imported.") from exc


# ------------------------------------------- W3C and Hypothesis selectors


class SpanMismatch(ValueError):
    """Selectors that do not match the document's text: refuses the file."""


def read_selectors(selectors: object) -> tuple[dict, dict]:
    """The ``TextQuoteSelector`` and ``TextPositionSelector`` of a target
    (empty dicts for those absent); other selectors are ignored."""
    quote: dict = {}
    position: dict = {}
    items = selectors if isinstance(selectors, list) else [selectors]
    for selector in items:
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector":
            quote = selector
        elif selector.get("type") == "TextPositionSelector":
            position = selector
    exact = quote.get("exact")
    if quote and (not isinstance(exact, str) or not exact):
        raise ValueError("the TextQuoteSelector has no 'exact' string")
    return quote, position


def place_selectors(
    document: Document,
    *,
    exact: str | None,
    prefix: str = "",
    suffix: str = "",
    start: object = None,
    end: object = None,
) -> tuple[int, int]:
    """The span the selectors describe on the stored text (code points),
    or ``SpanMismatch`` saying why there is none."""
    span = find_anchor(
        document.text,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start if isinstance(start, int) else None,
        end=end if isinstance(end, int) else None,
    )
    if span is None:
        raise SpanMismatch(
            "the selectors do not match the document's text"
            + (f" (quote {exact[:40]!r} not found)" if exact else "")
        )
    return span


def add_selected(
    document: Document,
    quote: dict,
    position: tuple[object, object],
    *,
    labels: list,
    note: str,
    resolver: TagResolver,
    user,
    result: ImportResult,
) -> None:
    """Place one selector-anchored annotation (W3C, Hypothesis) and add it;
    ``SpanMismatch`` when its selectors do not match the stored text. An
    unknown label adds nothing: ``resolver`` refuses the import at the end."""
    span = place_selectors(
        document,
        exact=quote.get("exact"),
        prefix=str(quote.get("prefix") or ""),
        suffix=str(quote.get("suffix") or ""),
        start=position[0],
        end=position[1],
    )
    tags = [resolver.resolve(label) for label in labels]
    if any(tag is None for tag in tags):
        return
    annotation_add(
        document=document,
        user=user,
        start=span[0],
        end=span[1],
        tags=cast("list[Tag]", tags),  # no None: returned above
        note=note,
        result=result,
    )


@contextlib.contextmanager
def selector_errors(name: str, ident: str, result: ImportResult) -> Iterator[None]:
    """Selectors that do not match refuse the file (nothing is written); any
    other problem refuses this annotation alone, with the reason."""
    try:
        yield
    except SpanMismatch as exc:
        raise ImportRefused(
            f"{name}, {ident}: {exc}. Nothing was imported.", extra={"span": ident}
        ) from exc
    except ValueError as exc:
        result.refused.append((ident, str(exc)))


def _labels_of(value: dict[str, Any], where: str) -> list[str]:
    labels = value.get("labels")
    if labels is None and "label" in value:
        labels = [value["label"]]
    if not isinstance(labels, list) or not labels:
        raise ValueError(f"{where}: the span has no 'labels' list")
    return labels


# ---------------------------------------------------------------- doccano


def parse_doccano(record: dict[str, Any], where: str, unit: Unit) -> ForeignText:
    """One doccano line; offsets in ``unit`` (UTF-16 units or graphemes)."""
    text = check_text(record.get("text"), where)
    raw: list[tuple[object, object, object]] = []
    labels = record.get("label")
    if labels is not None:
        if not isinstance(labels, list):
            raise ValueError(f"{where}: 'label' must be a list")
        for item in labels:
            if isinstance(item, dict):  # Label Studio's min export
                raw.append((item.get("start"), item.get("end"), item))
            elif isinstance(item, list) and len(item) == 3:
                raw.append((item[0], item[1], item[2]))
            else:
                raise ValueError(
                    f'{where}: each label must be [start, end, "LABEL"], got {item!r}'
                )
    for item in record.get("entities") or []:
        if not isinstance(item, dict):
            raise ValueError(f"{where}: each entity must be an object")
        raw.append(
            (item.get("start_offset"), item.get("end_offset"), item.get("label"))
        )
    offsets = Offsets(text, unit)
    utf16 = Offsets(text, "utf16")
    spans = []
    for number, (start, end, label) in enumerate(raw, 1):
        if isinstance(label, dict):  # Label Studio's min export: code points
            span_where = (
                f"{where}, span {number} [{start}, {end}, {label.get('labels')!r}]"
            )
            s, e = _ls_position(text, label, span_where, utf16)
            spans.append(ForeignSpan(s, e, _labels_of(label, span_where), span_where))
            continue
        span_where = f"{where}, span {number} [{start!r}, {end!r}, {label!r}] ({unit})"
        try:
            s, e = offsets.span_to_codepoints(start, end)
        except ValueError as exc:
            raise ValueError(f"{span_where}: {exc}") from exc
        spans.append(ForeignSpan(s, e, [cast("str", label)], span_where))
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else None
    if meta is None:
        meta = {k: v for k, v in record.items() if k not in DOCCANO_KEYS}
    title = record.get("title") or (meta or {}).get("title") or ""
    return ForeignText(where, text, spans, str(title), meta or {})


# ----------------------------------------------------------- Label Studio


def _ls_text(data: dict[str, Any], where: str) -> str:
    """``data.text``, or the task's only string when the config names the
    field otherwise (``$body``)."""
    if "text" in data:
        return check_text(data["text"], where)
    strings = [v for v in data.values() if isinstance(v, str) and v.strip()]
    if len(strings) == 1:
        return strings[0]
    raise ValueError(f"{where}: 'data' has no 'text'")


def _ls_position(
    text: str, value: dict[str, Any], where: str, utf16: Offsets
) -> tuple[int, int]:
    """Code points for a Label Studio span: as given, or read as UTF-16
    units when that is where ``value.text`` is (older versions)."""
    start, end, quote = value.get("start"), value.get("end"), value.get("text")
    if not isinstance(quote, str) or not quote:
        try:
            return Offsets(text, "codepoint").span_to_codepoints(start, end)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from exc
    readings = []
    for offsets in (Offsets(text, "codepoint"), utf16):
        try:
            s, e = offsets.span_to_codepoints(start, end)
        except ValueError as exc:
            readings.append(f"as {offsets.unit}: {exc}")
            continue
        if text[s:e] == quote:
            return s, e
        readings.append(f"as {offsets.unit} the text there is {text[s:e][:40]!r}")
    raise ValueError(
        f"{where}: the tool's quote {quote[:40]!r} is not at these offsets ("
        + "; ".join(readings)
        + ")"
    )


def parse_labelstudio(record: dict[str, Any], where: str) -> ForeignText:
    if "data" not in record:  # the "min" JSON export: doccano-like
        return parse_doccano(record, where, "codepoint")
    data = record["data"]
    if not isinstance(data, dict):
        raise ValueError(f"{where}: 'data' must be an object")
    text = _ls_text(data, where)
    groups = record.get("annotations") or record.get("completions") or []
    if not isinstance(groups, list):
        raise ValueError(f"{where}: 'annotations' must be a list")
    groups = [g for g in groups if isinstance(g, dict) and not g.get("was_cancelled")]
    refused: list[tuple[str, str]] = []
    if not groups:
        predictions = record.get("predictions") or []
        groups = [g for g in predictions if isinstance(g, dict)]
        if predictions and not groups:
            # Label Studio's plain JSON export lists predictions by id only
            refused.append(
                (
                    f"{where}, predictions {predictions!r}"[:200],
                    "listed by id only, without their results (Label Studio's "
                    "plain export); export a snapshot with predictions included",
                )
            )
    utf16 = Offsets(text, "utf16")
    spans = []
    for group in groups:
        notes: dict[object, str] = {}
        regions: dict[object, ForeignSpan] = {}
        for number, item in enumerate(group.get("result") or [], 1):
            if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                raise ValueError(f"{where}: a result item has no 'value' object")
            value = item["value"]
            if item.get("type") == "textarea" and item.get("id"):
                lines = value.get("text")
                lines = lines if isinstance(lines, list) else [lines]
                notes[item["id"]] = "\n".join(str(x) for x in lines if x)
                continue
            if "start" not in value:  # choices, ratings...: not text spans
                continue
            ident = item.get("id") or number
            span_where = (
                f"{where}, result {ident} [{value.get('start')}, {value.get('end')}, "
                f"{value.get('labels')!r}]"
            )
            s, e = _ls_position(text, value, span_where, utf16)
            span = ForeignSpan(s, e, _labels_of(value, span_where), span_where)
            spans.append(span)
            if item.get("id"):
                regions[item["id"]] = span
        for region, note in notes.items():
            if region in regions:
                regions[region].note = note
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    title = str(data.get("title") or "")
    return ForeignText(where, text, spans, title, meta or {}, refused)


# ---------------------------------------------------------------- Prodigy


def parse_prodigy(record: dict[str, Any], where: str) -> ForeignText | None:
    """An accepted Prodigy example; ``None`` for rejected or ignored ones."""
    if record.get("answer") not in (None, "accept"):
        return None
    text = check_text(record.get("text"), where)
    offsets = Offsets(text, "codepoint")
    spans = []
    for number, item in enumerate(record.get("spans") or [], 1):
        if not isinstance(item, dict):
            raise ValueError(f"{where}: each span must be an object")
        span_where = (
            f"{where}, span {number} [{item.get('start')}, {item.get('end')}, "
            f"{item.get('label')!r}]"
        )
        try:
            s, e = offsets.span_to_codepoints(item.get("start"), item.get("end"))
        except ValueError as exc:
            raise ValueError(f"{span_where}: {exc}") from exc
        check_quote(text, s, e, item.get("text"), span_where)
        spans.append(ForeignSpan(s, e, _labels_of(item, span_where), span_where))
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    return ForeignText(where, text, spans, str((meta or {}).get("title") or ""), {})


# ------------------------------------------------------------ the writer


def texts_from_records(
    handle, *, name: str, parse: Callable[[dict[str, Any], str], ForeignText | None]
) -> Iterator[ForeignText]:
    """Parse JSON / JSON Lines records, naming the file in every error.

    A zip (doccano hands its export out as ``<project>.zip`` holding
    ``all.jsonl`` or one ``<user>.jsonl`` per annotator) is read member by
    member."""
    head = handle.read(4)
    handle.seek(0)
    if head == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile as exc:
            raise ImportRefused(f"{name} is not a valid zip file ({exc}).") from exc
        members = sorted(
            m for m in archive.namelist() if m.endswith((".jsonl", ".json"))
        )
        if not members:
            raise ImportRefused(f"{name} holds no .jsonl or .json file.")
        for member in members:
            with archive.open(member) as inner:
                yield from texts_from_records(
                    inner, name=f"{name}:{member}", parse=parse
                )
        return
    for where, record in read_records(handle, name=name):
        if not isinstance(record, dict):
            raise ImportRefused(f"{name}, {where}: expected an object with 'text'.")
        try:
            parsed = parse(record, where)
        except ValueError as exc:
            raise ImportRefused(f"{name}, {exc}. Nothing was imported.") from exc
        if parsed is not None:
            yield parsed


def _grouped(spans: Iterable[ForeignSpan]) -> list[ForeignSpan]:
    """Spans on the same offsets become one annotation with every label
    (Glossa's shape: one annotation, several tags)."""
    by_offsets: dict[tuple[int, int], ForeignSpan] = {}
    for span in spans:
        key = (span.start, span.end)
        if key in by_offsets:
            known = by_offsets[key]
            known.labels += [x for x in span.labels if x not in known.labels]
            if span.note and span.note not in known.note:
                known.note = "\n\n".join(n for n in (known.note, span.note) if n)
        else:
            by_offsets[key] = ForeignSpan(
                span.start, span.end, list(span.labels), span.where, span.note
            )
    return list(by_offsets.values())


@transaction.atomic
def write_texts(
    texts: Iterable[ForeignText],
    *,
    tool: str,
    project: Project,
    user,
    create_tags: bool = False,
    name: str = "input",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Store parsed texts and their spans; refuse the file on any bad span."""
    result = ImportResult()
    resolver = TagResolver(project, user, create_missing=create_tags)
    count = 0
    for foreign in texts:
        try:
            resolved = [
                (span, [resolver.resolve(label) for label in span.labels])
                for span in _grouped(foreign.spans)
            ]
        except ValueError as exc:
            raise ImportRefused(f"{name}, {foreign.where}: {exc}.") from exc
        document = document_for_text(
            project=project,
            user=user,
            text=foreign.text,
            name=f"{tool}-{foreign.where.replace(' ', '-')}.txt",
            tool=tool,
            title=foreign.title,
            metadata={"meta": foreign.meta} if foreign.meta else {},
            result=result,
        )
        result.refused.extend(foreign.refused)
        for span, tags in resolved:
            if any(tag is None for tag in tags):
                continue  # unknown label: the import is refused below
            try:
                s, e = span_in_document(document, foreign.text, span.start, span.end)
                annotation_add(
                    document=document,
                    user=user,
                    start=s,
                    end=e,
                    tags=cast("list[Tag]", tags),  # no None: skipped above
                    note=span.note,
                    result=result,
                )
            except ValueError as exc:
                raise ImportRefused(
                    f"{name}, {span.where}: {exc}. Nothing was imported.",
                    extra={"span": span.where},
                ) from exc
        count += 1
        if progress:
            progress(count)
    resolver.raise_for_unknown()
    if count == 0:
        raise ImportRefused(f"{name} holds no records.")
    result.tags_created = resolver.created
    # One analysis job for every new document, started once the import commits.
    queue_analysis(project=project, documents=result.new_documents, user=user)
    return result


def import_spans(
    handle,
    *,
    tool: str,
    project: Project,
    user,
    create_tags: bool = False,
    name: str = "input",
    unit: Unit = "utf16",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import doccano (``tool="doccano"``, offsets in ``unit``), Label Studio
    (``"labelstudio"``) or Prodigy (``"prodigy"``) JSON / JSON Lines."""
    parsers: dict[str, Callable[[dict[str, Any], str], ForeignText | None]] = {
        "doccano": lambda record, where: parse_doccano(record, where, unit),
        "labelstudio": parse_labelstudio,
        "prodigy": parse_prodigy,
    }
    if tool not in parsers:
        raise ValueError(f"Unknown tool {tool!r}.")
    return write_texts(
        texts_from_records(handle, name=name, parse=parsers[tool]),
        tool=tool,
        project=project,
        user=user,
        create_tags=create_tags,
        name=name,
        progress=progress,
    )
