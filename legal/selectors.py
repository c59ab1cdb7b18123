"""Reads about claims: lists, a claim's reports and sources, assessments.

A report's date is the document's ``published_at``, falling back to
``captured_at`` when the publication date is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from annotations.models import Annotation
from corpus.models import Document
from legal.models import Assessment, Claim, ClaimMention
from projects.models import Project

#: A mention's report date: publication, else capture.
_REPORTED = Coalesce(
    "links__annotation__document__published_at",
    "links__annotation__document__captured_at",
)


def claims_for_user(user) -> QuerySet[Claim]:
    """Claims in projects the user is a member of."""
    if not user.is_authenticated:
        return Claim.objects.none()
    return Claim.objects.filter(project__memberships__user=user)


def report_date(document: Document) -> datetime:
    return document.published_at or document.captured_at


def claim_list(
    *,
    project: Project,
    q: str = "",
    claimant_type: str = "",
    evidence_status: str = "",
    kind: str = "",
    tag: str = "",
    document: int | None = None,
) -> QuerySet[Claim]:
    """The project's claims, filtered, with mention/source/assessment counts."""
    claims = Claim.objects.filter(project=project)
    if q:
        claims = claims.filter(
            Q(proposition__icontains=q)
            | Q(claimant__icontains=q)
            | Q(links__annotation__quote__icontains=q)
        )
    if claimant_type:
        claims = claims.filter(claimant_type=claimant_type)
    if evidence_status:
        claims = claims.filter(evidence_status=evidence_status)
    if kind:
        claims = claims.filter(kind=kind)
    if tag:
        claims = claims.filter(links__annotation__tags__key=tag)
    if document:
        claims = claims.filter(links__annotation__document_id=document)
    ids = claims.values("pk").distinct()
    return (
        Claim.objects.filter(pk__in=ids)
        .annotate(
            mention_count=Count("links", distinct=True),
            document_count=Count("links__annotation__document", distinct=True),
            assessment_count=Count("assessments", distinct=True),
            first_reported=Min(_REPORTED),
            latest_reported=Max(_REPORTED),
        )
        .order_by("-updated_at", "-pk")
    )


@dataclass
class MentionRow:
    mention: ClaimMention
    annotation: Annotation
    document: Document
    reported_at: datetime
    source_name: str


@dataclass
class ClaimOverview:
    claim: Claim
    mentions: list[MentionRow]
    first_report: MentionRow | None
    latest_report: MentionRow | None
    sources: list[str]


def source_name(document: Document) -> str:
    if document.source_id:
        return document.source.name
    return document.publisher or document.author or "Unknown source"


def claim_overview(claim: Claim) -> ClaimOverview:
    """The claim's mentions by report date, its first and latest report,
    and every source that repeats it (in order of first report)."""
    links = (
        ClaimMention.objects.filter(claim=claim)
        .select_related("annotation", "annotation__document__source")
        .defer("annotation__document__text", "annotation__document__metadata")
        .prefetch_related("annotation__tags")
        .annotate(
            reported=Coalesce(
                "annotation__document__published_at",
                "annotation__document__captured_at",
            )
        )
        .order_by("reported", "annotation__start", "pk")
    )
    rows = [
        MentionRow(
            mention=link,
            annotation=link.annotation,
            document=link.annotation.document,
            reported_at=link.reported,
            source_name=source_name(link.annotation.document),
        )
        for link in links
    ]
    sources: list[str] = []
    for row in rows:
        if row.source_name not in sources:
            sources.append(row.source_name)
    return ClaimOverview(
        claim=claim,
        mentions=rows,
        first_report=rows[0] if rows else None,
        latest_report=rows[-1] if rows else None,
        sources=sources,
    )


def claim_assessments(claim: Claim) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(claim=claim)
        .select_related("element__criterion", "criterion", "author")
        .prefetch_related("sources__document")
        .order_by("criterion__order", "element__order", "author__username")
    )
