"""BRAT standoff: a zip of ``doc-<id>.txt`` + ``doc-<id>.ann`` and an
``annotation.conf`` declaring every tag as an entity type.

Offsets are code points into the ``.txt`` (the stored text, UTF-8, LF),
what BRAT counts. One ``T`` line per (annotation, tag) with the quote as
BRAT's text field (a line break in it written as a space, as BRAT does);
the note is an ``AnnotatorNotes`` line on the annotation's first ``T``.
Spans without a tag are left out (BRAT needs a type). Built in a
temporary file and streamed, like the archive.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator

from exchange.exports.base import Progress, no_progress
from exchange.exports.tools import documents_with_annotations, tag_keys
from projects.models import Project

READ_CHUNK = 1 << 16


def _flat(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def ann_lines(annotations) -> list[str]:
    lines: list[str] = []
    number = notes = 0
    for annotation in annotations:
        first = None
        for key in tag_keys(annotation):
            number += 1
            first = first or f"T{number}"
            lines.append(
                f"T{number}\t{key} {annotation.start} {annotation.end}\t"
                f"{_flat(annotation.quote)}"
            )
        if first and annotation.note:
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes {first}\t{_flat(annotation.note)}")
    return lines


def stream_brat(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for document, annotations in documents_with_annotations(project, progress):
                name = f"doc-{document.pk}"
                archive.writestr(f"{name}.txt", document.text)
                lines = ann_lines(annotations)
                archive.writestr(f"{name}.ann", "".join(f"{x}\n" for x in lines))
            keys = project.tags.order_by("order", "key").values_list("key", flat=True)
            conf = "[entities]\n" + "".join(f"{k}\n" for k in keys)
            conf += "\n[relations]\n\n[events]\n\n[attributes]\n"
            archive.writestr("annotation.conf", conf)
        handle.seek(0)
        while chunk := handle.read(READ_CHUNK):
            yield chunk
