"""JSONL export: one line per document, with its text and its annotations.

Offsets are code points into ``text`` (end-exclusive), as everywhere in
Glossa; ``sha256`` is the hash of the original bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Prefetch

from corpus.models import Document, Project

from ..models import Annotation, Tag
from .base import CHUNK, Progress, no_progress, source_label, w3c_datetime


def stream_jsonl(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    documents = (
        Document.objects.filter(project=project)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "annotations",
                queryset=Annotation.objects.select_related("author")
                .prefetch_related(
                    Prefetch("tags", queryset=Tag.objects.order_by("order"))
                )
                .order_by("start", "end", "pk"),
            )
        )
        .order_by("pk")
    )
    total = documents.count()
    progress(0, total)
    for done, document in enumerate(documents.iterator(chunk_size=CHUNK // 5), 1):
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
                for a in document.annotations.all()
            ],
        }
        yield (json.dumps(line, ensure_ascii=False) + "\n").encode()
        if done % 20 == 0 or done == total:
            progress(done, total)
