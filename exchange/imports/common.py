"""What the span imports share: re-anchoring, label-to-tag mapping, writes.

Label policy (documented in docs/exchange.md): a label matches a tag by
key, by name (case-insensitive) or by its slug (``Official claim`` ->
``official_claim``). Unknown labels refuse the whole import, listing them,
unless the caller asks to create missing tags (``create_tags=True``), in
which case each new tag is created and recorded in the history.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from annotations.models import CONTEXT_CHARS, Annotation, Origin, Tag
from annotations.services.annotations import annotation_create
from annotations.services.taxonomy import tag_create
from corpus.models import Document, normalize_text, sha256_hex
from corpus.services import DuplicateDocument, document_create
from projects.errors import ApplicationError
from projects.models import Project

MAX_LABEL = 120


class ImportRefused(ApplicationError):
    """The input cannot be imported; the message names the problem."""


@dataclass
class ImportResult:
    documents_created: int = 0
    documents_reused: int = 0
    annotations_created: int = 0
    annotations_skipped: int = 0
    tags_created: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # Documents this import created, analysed as one job when it finishes.
    new_documents: list[Document] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "documents_created": self.documents_created,
            "documents_reused": self.documents_reused,
            "annotations_created": self.annotations_created,
            "annotations_skipped": self.annotations_skipped,
            "tags_created": self.tags_created,
            "refused": [{"item": w, "reason": r} for w, r in self.refused],
        }


def tag_key_for(label: str) -> str:
    key = slugify(label).replace("-", "_")
    if not key or not key[0].isalpha():
        key = f"tag_{key}" if key else "tag"
    return key[:64]


class TagResolver:
    """Maps foreign labels to the project's tags (see the module docstring)."""

    def __init__(self, project: Project, user, *, create_missing: bool) -> None:
        self.project = project
        self.user = user
        self.create_missing = create_missing
        self.by_key: dict[str, Tag] = {}
        self.by_name: dict[str, Tag] = {}
        for tag in project.tags.all():
            self.by_key[tag.key] = tag
            self.by_name[tag.name.casefold()] = tag
        self.unknown: list[str] = []
        self.created: list[str] = []

    def resolve(self, label: object) -> Tag | None:
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"a label must be a non-empty string, got {label!r}")
        label = label.strip()[:MAX_LABEL]
        tag = (
            self.by_key.get(label)
            or self.by_name.get(label.casefold())
            or self.by_key.get(tag_key_for(label))
        )
        if tag is not None:
            return tag
        if not self.create_missing:
            if label not in self.unknown:
                self.unknown.append(label)
            return None
        tag = tag_create(
            project=self.project, user=self.user, key=tag_key_for(label), name=label
        )
        self.by_key[tag.key] = tag
        self.by_name[tag.name.casefold()] = tag
        self.created.append(tag.key)
        return tag

    def raise_for_unknown(self) -> None:
        if self.unknown:
            shown = ", ".join(repr(u) for u in self.unknown[:20])
            raise ImportRefused(
                f"These labels match no tag of the project: {shown}. Create the "
                "tags first, or import again with 'create missing tags' "
                "(--create-tags).",
                extra={"unknown_labels": self.unknown},
            )


def _light_normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def find_anchor(
    text: str,
    *,
    exact: str | None = None,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> tuple[int, int] | None:
    """Find a span in ``text`` the way W3C selectors describe it.

    Offsets win when they are inside the text and, if a quote is given,
    the text there is the quote. Otherwise the quote is searched for; among
    several occurrences the one whose surroundings best match ``prefix``
    and ``suffix`` (then the one nearest ``start``) wins. ``None`` when the
    quote is not in the text.
    """
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(text)
        and (exact is None or text[start:end] == exact)
    ):
        return start, end
    if not exact:
        return None
    best: tuple[tuple[int, int], int] | None = None
    for match in re.finditer(re.escape(exact), text):
        s, e = match.start(), match.end()
        before = text[max(0, s - len(prefix)) : s]
        after = text[e : e + len(suffix)]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        distance = abs(s - start) if isinstance(start, int) else s
        key = (-score, distance)
        if best is None or key < best[0]:
            best = (key, s)
    if best is None:
        return None
    return best[1], best[1] + len(exact)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def document_for_text(
    *,
    project: Project,
    user,
    text: str,
    name: str,
    tool: str,
    title: str = "",
    metadata: dict | None = None,
    result: ImportResult,
) -> Document:
    """Create the document for an imported text, or reuse the one Glossa holds.

    A tool's export carries the text Glossa gave it, not the original bytes
    (an HTML page, a PDF), so matching by the original's hash alone made a
    second copy of every exported document. The normalised text's hash
    (``text_sha256``, indexed per project) is tried first, then the bytes.
    """
    normalised = normalize_text(text)
    existing = (
        Document.objects.filter(project=project, text_sha256=sha256_hex(normalised))
        .order_by("pk")
        .first()
    )
    if existing is not None:
        result.documents_reused += 1
        return existing
    try:
        document = document_create(
            project=project,
            original=text.encode("utf-8"),
            text=text,
            original_name=name,
            media_type="text/plain",
            captured_by=user,
            extractor=f"{tool}-import",
            title=(title or normalised.split("\n", 1)[0])[:200],
            metadata={"imported_from": tool, **(metadata or {})},
        )
    except DuplicateDocument as dup:
        result.documents_reused += 1
        return dup.existing
    result.documents_created += 1
    result.new_documents.append(document)
    return document


