"""doccano sequence-labelling JSONL, the shape doccano's own export has.

One line per document: ``{"id", "text", "label": [[start, end, "LABEL"],
...], "Comments": []}`` plus the document's title and Glossa IRI, which
doccano keeps as the example's metadata. doccano's upload reads the
``text`` and ``label`` columns by default, so the file imports as it is.

Offsets are in doccano's unit: UTF-16 code units (JavaScript string
indices, doccano's default) or grapheme clusters for a project created
with "Count grapheme clusters as one character". One label per tag; spans
without a tag are left out (doccano has no unlabelled span). A span edge
inside a grapheme cluster cannot be written in grapheme mode: the span is
widened to whole clusters and listed under ``glossa_widened``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial

from exchange.exports.base import Progress, document_iri, no_progress, public_base_url
from exchange.exports.tools import documents_with_annotations, tag_keys
from exchange.units import Offsets, Unit
from projects.models import Project


def _edge(offsets: Offsets, offset: int, *, end: bool) -> tuple[int, bool]:
    """``offset`` in the unit, widened outwards if it splits a cluster."""
    try:
        return offsets.from_codepoints(offset), False
    except ValueError:
        step = 1 if end else -1
        while True:
            offset += step
            try:
                return offsets.from_codepoints(offset), True
            except ValueError:
                continue


def stream_doccano(
    project: Project,
    *,
    unit: Unit = "utf16",
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    for document, spans_of in documents_with_annotations(project, progress):
        offsets = Offsets(document.text, unit)
        labels, widened = [], []
        for annotation in spans_of:
            start, moved_start = _edge(offsets, annotation.start, end=False)
            end, moved_end = _edge(offsets, annotation.end, end=True)
            for key in tag_keys(annotation):
                labels.append([start, end, key])
                if moved_start or moved_end:
                    widened.append([annotation.start, annotation.end, key])
        line = {
            "id": document.pk,
            "text": document.text,
            "title": document.title,
            "glossa_document": document_iri(base, document),
            "label": sorted(labels),
            "Comments": [],
        }
        if widened:
            line["glossa_widened"] = widened
        yield (json.dumps(line, ensure_ascii=False) + "\n").encode()


stream_doccano_graphemes = partial(stream_doccano, unit="grapheme")
