"""W3C Web Annotation Data Model (JSON-LD) export.

One ``AnnotationCollection`` whose first ``AnnotationPage`` holds every
annotation. Each annotation is complete on its own (it repeats
``@context``), so a consumer may split the page. Mapping:

* target: a ``SpecificResource`` whose ``source`` is the document's text
  representation (``.../p/<slug>/d/<id>/text.txt``, exactly the stored
  text, so the selectors re-anchor on the resource they name), with a
  ``TextQuoteSelector`` (exact/prefix/suffix) and a
  ``TextPositionSelector`` (code-point start/end, end-exclusive) on the
  document's normalised text;
* body: one ``TextualBody`` with purpose ``tagging`` per tag (value = the
  tag key) and one with purpose ``commenting`` for the note;
* motivation ``tagging`` (``commenting`` if the annotation only has a
  note, ``highlighting`` if it has neither);
* creator, created, modified.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from annotations.models import Annotation
from exchange.exports.base import (
    CHUNK,
    Progress,
    annotation_iri,
    annotations_for_export,
    no_progress,
    public_base_url,
    text_iri,
    w3c_datetime,
)
from projects.models import Project

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _creator(user) -> dict[str, str]:
    """The author as a Person; no ``id``, since Glossa publishes no user
    pages an IRI could point to."""
    creator = {"type": "Person", "nickname": user.get_username()}
    if user.get_full_name():
        creator["name"] = user.get_full_name()
    return creator


def annotation_to_w3c(annotation: Annotation, *, base: str) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation (a plain dict)."""
    tags = list(annotation.tags.all())
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": tag.key} for tag in tags
    ]
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": annotation.note,
                "format": "text/plain",
            }
        )
    if tags:
        motivation = "tagging"
    elif annotation.note:
        motivation = "commenting"
    else:
        motivation = "highlighting"
    document = annotation.document
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_iri(base, annotation),
        "type": "Annotation",
        "motivation": motivation,
        "created": w3c_datetime(annotation.created_at),
        "modified": w3c_datetime(annotation.updated_at),
        "creator": _creator(annotation.author),
        "target": {
            "type": "SpecificResource",
            "source": text_iri(base, document),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": annotation.quote,
                    "prefix": annotation.prefix,
                    "suffix": annotation.suffix,
                },
                {
                    "type": "TextPositionSelector",
                    "start": annotation.start,
                    "end": annotation.end,
                },
            ],
        },
    }
    if document.language:
        data["target"]["language"] = document.language
    if bodies:
        data["body"] = bodies if len(bodies) > 1 else bodies[0]
    return data


def stream_w3c(
    project: Project,
    *,
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    queryset = annotations_for_export(project)
    total = queryset.count()
    collection = f"{base}/api/projects/{project.slug}/export/?format=w3c"
    head = {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"Annotations of {project.name}",
        "total": total,
    }
    page = {"id": f"{collection}#page1", "type": "AnnotationPage", "startIndex": 0}
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    page_open = json.dumps(page, ensure_ascii=False)[:-1]
    yield f'{opening}, "first": {page_open}, "items": [\n'.encode()
    progress(0, total)
    for done, annotation in enumerate(queryset.iterator(chunk_size=CHUNK), 1):
        item = json.dumps(annotation_to_w3c(annotation, base=base), ensure_ascii=False)
        yield ((",\n" if done > 1 else "") + item).encode()
        if done % CHUNK == 0 or done == total:
            progress(done, total)
    yield b"\n]}}\n"
