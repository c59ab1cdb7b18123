"""The timeline: reported figures and claims by date and by source.

A figure's date is its ``as_of`` date if the analyst gave one, else the
report date of the document stating it (``published_at``, falling back to
``captured_at``), else the claim's first report. Its source is the
document's publisher (``Source``), else the claimant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Min, QuerySet
from django.db.models.functions import Coalesce

from corpus.models import Document
from legal.charts import ChartPoint, timeline_svg
from legal.contradictions import Contradiction, Report, describe, find_contradictions
from legal.models import Claim, ClaimMention, ClaimQuantity, QuantityCounts
from legal.selectors import claims_visible, report_date, source_name
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

MARKERS = {"at_least": "up", "more_than": "up", "up_to": "down", "about": "diamond"}


@dataclass
class TimelinePoint:
    quantity: ClaimQuantity
    claim: Claim
    day: date
    source: str
    document: Document | None

    @property
    def report(self) -> Report:
        q = self.quantity
        return Report(
            id=q.pk,
            value=q.value,
            counts=q.counts,
            source=self.source,
            bound=q.bound,
            cumulative=q.cumulative,
            claim_id=self.claim.pk,
            event_date=self.claim.event_date,
            as_of=q.as_of or (self.day if q.cumulative else None),
        )

    @property
    def wording(self) -> str:
        return describe(self.report)


@dataclass
class Timeline:
    points: list[TimelinePoint]
    contradictions: list[Contradiction]
    flagged: set[int]
    counts_present: list[tuple[str, str]]


def timeline_points(
    *, project: Project, counts: str = "", user: User | AnonymousUser | None = None
) -> list[TimelinePoint]:
    """Every figure of the project's claims (those ``user`` may see), dated
    and attributed."""
    queryset = (
        ClaimQuantity.objects.filter(claim__project=project)
        .filter(claim__in=claims_visible(project=project, user=user).values("pk"))
        .select_related("claim", "annotation__document__source")
        .defer("annotation__document__text", "annotation__document__metadata")
        .order_by("pk")
    )
    if counts:
        queryset = queryset.filter(counts=counts)
    quantities = list(queryset)
    # First mention of claims whose figures name no annotation: one query.
    orphan_claims = {q.claim_id for q in quantities if q.annotation is None}
    first_docs: dict[int, Document] = {}
    if orphan_claims:
        links = (
            ClaimMention.objects.filter(claim_id__in=orphan_claims)
            .select_related("annotation__document__source")
            .defer("annotation__document__text", "annotation__document__metadata")
            .annotate(
                reported=Coalesce(
                    "annotation__document__published_at",
                    "annotation__document__captured_at",
                )
            )
            .order_by("reported")
        )
        for link in links:
            first_docs.setdefault(link.claim_id, link.annotation.document)
    points = []
    for q in quantities:
        document = q.annotation.document if q.annotation else first_docs.get(q.claim_id)
        if q.as_of:
            day = q.as_of
        elif document is not None:
            day = report_date(document).date()
        else:
            day = q.claim.event_date or q.claim.created_at.date()
        source = (
            source_name(document) if document else (q.claim.claimant or "Unattributed")
        )
        points.append(
            TimelinePoint(
                quantity=q, claim=q.claim, day=day, source=source, document=document
            )
        )
    points.sort(key=lambda p: (p.day, p.source, p.quantity.pk))
    return points


def timeline_build(
    *, project: Project, counts: str = "", user: User | AnonymousUser | None = None
) -> Timeline:
    points = timeline_points(project=project, counts=counts, user=user)
    contradictions = find_contradictions([p.report for p in points])
    flagged = {c.first.id for c in contradictions} | {
        c.second.id for c in contradictions
    }
    present = sorted({p.quantity.counts for p in points})
    labels = dict(QuantityCounts.choices)
    return Timeline(
        points=points,
        contradictions=contradictions,
        flagged=flagged,
        counts_present=[(c, labels.get(c, c)) for c in present],
    )


def timeline_chart(timeline: Timeline, *, counts: str, title: str = ""):
    """The SVG of one kind of figure (e.g. killed) over time, by source."""
    label = dict(QuantityCounts.choices).get(counts, counts)
    chart_points = [
        ChartPoint(
            day=p.day,
            value=p.quantity.value,
            series=p.source,
            label=f"{p.day.isoformat()}: {p.source} reports {p.wording}"
            + (" (running total)" if p.quantity.cumulative else ""),
            marker=MARKERS.get(p.quantity.bound, "circle"),
            flagged=p.quantity.pk in timeline.flagged,
        )
        for p in timeline.points
        if p.quantity.counts == counts
    ]
    return timeline_svg(
        chart_points,
        title=title or f"Reported figures over time: {label.lower()}",
        y_label=f"Reported figure ({label.lower()})",
    )


def claims_by_first_report(
    *, project: Project, user: User | AnonymousUser | None = None
) -> QuerySet[Claim]:
    """Claims (that ``user`` may see) with the date they were first
    reported, earliest first."""
    return (
        claims_visible(project=project, user=user)
        .filter(links__isnull=False)
        .annotate(
            first_reported=Min(
                Coalesce(
                    "links__annotation__document__published_at",
                    "links__annotation__document__captured_at",
                )
            )
        )
        .order_by("first_reported", "pk")
    )
