"""schema.org ClaimReview JSON-LD for reviewed claims.

A claim counts as reviewed when it has at least one assessment. Glossa
assesses claims against legal elements rather than rating their truth, so
``reviewRating.alternateName`` carries the evidence status (the nearest
thing to a verdict) and ``reviewBody`` lists each finding with its
rationale. ``reviewRating.ratingExplanation`` says so in words: the
rating is the evidence status, not a truth verdict.

``itemReviewed`` is the ``Claim``: its author (the claimant), the date it
was first published (the earliest dated document quoting it, else the
event date) and one appearance per URL, with the quoted passage.

Glossa's claim pages need a login, so a ``url`` is only given where the
project publishes its reviews: ``settings.GLOSSA_CLAIMREVIEW_URLS`` maps a
project slug to a URL template with ``{claim_id}``. Otherwise ``url`` is
left out and ``_glossa_note`` (ignored by JSON-LD processors, having no
term in the context) says why. ``author.url`` is the publisher's site:
``settings.GLOSSA_CLAIMREVIEW_PUBLISHER_URL``, else the public base URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.conf import settings

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
    ClaimantType.UN,
    ClaimantType.RIGHTS_GROUP,
}


RATING_EXPLANATION = (
    "The evidence status of the claim as assessed against legal elements in "
    "Glossa: whether and what evidence was offered. It is not a verdict on "
    "whether the claim is true."
)


def review_url(project: Project, claim: Claim) -> str | None:
    """The public URL of the review, where the project publishes one."""
    template = getattr(settings, "GLOSSA_CLAIMREVIEW_URLS", {}).get(project.slug)
    return template.format(claim_id=claim.pk) if template else None


def claim_to_claimreview(claim: Claim, *, base: str, project: Project) -> dict:
    mentions = list(claim.mentions.all())
    assessments = list(claim.assessments.all())
    reviewed_at = max(a.updated_at for a in assessments)
    appearances: list[dict[str, Any]] = []
    seen: set[str] = set()
    published = []
    for mention in mentions:
        document = mention.document
        url = document.url or document_iri(base, document)
        if document.published_at:
            published.append(document.published_at)
        if url in seen:
            continue  # one appearance per URL, with its first quote
        seen.add(url)
        appearance: dict[str, Any] = {
            "@type": "CreativeWork",
            "url": url,
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
    if published:
        item["datePublished"] = w3c_datetime(min(published))
    elif claim.event_date:
        item["datePublished"] = claim.event_date.isoformat()
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = min(
            appearances, key=lambda a: a.get("datePublished") or "9999"
        )
    if claim.event_date:
        item["temporalCoverage"] = claim.event_date.isoformat()
    findings = []
    for a in assessments:
        target = a.element or a.criterion
        question = f" ({a.element.question})" if a.element is not None else ""
        findings.append(
            f"{target}{question}: {a.get_finding_display()}. {a.rationale}".strip()
        )
    publisher_url = getattr(settings, "GLOSSA_CLAIMREVIEW_PUBLISHER_URL", "") or base
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
    }
    public = review_url(project, claim)
    if public:
        review["url"] = public
    else:
        review["_glossa_note"] = (
            f"No url: project {project.slug!r} publishes no reviews (Glossa's own "
            "claim pages need a login); set GLOSSA_CLAIMREVIEW_URLS to give one."
        )
    review.update(
        {
            "claimReviewed": claim.proposition,
            "datePublished": reviewed_at.date().isoformat(),
            "dateModified": w3c_datetime(reviewed_at),
            "author": {
                "@type": "Organization",
                "name": project.name,
                "url": publisher_url,
            },
            "itemReviewed": item,
            "reviewRating": {
                "@type": "Rating",
                "alternateName": claim.get_evidence_status_display(),
                "ratingExplanation": RATING_EXPLANATION,
            },
            "reviewBody": "\n".join(findings),
        }
    )
    return review


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
