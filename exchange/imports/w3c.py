"""Import W3C Web Annotations onto a project's existing documents.

Accepts one annotation, an array, an ``AnnotationCollection`` /
``AnnotationPage`` (``items`` or ``first.items``) or JSON Lines. The
target's ``source`` names the document: a Glossa document IRI
(``.../p/<slug>/d/<id>/``) of this project, or a document's ``url``; a
``document`` argument overrides it for every annotation. The span is
placed with the ``TextPositionSelector`` when the text there is the
``TextQuoteSelector``'s ``exact``; otherwise by the quote and its
prefix/suffix. An annotation whose selectors do not match the text
refuses the whole file, naming it (nothing is written); one whose source
is not a document of the project is refused alone, with the reason.
``source`` may also be the document's text representation
(``.../p/<slug>/d/<id>/text.txt``), which is what exports point to.
Tagging bodies become tags (label policy in ``common``);
commenting/describing bodies and ``bodyValue`` become the note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
from projects.models import Project

DOC_IRI = re.compile(r"/p/(?P<slug>[^/]+)/d/(?P<pk>\d+)/?(?:text\.txt)?(?:[#?].*)?$")
NOTE_PURPOSES = {"commenting", "describing", "replying", "editing", "assessing"}


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _items(where: str, record: Any):
    """Flatten collections and pages into annotations."""
    if isinstance(record, dict) and record.get("type") in (
        "AnnotationCollection",
        "AnnotationPage",
    ):
        items = record.get("items")
        if items is None and isinstance(record.get("first"), dict):
            items = record["first"].get("items")
        for index, item in enumerate(_as_list(items), 1):
            yield f"{where}, annotation {index}", item
    else:
        yield where, record


class _Documents:
    def __init__(self, project: Project, document: Document | None) -> None:
        self.project = project
        self.fixed = document
        self.cache: dict[str, Document | None] = {}

    def find(self, source: str) -> Document | None:
        if self.fixed is not None:
            return self.fixed
        if source not in self.cache:
            document = None
            match = DOC_IRI.search(source)
            if match and match["slug"] == self.project.slug:
                document = Document.objects.filter(
                    project=self.project, pk=int(match["pk"])
                ).first()
            if document is None:
                document = Document.objects.filter(
                    project=self.project, url=source
                ).first()
            self.cache[source] = document
        return self.cache[source]


def _target(annotation: dict) -> tuple[str, dict, dict]:
    targets = _as_list(annotation.get("target"))
    if len(targets) != 1:
        raise ValueError("exactly one target is needed")
    target = targets[0]
    if not isinstance(target, dict):
        raise ValueError("the target has no selectors (a bare IRI cannot be placed)")
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id")
    if not isinstance(source, str) or not source:
        raise ValueError("the target has no 'source'")
    quote, position = read_selectors(_as_list(target.get("selector")))
    if not quote and not position:
        raise ValueError("the target has no TextQuoteSelector or TextPositionSelector")
    return source, quote, position


def _bodies(annotation: dict) -> tuple[list[str], str]:
    labels: list[str] = []
    notes: list[str] = []
    tagging = annotation.get("motivation") == "tagging"
    if isinstance(annotation.get("bodyValue"), str):
        notes.append(annotation["bodyValue"])
    for body in _as_list(annotation.get("body")):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purposes = set(_as_list(body.get("purpose")))
        if "tagging" in purposes or (not purposes and tagging):
            labels.append(body["value"])
        elif purposes & NOTE_PURPOSES or not purposes:
            notes.append(body["value"])
    return labels, "\n\n".join(notes)


@transaction.atomic
def import_w3c(
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
        for item_where, annotation in _items(where, record):
            count += 1
            ident = annotation.get("id") if isinstance(annotation, dict) else None
            with selector_errors(name, str(ident or item_where), result):
                if not isinstance(annotation, dict):
                    raise ValueError("not an annotation object")
                if annotation.get("type") not in ("Annotation", "oa:Annotation"):
                    raise ValueError("'type' is not Annotation")
                source, quote, position = _target(annotation)
                doc = documents.find(source)
                if doc is None:
                    raise ValueError(f"{source} is not a document of this project")
                labels, note = _bodies(annotation)
                add_selected(
                    doc,
                    quote,
                    (position.get("start"), position.get("end")),
                    labels=labels,
                    note=note,
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
