"""doccano and Label Studio text-span imports: documents plus annotations.

doccano JSONL (sequence labelling), either form:
  ``{"text": "...", "label": [[start, end, "LABEL"], ...]}``
  ``{"text": "...", "entities": [{"start_offset": s, "end_offset": e,
  "label": "LABEL"}, ...]}``
Label Studio JSON (an array of tasks) or JSONL, either form:
  full export: ``{"data": {"text": "..."}, "annotations": [{"result":
  [{"type": "labels", "value": {"start": s, "end": e, "text": "...",
  "labels": ["LABEL"]}}]}]}``
  min export: ``{"text": "...", "label": [{"start": s, "end": e,
  "labels": ["LABEL"]}]}``

Offsets are code points into the text as the tool saw it; Glossa
normalises text once at ingestion, so offsets are re-anchored by quote when
normalisation moved them. Spans that cannot be placed are refused one by
one (listed in the result); bad records or unknown labels refuse the whole
import. Everything runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction

from corpus.ingest import queue_analysis
from exchange.imports.common import (
    ImportRefused,
    ImportResult,
    TagResolver,
    annotation_add,
    check_text,
    document_for_text,
    read_records,
    span_in_document,
)
from projects.models import Project

if TYPE_CHECKING:
    from annotations.models import Tag

Span = tuple[object, object, list, str]  # start, end, labels, expected quote


def _doccano_spans(record: dict[str, Any], where: str) -> list[Span]:
    spans: list[Span] = []
    if "label" in record and record["label"] is not None:
        labels = record["label"]
        if not isinstance(labels, list):
            raise ValueError(f"{where}: 'label' must be a list")
        for item in labels:
            if isinstance(item, list) and len(item) == 3:
                spans.append((item[0], item[1], [item[2]], ""))
            elif isinstance(item, dict):  # Label Studio's min export
                spans.append(_ls_span(item, where))
            else:
                raise ValueError(
                    f'{where}: each label must be [start, end, "LABEL"], got {item!r}'
                )
    for item in record.get("entities") or []:
        if not isinstance(item, dict):
            raise ValueError(f"{where}: each entity must be an object")
        spans.append(
            (item.get("start_offset"), item.get("end_offset"), [item.get("label")], "")
        )
    return spans


def _ls_span(value: dict[str, Any], where: str) -> Span:
    labels = value.get("labels")
    if labels is None and "label" in value:
        labels = [value["label"]]
    if not isinstance(labels, list) or not labels:
        raise ValueError(f"{where}: a span has no 'labels' list")
    return (value.get("start"), value.get("end"), labels, value.get("text") or "")


def _labelstudio_spans(
    record: dict[str, Any], where: str
) -> tuple[str | None, list[Span]]:
    if "data" not in record:
        return record.get("text"), _doccano_spans(record, where)
    data = record["data"]
    if not isinstance(data, dict):
        raise ValueError(f"{where}: 'data' must be an object")
    text = data.get("text")
    spans: list[Span] = []
    groups = record.get("annotations") or record.get("completions") or []
    if not isinstance(groups, list):
        raise ValueError(f"{where}: 'annotations' must be a list")
    for group in groups:
        if not isinstance(group, dict) or group.get("was_cancelled"):
            continue
        for item in group.get("result") or []:
            if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
                raise ValueError(f"{where}: a result item has no 'value' object")
            value = item["value"]
            if "start" not in value:  # choices, ratings...: not text spans
                continue
            spans.append(_ls_span(value, where))
    return text, spans


@transaction.atomic
def import_spans(
    handle,
    *,
    tool: str,
    project: Project,
    user,
    create_tags: bool = False,
    name: str = "input",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import doccano (``tool="doccano"``) or Label Studio (``"labelstudio"``)."""
    if tool not in ("doccano", "labelstudio"):
        raise ValueError(f"Unknown tool {tool!r}.")
    result = ImportResult()
    resolver = TagResolver(project, user, create_missing=create_tags)
    count = 0
    for where, record in read_records(handle, name=name):
        if not isinstance(record, dict):
            raise ImportRefused(f"{name}, {where}: expected an object with 'text'.")
        try:
            if tool == "doccano":
                text, spans = record.get("text"), _doccano_spans(record, where)
            else:
                text, spans = _labelstudio_spans(record, where)
            text = check_text(text, where)
            resolved = [
                (s, e, [resolver.resolve(label) for label in labels], quote)
                for s, e, labels, quote in spans
            ]
        except ValueError as exc:
            raise ImportRefused(f"{name}, {where}: {exc}.") from exc
        meta = record["meta"] if isinstance(record.get("meta"), dict) else {}
        document = document_for_text(
            project=project,
            user=user,
            text=text,
            name=f"{tool}-{where.replace(' ', '-')}.txt",
            tool=tool,
            title=str(record.get("title") or meta.get("title") or ""),
            metadata={"meta": meta} if meta else {},
            result=result,
        )
        for start, end, tags, quote in resolved:
            if any(tag is None for tag in tags):
                continue  # unknown label: the import is refused below
            try:
                if (
                    quote
                    and isinstance(start, int)
                    and isinstance(end, int)
                    and text[start:end] != quote
                ):
                    raise ValueError(
                        f"the text at {start}-{end} is not the quote {quote[:40]!r}"
                    )
                s, e = span_in_document(document, text, start, end)
                annotation_add(
                    document=document,
                    user=user,
                    start=s,
                    end=e,
                    tags=cast("list[Tag]", tags),  # no None: skipped above
                    result=result,
                )
            except ValueError as exc:
                result.refused.append((f"{where}, span {start}-{end}", str(exc)))
        count += 1
        if progress:
            progress(count)
    resolver.raise_for_unknown()
    if count == 0:
        raise ImportRefused(f"{name} holds no records.")
    result.tags_created = resolver.created
    # One analysis job for every new document, started once the import commits.
    queue_analysis(project=project, documents=result.new_documents, user=user)
    return result
