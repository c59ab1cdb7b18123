"""Hypothesis annotation JSON, the shape of its API's search result.

``{"total": N, "rows": [...]}``; each row has ``uri`` and
``target[0].source`` = the document's text representation (exactly the
stored text), ``text`` = the note, ``tags`` = tag keys, and the selectors
Hypothesis anchors with: a ``TextPositionSelector`` in UTF-16 code units
(JavaScript indices into the page's text, which is what Hypothesis counts)
and a ``TextQuoteSelector``. ``user`` is ``acct:<username>@<host>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from annotations.models import Annotation, AnnotationStatus
from exchange.exports.base import (
    Progress,
    no_progress,
    public_base_url,
    text_iri,
    w3c_datetime,
)
from exchange.exports.tools import documents_with_annotations, tag_keys
from exchange.units import Offsets
from projects.models import Project


def _row(annotation: Annotation, offsets: Offsets, base: str) -> dict[str, Any]:
    document = annotation.document
    uri = text_iri(base, document)
    host = urlsplit(base).hostname or "glossa"
    return {
        "id": f"glossa-{annotation.pk}",
        "created": w3c_datetime(annotation.created_at),
        "updated": w3c_datetime(annotation.updated_at),
        "user": f"acct:{annotation.author.get_username()}@{host}",
        "uri": uri,
        "text": annotation.note,
        "tags": tag_keys(annotation),
        "group": "__world__",
        "permissions": {"read": ["group:__world__"]},
        "target": [
            {
                "source": uri,
                "selector": [
                    {
                        "type": "TextPositionSelector",
                        "start": offsets.from_codepoints(annotation.start),
                        "end": offsets.from_codepoints(annotation.end),
                    },
                    {
                        "type": "TextQuoteSelector",
                        "exact": annotation.quote,
                        "prefix": annotation.prefix,
                        "suffix": annotation.suffix,
                    },
                ],
            }
        ],
        "document": {"title": [document.title]} if document.title else {},
    }


def stream_hypothesis(
    project: Project,
    *,
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    total = project.annotations.exclude(status=AnnotationStatus.REJECTED).count()
    yield b'{"total": %d, "rows": [\n' % total
    first = True
    for document, spans_of in documents_with_annotations(project, progress):
        offsets = Offsets(document.text, "utf16")
        for annotation in spans_of:
            annotation.document = document
            row = json.dumps(_row(annotation, offsets, base), ensure_ascii=False)
            yield (("" if first else ",\n") + row).encode()
            first = False
    yield b"\n]}\n"
