"""BRAT standoff import: a zip of ``NAME.txt`` + ``NAME.ann`` pairs.

BRAT counts offsets in code points of the ``.txt`` file (its server is
Python). Text-bound annotations (``T1<TAB>Label 10 24<TAB>text``) become
spans, checked against the text BRAT recorded for them (BRAT writes a
line break inside a span as a space, so both sides are compared that
way); ``#1<TAB>AnnotatorNotes T1<TAB>note`` lines become the note.
Relations, events, attributes and normalisations have no Glossa
equivalent and are left out (docs/exchange.md lists what is lost). A
discontinuous span (``10 14;20 24``) cannot be one Glossa annotation and
refuses the file, naming it, like any span that does not match.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator

from exchange.imports.common import ImportRefused, ImportResult
from exchange.imports.spans import (
    ForeignSpan,
    ForeignText,
    checked_span,
    refusing_file,
    tool_zip,
    write_texts,
)
from exchange.units import Offsets
from projects.models import Project


def _read(archive: zipfile.ZipFile, member: str, name: str) -> str:
    try:
        return archive.read(member).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{name}: {member} is not UTF-8 ({exc}).") from exc


def _same(a: str, b: str) -> bool:
    return a.replace("\n", " ") == b.replace("\n", " ")


def _integer(value: str) -> int | str:
    """An offset as written; ``checked_span`` refuses one that is not a number."""
    return int(value) if value.isdigit() else value


def parse_ann(text: str, ann: str, where: str) -> list[ForeignSpan]:
    """The text-bound annotations of one ``.ann`` file, checked."""
    offsets = Offsets(text, "codepoint")
    spans: dict[str, ForeignSpan] = {}
    notes: list[tuple[str, str, str]] = []
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        line_where = f"{where}, line {number}"
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T"):
            if len(fields) < 3:
                raise ValueError(f"{line_where}: expected ID, type and offsets, text")
            label, _, ranges = fields[1].partition(" ")
            span_where = f"{line_where} ({ident} {fields[1]})"
            if ";" in ranges:
                raise ValueError(
                    f"{span_where}: a discontinuous span cannot be one annotation"
                )
            bounds = ranges.split()
            if len(bounds) != 2:
                raise ValueError(f"{span_where}: bad offsets {ranges!r}")
            s, e = checked_span(
                offsets,
                _integer(bounds[0]),
                _integer(bounds[1]),
                where=span_where,
                quote=fields[2],
                same=_same,
            )
            spans[ident] = ForeignSpan(s, e, [label], span_where)
        elif ident.startswith("#") and len(fields) >= 3:
            kind, _, target = fields[1].partition(" ")
            if kind == "AnnotatorNotes":
                notes.append((target.strip(), fields[2], line_where))
    for target, note, line_where in notes:
        if target not in spans:
            raise ValueError(f"{line_where}: the note is on {target}, not a text span")
        spans[target].note = "\n\n".join(n for n in (spans[target].note, note) if n)
    return list(spans.values())


def brat_texts(handle, *, name: str) -> Iterator[ForeignText]:
    archive = tool_zip(handle, name=name)
    members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    pairs = sorted(m for m in members if m.endswith(".ann"))
    if not pairs:
        raise ImportRefused(f"{name} holds no .ann file.")
    for ann_name in pairs:
        txt_name = ann_name[: -len(".ann")] + ".txt"
        if txt_name not in members:
            raise ImportRefused(f"{name}: {ann_name} has no {txt_name} beside it.")
        text = _read(archive, txt_name, name)
        if not text.strip():
            raise ImportRefused(f"{name}: {txt_name} is empty.")
        where = posixpath.basename(ann_name)
        with refusing_file(name):
            spans = parse_ann(text, _read(archive, ann_name, name), where)
        title = posixpath.basename(txt_name)[: -len(".txt")]
        yield ForeignText(where, text, spans, title)


def import_brat(
    handle,
    *,
    project: Project,
    user,
    create_tags: bool = False,
    name: str = "input",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    return write_texts(
        brat_texts(handle, name=name),
        tool="brat",
        project=project,
        user=user,
        create_tags=create_tags,
        name=name,
        progress=progress,
    )
