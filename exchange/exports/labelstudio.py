"""Label Studio: JSON tasks with annotations, and the labelling config.

``stream_labelstudio`` writes a JSON array of tasks, the shape Label
Studio's own JSON export has and its import accepts (it refuses JSON
Lines): ``{"id", "data": {"text", "title", "glossa_document"},
"annotations": [{"result": [...]}], "predictions": []}``. Each Glossa
author's spans are one Label Studio annotation; each span is a ``labels``
result whose ``value`` holds ``start``/``end`` (code points, what current
Label Studio counts), the quoted ``text`` and the tag keys as ``labels``;
a note is a per-region ``textarea`` result with the same region ``id``.
Spans without a tag are left out.

``stream_labelstudio_config`` writes the ``<View>`` to paste into the
project's Labeling Interface first: ``Labels`` named ``label`` with one
``Label`` per tag (its colour), ``choice="multiple"`` because a Glossa
annotation may carry several tags (with Label Studio's default, single,
clicking a second label on a region replaces the first), ``Text`` named
``text`` reading ``$text``, and the per-region ``TextArea`` named ``note``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

from annotations.models import Annotation
from exchange.exports.base import (
    Progress,
    document_iri,
    no_progress,
    public_base_url,
    w3c_datetime,
)
from exchange.exports.tools import documents_with_annotations, tag_keys
from projects.models import Project

FROM_NAME, TO_NAME, NOTE_NAME = "label", "text", "note"


def _results(annotation: Annotation) -> list[dict[str, Any]]:
    region = f"glossa-{annotation.pk}"
    where = {"start": annotation.start, "end": annotation.end}
    results: list[dict[str, Any]] = [
        {
            "id": region,
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "origin": "manual",
            "value": {
                **where,
                "text": annotation.quote,
                "labels": tag_keys(annotation),
            },
        }
    ]
    if annotation.note:
        results.append(
            {
                "id": region,
                "from_name": NOTE_NAME,
                "to_name": TO_NAME,
                "type": "textarea",
                "origin": "manual",
                "value": {**where, "text": [annotation.note]},
            }
        )
    return results


def stream_labelstudio(
    project: Project,
    *,
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    yield b"[\n"
    first = True
    for document, spans_of in documents_with_annotations(project, progress):
        by_author: dict[str, list[Annotation]] = {}
        for annotation in spans_of:
            if tag_keys(annotation):
                by_author.setdefault(annotation.author.get_username(), []).append(
                    annotation
                )
        task = {
            "id": document.pk,
            "data": {
                "text": document.text,
                "title": document.title,
                "glossa_document": document_iri(base, document),
            },
            "annotations": [
                {
                    "result": [r for a in spans for r in _results(a)],
                    "was_cancelled": False,
                    "ground_truth": False,
                    "created_at": w3c_datetime(min(a.created_at for a in spans)),
                    "updated_at": w3c_datetime(max(a.updated_at for a in spans)),
                    "meta": {"glossa_author": author},
                }
                for author, spans in sorted(by_author.items())
            ],
            "predictions": [],
        }
        yield (("" if first else ",\n") + json.dumps(task, ensure_ascii=False)).encode()
        first = False
    yield b"\n]\n"


def labelstudio_config(project: Project) -> str:
    """The labelling config (XML) for the project's tags."""
    labels = "\n".join(
        f"    <Label value={quoteattr(tag.key)} background={quoteattr(tag.colour)}/>"
        for tag in project.tags.order_by("order", "key")
    )
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}" choice="multiple">\n'
        f"{labels}\n"
        "  </Labels>\n"
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        f'  <TextArea name="{NOTE_NAME}" toName="{TO_NAME}" perRegion="true" '
        'editable="true" displayMode="region-list"/>\n'
        "</View>\n"
    )


def stream_labelstudio_config(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    progress(0, 1)
    yield labelstudio_config(project).encode()
    progress(1, 1)
