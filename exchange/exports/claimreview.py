"""schema.org ClaimReview JSON-LD for reviewed claims.

A claim counts as reviewed when it has at least one assessment. Glossa
assesses claims against legal elements rather than rating their truth, so
``reviewRating.alternateName`` carries the evidence status (the nearest
thing to a verdict) and ``reviewBody`` lists each finding with its
rationale. ``itemReviewed`` is the ``Claim``: its author (the claimant)
and every document it appears in, with the quoted passage.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from exchange.exports.base import (
    Progress,
    claim_batches,
    claims_for_export,
    document_iri,
    no_progress,
    public_base_url,
    source_label,
    w3c_datetime,
)
from legal.models import Claim, ClaimantType
from projects.models import Project

ORGANISATION_TYPES = {
    ClaimantType.OTHER_GOVERNMENT,
    ClaimantType.UN_BODY,
    ClaimantType.NGO,
}


def claim_to_claimreview(claim: Claim, *, base: str, project: Project) -> dict:
    mentions = list(claim.mentions.all())
    assessments = list(claim.assessments.all())
    reviewed_at = max(a.updated_at for a in assessments)
    appearances: list[dict[str, Any]] = []
    for mention in mentions:
        document = mention.document
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            "url": document.url or document_iri(base, document),
            "headline": document.title,
            "text": mention.quote,
        }
        if document.published_at:
            appearance["datePublished"] = w3c_datetime(document.published_at)
        if source_label(document):
            appearance["publisher"] = {
                "@type": "Organization",
                "name": source_label(document),
            }
        appearances.append(appearance)
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        item["author"] = {
            "@type": "Organization"
            if claim.claimant_type in ORGANISATION_TYPES
            else "Person",
            "name": claim.claimant,
        }
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
    if claim.event_date:
        item["temporalCoverage"] = claim.event_date.isoformat()
    findings = []
    for a in assessments:
        target = a.element or a.criterion
        question = f" ({a.element.question})" if a.element is not None else ""
        findings.append(
            f"{target}{question}: {a.get_finding_display()}. {a.rationale}".strip()
        )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base}/p/{project.slug}/claims/{claim.pk}/",
        "claimReviewed": claim.proposition,
        "datePublished": reviewed_at.date().isoformat(),
        "dateModified": w3c_datetime(reviewed_at),
        "author": {"@type": "Organization", "name": project.name},
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "alternateName": claim.get_evidence_status_display(),
        },
        "reviewBody": "\n".join(findings),
    }


def stream_claimreview(
    project: Project,
    *,
    base_url: str | None = None,
    progress: Progress = no_progress,
    **_: object,
) -> Iterator[bytes]:
    base = public_base_url(base_url)
    claims = claims_for_export(project).filter(assessments__isnull=False).distinct()
    total = claims.count()
    progress(0, total)
    yield b"[\n"
    done = 0
    for batch in claim_batches(claims):
        for claim in batch:
            data = claim_to_claimreview(claim, base=base, project=project)
            done += 1
            separator = ",\n" if done > 1 else ""
            yield (separator + json.dumps(data, ensure_ascii=False)).encode()
        progress(done, total)
    yield b"\n]\n"
