"""Hypothesis import: its annotation JSON onto the project's documents.

Accepts what the Hypothesis API returns: a search result
(``{"total", "rows": [...]}``), an array of annotations, one annotation,
or JSON Lines. Each annotation's ``uri`` (or ``target[0].source``) names
the document: Glossa's text representation or document IRI, or a
document's ``url``. Hypothesis counts ``TextPositionSelector`` offsets in
UTF-16 code units (JavaScript indices into the page's text); they are
converted against the stored text and used as a hint, and the
``TextQuoteSelector`` decides. An annotation whose quote is not in the
text refuses the file, naming it. ``tags`` become tags, ``text`` the note.
Page notes (no selector) and replies (``references``) have no span and
are refused one by one, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction

from corpus.models import Document
from exchange.imports.common import (
    ImportRefused,
    ImportResult,
    TagResolver,
    read_records,
)
from exchange.imports.spans import add_selected, read_selectors, selector_errors
from exchange.imports.w3c import _Documents
from exchange.units import Offsets
from projects.models import Project


def _rows(where: str, record: object) -> Iterator[tuple[str, object]]:
    if isinstance(record, dict) and isinstance(record.get("rows"), list):
        for index, row in enumerate(record["rows"], 1):
            yield f"{where}, row {index}", row
    else:
        yield where, record


def _selectors(row: dict[str, Any]) -> tuple[str, dict, dict]:
    if row.get("references"):
        raise ValueError("a reply has no span of its own")
    targets = row.get("target")
    if not isinstance(targets, list) or not targets or not isinstance(targets[0], dict):
        raise ValueError("no target")
    target = targets[0]
    source = row.get("uri") or target.get("source")
    if not isinstance(source, str) or not source:
        raise ValueError("no 'uri'")
    quote, position = read_selectors(target.get("selector") or [])
    if not quote:
        raise ValueError("a page note (no TextQuoteSelector) has no span to place")
    return source, quote, position


def _hint(document: Document, position: dict) -> tuple[int | None, int | None]:
    """UTF-16 positions as code points, or nothing when they do not fit."""
    try:
        return Offsets(document.text, "utf16").span_to_codepoints(
            position.get("start"), position.get("end")
        )
    except ValueError:
        return None, None


@transaction.atomic
def import_hypothesis(
    handle,
    *,
    project: Project,
    user,
    document: Document | None = None,
    create_tags: bool = False,
    name: str = "input",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    result = ImportResult()
    resolver = TagResolver(project, user, create_missing=create_tags)
    documents = _Documents(project, document)
    count = 0
    for where, record in read_records(handle, name=name):
        for row_where, row in _rows(where, record):
            count += 1
            ident = str(row.get("id") or row_where) if isinstance(row, dict) else where
            with selector_errors(name, ident, result):
                if not isinstance(row, dict):
                    raise ValueError("not an annotation object")
                source, quote, position = _selectors(row)
                doc = documents.find(source)
                if doc is None:
                    raise ValueError(f"{source} is not a document of this project")
                labels = row.get("tags") or []
                if not isinstance(labels, list):
                    raise ValueError("'tags' must be a list")
                note = row.get("text") if isinstance(row.get("text"), str) else ""
                add_selected(
                    doc,
                    quote,
                    _hint(doc, position) if position else (None, None),
                    labels=labels,
                    note=note or "",
                    resolver=resolver,
                    user=user,
                    result=result,
                )
            if progress:
                progress(count)
    resolver.raise_for_unknown()
    if count == 0:
        raise ImportRefused(f"{name} holds no annotations.")
    result.tags_created = resolver.created
    return result
