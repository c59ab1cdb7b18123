"""Reads about claims: lists, a claim's reports and sources, assessments.

A report's date is the document's ``published_at``, falling back to
``captured_at`` when the publication date is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from annotations.models import Annotation
from annotations.selectors import annotations_visible_to, blind_viewer
from corpus.models import Document
from legal.models import Assessment, Claim, ClaimMention, Criterion, Element
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

#: A mention's report date: publication, else capture.
_REPORTED = Coalesce(
    "links__annotation__document__published_at",
    "links__annotation__document__captured_at",
)


def claims_visible(
    *, project: Project, user: User | AnonymousUser | None = None
) -> QuerySet[Claim]:
    """``project``'s claims that ``user`` may see: every one, unless the user
    works blind (a viewer or analyst of a blind-mode project), who sees only
    the claims they made (``Claim.objects.for_member``). Without a user (the
    project's own exports and checks), all of them."""
    if user is None:
        return Claim.objects.filter(project=project)
    return Claim.objects.for_member(user, project)


def assessments_visible(
    *, project: Project, user: User | AnonymousUser | None = None
) -> QuerySet[Assessment]:
    """``project``'s assessments that ``user`` may see (as ``claims_visible``:
    a member working blind sees only their own)."""
    if user is None:
        return Assessment.objects.filter(project=project)
    return Assessment.objects.for_member(user, project)


def mention_author(user: User | AnonymousUser | None, project: Project) -> User | None:
    """The only author whose quotes ``user`` may see in ``project`` (the user,
    when they work blind), else None."""
    return None if user is None else blind_viewer(user, project)


def claims_in_document(
    *, user: User | AnonymousUser, document: Document
) -> QuerySet[Claim]:
    """Claims with a mention in ``document`` that ``user`` may see.

    The annotator's claim panel reads them (``/api/claims/?document=<id>``):
    the annotation payload carries no claims, as ``legal`` sits above
    ``annotations``. Mentions count only on annotations the user may see
    (``annotations_visible_to``: members only, and in blind mode an analyst
    with an open assignment sees only their own), so the panel shows no
    trace of another analyst's work.
    """
    visible = annotations_visible_to(user=user, document=document)
    linked = ClaimMention.objects.filter(annotation__in=visible).values("claim_id")
    return claims_visible(project=document.project, user=user).filter(pk__in=linked)


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
    user: User | AnonymousUser | None = None,
) -> QuerySet[Claim]:
    """The project's claims ``user`` may see (``claims_visible``), filtered,
    with mention/source/assessment counts."""
    claims = claims_visible(project=project, user=user)
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
    if document.source is not None:
        return document.source.name
    return document.publisher or document.author or "Unknown source"


def claim_overview(
    claim: Claim, *, user: User | AnonymousUser | None = None
) -> ClaimOverview:
    """The claim's mentions by report date, its first and latest report,
    and every source that repeats it (in order of first report)."""
    return claim_overviews([claim], user=user)[claim.pk]


def claim_overviews(
    claims: Iterable[Claim], *, user: User | AnonymousUser | None = None
) -> dict[int, ClaimOverview]:
    """``claim_overview`` of many claims (by pk) in two queries, not two per
    claim: the brief lists every claim of a project. Mentions count only on
    the annotations ``user`` may see (blind mode)."""
    claims = list(claims)
    mentions = ClaimMention.objects.filter(claim__in=[c.pk for c in claims])
    if claims and (author := mention_author(user, claims[0].project)):
        mentions = mentions.filter(annotation__author=author)
    links = (
        mentions.select_related("annotation", "annotation__document__source")
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
    rows_of: dict[int, list[MentionRow]] = {c.pk: [] for c in claims}
    for link in links:
        rows_of[link.claim_id].append(
            MentionRow(
                mention=link,
                annotation=link.annotation,
                document=link.annotation.document,
                reported_at=link.reported,
                source_name=source_name(link.annotation.document),
            )
        )
    overviews: dict[int, ClaimOverview] = {}
    for claim in claims:
        rows = rows_of[claim.pk]
        sources: list[str] = []
        for row in rows:
            if row.source_name not in sources:
                sources.append(row.source_name)
        overviews[claim.pk] = ClaimOverview(
            claim=claim,
            mentions=rows,
            first_report=rows[0] if rows else None,
            latest_report=rows[-1] if rows else None,
            sources=sources,
        )
    return overviews


def claim_assessments(
    claim: Claim, *, user: User | AnonymousUser | None = None
) -> QuerySet[Assessment]:
    """The claim's assessments that ``user`` may see (blind mode: their own)."""
    return (
        assessments_visible(project=claim.project, user=user)
        .filter(claim=claim)
        .select_related("element__criterion", "criterion", "author")
        .prefetch_related("sources__document")
        .order_by("criterion__order", "element__order", "author__username")
    )


# --- Frameworks, as the claim, matrix and report pages read them -----------


def framework_elements(project: Project) -> QuerySet[Element]:
    """Every element of the project's frameworks, in reading order."""
    return (
        Element.objects.filter(criterion__framework__project=project)
        .select_related("criterion")
        .order_by("criterion__framework__name", "criterion__order", "order")
    )


def elements_suggested(
    overview: ClaimOverview, elements: list[Element], limit: int = 12
) -> list[Element]:
    """Elements whose tags one of the claim's mentions carries: the questions
    the claim most likely bears on, offered first on the claim page."""
    mention_tags = {
        tag.key for row in overview.mentions for tag in row.annotation.tags.all()
    }
    return [e for e in elements if mention_tags & set(e.tags)][:limit]


def frameworks_with_criteria(project: Project) -> QuerySet:
    """The project's frameworks with criteria and elements prefetched."""
    return project.frameworks.prefetch_related(
        Prefetch(
            "criteria",
            queryset=Criterion.objects.prefetch_related("elements").order_by("order"),
        )
    )


def project_criteria(project: Project) -> QuerySet[Criterion]:
    """The criteria of the project's frameworks, framework by framework."""
    return Criterion.objects.filter(framework__project=project).order_by(
        "framework__name", "order"
    )
