"""JSONL export: one line per document, with its text and its annotations.

Offsets are code points into ``text`` (end-exclusive), as everywhere in
Glossa; ``sha256`` is the hash of the original bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from annotations.models import Annotation, Tag
from corpus.models import Document
from exchange.exports.base import (
    Progress,
    batched,
    no_progress,
    source_label,
    w3c_datetime,
)
from projects.models import Project

DOCS = 25  # documents per batch: their texts are the bulk of the memory


def stream_jsonl(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    documents = Document.objects.filter(project=project).select_related("source")
    total = documents.count()
    progress(0, total)
    done = 0
    for batch in batched(documents.order_by("pk").iterator(chunk_size=DOCS), DOCS):
        by_document: dict[int, list[Annotation]] = {}
        annotations = (
            Annotation.objects.filter(document__in=batch)
            .select_related("author")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("order")))
            .order_by("document_id", "start", "end", "pk")
        )
        for annotation in annotations:
            by_document.setdefault(annotation.document_id, []).append(annotation)
        for document in batch:
            yield _line(document, by_document.get(document.pk, []))
        done += len(batch)
        progress(done, total)


def _line(document: Document, annotations: list[Annotation]) -> bytes:
    line = {
        "id": document.pk,
        "title": document.title,
        "kind": document.kind,
        "source": source_label(document),
        "author": document.author,
        "speaker_role": document.speaker_role,
        "publisher": document.publisher,
        "url": document.url,
        "published_at": w3c_datetime(document.published_at),
        "language": document.language,
        "sha256": document.sha256,
        "text_sha256": document.text_sha256,
        "text": document.text,
        "annotations": [
            {
                "id": a.pk,
                "start": a.start,
                "end": a.end,
                "quote": a.quote,
                "prefix": a.prefix,
                "suffix": a.suffix,
                "tags": [tag.key for tag in a.tags.all()],
                "note": a.note,
                "status": a.status,
                "origin": a.origin,
                "author": a.author.get_username(),
                "created": w3c_datetime(a.created_at),
                "modified": w3c_datetime(a.updated_at),
            }
            for a in annotations
        ],
    }
    return (json.dumps(line, ensure_ascii=False) + "\n").encode()