def span_in_document(
    document: Document, source_text: str, start: object, end: object
) -> tuple[int, int]:
    """Map offsets into the text as the tool saw it to offsets into the
    stored (normalised) text. Raises ``ValueError`` with the reason."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValueError(f"offsets must be integers, got {start!r} and {end!r}")
    if not 0 <= start < end <= len(source_text):
        raise ValueError(
            f"offsets {start}-{end} are outside the text (0-{len(source_text)}) "
            "or empty"
        )
    if source_text == document.text:
        return start, end
    quote = _light_normalise(source_text[start:end]).strip()
    if not quote:
        raise ValueError(f"the span {start}-{end} holds only whitespace")
    found = find_anchor(
        document.text,
        exact=quote,
        prefix=_light_normalise(source_text[max(0, start - CONTEXT_CHARS) : start]),
        suffix=_light_normalise(source_text[end : end + CONTEXT_CHARS]),
        start=start,
    )
    if found is None:
        raise ValueError(f"the quote {quote[:40]!r} is not in the stored text")
    return found


def annotation_add(
    *,
    document: Document,
    user,
    start: int,
    end: int,
    tags: Iterable[Tag],
    note: str = "",
    result: ImportResult,
) -> Annotation | None:
    """Create one imported annotation (origin ``import``), with history.

    Goes through ``annotation_create`` (anchoring, validation, history
    "create"). An identical annotation (same span, same tags) already
    present is skipped, so re-imports are safe.
    """
    tags = list(dict.fromkeys(tags))
    same_span = Annotation.objects.filter(document=document, start=start, end=end)
    tag_ids = sorted(t.pk for t in tags)
    for existing in same_span.prefetch_related("tags"):
        if sorted(t.pk for t in existing.tags.all()) == tag_ids:
            result.annotations_skipped += 1
            return None
    try:
        with transaction.atomic():
            created = annotation_create(
                document=document,
                author=user,
                start=start,
                end=end,
                tag_keys=[t.key for t in tags],
                note=note,
                origin=Origin.IMPORT,
            )
    except (ValidationError, IntegrityError, ApplicationError) as exc:
        raise ValueError(f"the span {start}-{end} cannot be stored ({exc})") from exc
    result.annotations_created += 1
    return created


def check_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not normalize_text(value):
        raise ValueError(f"{where}: 'text' must be a non-empty string")
    return value


def read_records(handle, *, name: str = "input") -> Iterator[tuple[str, object]]:
    """Yield ``(where, record)`` from JSON (an array or one object) or JSON
    Lines, reading JSON Lines line by line so large files stream."""
    head = handle.read(1)
    while head and head.isspace():
        head = handle.read(1)
    if not head:
        raise ImportRefused(f"{name} is empty.")
    if head in (b"[", "["):
        rest = handle.read()
        try:
            data = json.loads(head + rest)
        except ValueError as exc:
            raise ImportRefused(f"{name} is not valid JSON ({exc}).") from exc
        for index, item in enumerate(data, 1):
            yield f"item {index}", item
        return
    first = head + handle.readline()
    try:
        yield "line 1", json.loads(first)
    except ValueError:
        rest = first + handle.read()
        try:
            data = json.loads(rest)
        except ValueError as exc:
            raise ImportRefused(
                f"{name} is neither JSON nor JSON Lines ({exc})."
            ) from exc
        yield "item 1", data
        return
    for number, line in enumerate(handle, 2):
        if not line.strip():
            continue
        try:
            yield f"line {number}", json.loads(line)
        except ValueError as exc:
            raise ImportRefused(
                f"{name}, line {number}: not valid JSON ({exc})."
            ) from exc
