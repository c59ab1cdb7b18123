"""Prodigy JSONL: one accepted example per document, with tokens and spans.

``{"text", "meta", "tokens": [{"text", "start", "end", "id", "ws"}],
"spans": [{"start", "end", "label", "token_start", "token_end"}],
"answer": "accept"}`` — what ``prodigy db-in`` and ``ner.manual`` read.
Offsets are code points (Prodigy is Python). Tokens come from a blank
spaCy pipeline of the document's language; ``token_end`` is the last
token the span touches (inclusive, as Prodigy counts). One span per tag;
spans without a tag and notes are left out.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator

from corpus.nlp.tokens import token_offsets
from exchange.exports.base import Progress, document_iri, no_progress, public_base_url
from exchange.exports.tools import documents_with_annotations, tag_keys
from projects.models import Project


def stream_prodigy(
    project: Project,
    *,
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    for document, spans_of in documents_with_annotations(project, progress):
        offsets = token_offsets(document.text, document.language or "en")
        starts = [start for start, _, _ in offsets]
        spans = [
            {
                "start": a.start,
                "end": a.end,
                "label": key,
                "token_start": max(0, bisect_right(starts, a.start) - 1),
                "token_end": max(0, bisect_right(starts, a.end - 1) - 1),
            }
            for a in spans_of
            for key in tag_keys(a)
        ]
        line = {
            "text": document.text,
            "meta": {
                "title": document.title,
                "glossa_document": document_iri(base, document),
            },
            "tokens": [
                {
                    "text": document.text[s:e],
                    "start": s,
                    "end": e,
                    "id": i,
                    "ws": ws,
                }
                for i, (s, e, ws) in enumerate(offsets)
            ],
            "spans": spans,
            "answer": "accept",
        }
        yield (json.dumps(line, ensure_ascii=False) + "\n").encode()
