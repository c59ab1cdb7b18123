"""The rows shared by the CSV and XLSX exports.

One row per annotation and one per claim, in one table, so a spreadsheet
user can filter by ``record``. Every row carries its quote and its source
(document title, publisher and URL) so it can be cited on its own. Tags
are given twice, by key (``tags``, stable, what imports match) and by name
(``tag_names``, what a reader understands), each in its own column.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotations.models import Annotation
from exchange.exports.base import (
    CHUNK,
    Progress,
    annotations_for_export,
    batched,
    claim_batches,
    claims_for_export,
    no_progress,
    source_label,
    w3c_datetime,
)
from legal.models import Claim, ClaimMention
from projects.models import Project

COLUMNS = [
    "record",
    "id",
    "document_id",
    "document_title",
    "source",
    "document_url",
    "published_at",
    "start",
    "end",
    "quote",
    "tags",
    "tag_names",
    "note",
    "status",
    "author",
    "created",
    "modified",
    "claim_ids",
    "proposition",
    "claimant",
    "claimant_type",
    "claim_kind",
    "evidence_status",
    "quantities",
    "assessments",
]


def _annotation_row(annotation: Annotation) -> dict[str, object]:
    document = annotation.document
    return {
        "record": "annotation",
        "id": annotation.pk,
        "document_id": document.pk,
        "document_title": document.title,
        "source": source_label(document),
        "document_url": document.url,
        "published_at": w3c_datetime(document.published_at) or "",
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "tags": "; ".join(tag.key for tag in annotation.tags.all()),
        "tag_names": "; ".join(tag.name for tag in annotation.tags.all()),
        "note": annotation.note,
        "status": annotation.status,
        "author": annotation.author.get_username(),
        "created": w3c_datetime(annotation.created_at),
        "modified": w3c_datetime(annotation.updated_at),
    }


def _claim_row(claim: Claim) -> dict[str, object]:
    mentions = list(claim.mentions.all())
    first = mentions[0] if mentions else None
    assessments = [
        f"{a.element or a.criterion}: {a.finding} ({a.author.get_username()})"
        for a in claim.assessments.all()
    ]
    return {
        "record": "claim",
        "id": claim.pk,
        "document_id": first.document_id if first else "",
        "document_title": " | ".join(dict.fromkeys(m.document.title for m in mentions)),
        "source": " | ".join(dict.fromkeys(source_label(m.document) for m in mentions)),
        "document_url": " | ".join(dict.fromkeys(m.document.url for m in mentions)),
        "start": first.start if first else "",
        "end": first.end if first else "",
        "quote": " | ".join(m.quote for m in mentions),
        "note": claim.note,
        "author": claim.created_by.get_username(),
        "created": w3c_datetime(claim.created_at),
        "modified": w3c_datetime(claim.updated_at),
        "claim_ids": claim.pk,
        "proposition": claim.proposition,
        "claimant": claim.claimant,
        "claimant_type": claim.claimant_type,
        "claim_kind": claim.kind,
        "evidence_status": claim.evidence_status,
        "quantities": "; ".join(str(q) for q in claim.quantities.all()),
        "assessments": "; ".join(assessments),
    }


def rows(project: Project, progress: Progress = no_progress) -> Iterator[list]:
    """Yield the header, then one list per annotation and per claim."""
    annotations = annotations_for_export(project)
    claims = claims_for_export(project)
    total = annotations.count() + claims.count()
    done = 0
    progress(0, total)
    yield list(COLUMNS)
    for batch in batched(annotations.iterator(chunk_size=CHUNK), CHUNK):
        claim_ids: dict[int, list[str]] = {}
        links = ClaimMention.objects.filter(annotation__in=batch).order_by("claim_id")
        for annotation_id, claim_id in links.values_list("annotation_id", "claim_id"):
            claim_ids.setdefault(annotation_id, []).append(str(claim_id))
        for annotation in batch:
            row = _annotation_row(annotation)
            row["claim_ids"] = "; ".join(claim_ids.get(annotation.pk, []))
            yield [row.get(column, "") for column in COLUMNS]
        done += len(batch)
        progress(done, total)
    for claim_batch in claim_batches(claims):
        for claim in claim_batch:
            row = _claim_row(claim)
            yield [row.get(column, "") for column in COLUMNS]
        done += len(claim_batch)
        progress(done, total)
    progress(done, total)
