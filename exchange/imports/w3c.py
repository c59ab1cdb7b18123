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
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction

from corpus.models import Document
from exchange.imports.common import (
    ImportRefused,
    ImportResult,
    TagResolver,
    annotation_add,
    find_anchor,
    read_records,
)
from projects.models import Project

if TYPE_CHECKING:
    from annotations.models import Tag

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


class SpanMismatch(ValueError):
    """Selectors that do not match the document's text: refuses the file."""


def place_selectors(
    document: Document,
    *,
    exact: str | None,
    prefix: str = "",
    suffix: str = "",
    start: object = None,
    end: object = None,
) -> tuple[int, int]:
    """The span the selectors describe on the stored text (code points),
    or ``SpanMismatch`` saying why there is none."""
    span = find_anchor(
        document.text,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start if isinstance(start, int) else None,
        end=end if isinstance(end, int) else None,
    )
    if span is None:
        raise SpanMismatch(
            "the selectors do not match the document's text"
            + (f" (quote {exact[:40]!r} not found)" if exact else "")
        )
    return span


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
    quote: dict = {}
    position: dict = {}
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector":
            quote = selector
        elif selector.get("type") == "TextPositionSelector":
            position = selector
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
            try:
                if not isinstance(annotation, dict):
                    raise ValueError("not an annotation object")
                if annotation.get("type") not in ("Annotation", "oa:Annotation"):
                    raise ValueError("'type' is not Annotation")
                source, quote, position = _target(annotation)
                doc = documents.find(source)
                if doc is None:
                    raise ValueError(f"{source} is not a document of this project")
                exact = quote.get("exact") if quote else None
                if quote and not isinstance(exact, str):
                    raise ValueError("TextQuoteSelector has no 'exact' string")
                span = place_selectors(
                    doc,
                    exact=exact,
                    prefix=str(quote.get("prefix") or ""),
                    suffix=str(quote.get("suffix") or ""),
                    start=position.get("start"),
                    end=position.get("end"),
                )
                labels, note = _bodies(annotation)
                tags = [resolver.resolve(label) for label in labels]
                if any(tag is None for tag in tags):
                    continue  # unknown label: the import is refused below
                annotation_add(
                    document=doc,
                    user=user,
                    start=span[0],
                    end=span[1],
                    tags=cast("list[Tag]", tags),  # no None: skipped above
                    note=note,
                    result=result,
                )
            except SpanMismatch as exc:
                ident = annotation.get("id") if isinstance(annotation, dict) else None
                raise ImportRefused(
                    f"{name}, {ident or item_where}: {exc}. Nothing was imported.",
                    extra={"span": str(ident or item_where)},
                ) from exc
            except ValueError as exc:
                ident = annotation.get("id") if isinstance(annotation, dict) else None
                result.refused.append((str(ident or item_where), str(exc)))
            if progress:
                progress(count)
    resolver.raise_for_unknown()
    if count == 0:
        raise ImportRefused(f"{name} holds no annotations.")
    result.tags_created = resolver.created
    return result
