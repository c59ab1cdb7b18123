"""Proposals from the analysis: link a claim to an incident, make a new
incident from claims, merge two incidents; each with its reasons.

Read from what the analysts recorded, never guessed from prose:

* **link**: a claim with no incident whose event date falls on an
  incident's day (or window, or month for a month-precise date). Reasons
  add up: same day, a vessel count equal to the incident's targets, the
  incident's place named in one of the claim's quotes.
* **new**: claims with casualty figures and an event date no incident
  covers, grouped by day: one proposed incident per day.
* **merge**: two incidents on the same day at the same place (or both
  without a place but with the same targets): probably one strike entered
  twice.

A rejected proposal is kept (``ProposalRejection``) and not proposed again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from legal.models import (
    Claim,
    ClaimMention,
    ClaimQuantity,
    DatePrecision,
    Incident,
    ProposalKind,
    ProposalRejection,
    QuantityCounts,
)
from legal.ranges import CASUALTY_CATEGORIES
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


@dataclass
class Proposal:
    kind: str
    key: str
    reasons: list[str]
    score: int
    claims: list[Claim] = field(default_factory=list)
    incident: Incident | None = None
    other: Incident | None = None
    day: date | None = None


def link_key(claim_id: int, incident_id: int) -> str:
    return f"link:{claim_id}:{incident_id}"


def new_key(day: date) -> str:
    return f"new:{day.isoformat()}"


def merge_key(first_id: int, second_id: int) -> str:
    low, high = sorted((first_id, second_id))
    return f"merge:{low}:{high}"


def _covers(incident: Incident, day: date) -> str | None:
    """Why ``day`` falls on the incident, or None."""
    if incident.date == day:
        return f"same day as {incident.code} ({day.isoformat()})"
    if incident.date_end and incident.date <= day <= incident.date_end:
        return f"within {incident.code}'s window"
    if incident.date_precision == DatePrecision.MONTH and (
        (incident.date.year, incident.date.month) == (day.year, day.month)
    ):
        return f"in the month of {incident.code}"
    return None


def incident_proposals(
    *, project: Project, limit: int = 100, user: User | AnonymousUser | None = None
) -> list[Proposal]:
    """Open proposals of the project, best first (a fixed number of queries),
    made from the claims ``user`` may see (blind mode: their own)."""
    rejected = set(
        ProposalRejection.objects.filter(project=project).values_list("key", flat=True)
    )
    incidents_seen = Incident.objects.filter(project=project)
    visible = Claim.objects.filter(project=project)
    if user is not None:
        incidents_seen = Incident.objects.for_member(user, project)
        visible = Claim.objects.for_member(user, project)
    incidents = list(incidents_seen.order_by("date", "number"))
    claims = list(
        visible.filter(incident__isnull=True, event_date__isnull=False).order_by(
            "event_date", "pk"
        )
    )
    claim_ids = [c.pk for c in claims]
    figures: dict[int, list[ClaimQuantity]] = defaultdict(list)
    for quantity in ClaimQuantity.objects.filter(
        claim_id__in=claim_ids, cumulative=False
    ):
        figures[quantity.claim_id].append(quantity)
    quotes: dict[int, list[str]] = defaultdict(list)
    for claim_id, quote in ClaimMention.objects.filter(
        claim_id__in=claim_ids
    ).values_list("claim_id", "annotation__quote"):
        quotes[claim_id].append(quote.lower())

    proposals: list[Proposal] = []
    uncovered: dict[date, list[Claim]] = defaultdict(list)
    for claim in claims:
        day = claim.event_date
        assert day is not None  # filtered above
        matched = False
        for incident in incidents:
            why = _covers(incident, day)
            if why is None:
                continue
            matched = True
            key = link_key(claim.pk, incident.pk)
            if key in rejected:
                continue
            reasons, score = [why], 3 if incident.date == day else 2
            vessels = [
                q.value for q in figures[claim.pk] if q.counts == QuantityCounts.VESSELS
            ]
            if incident.target_count is not None and incident.target_count in vessels:
                reasons.append(f"{incident.target_count} vessels, as the incident")
                score += 1
            place = incident.place.strip().lower()
            if place and any(place in quote for quote in quotes[claim.pk]):
                reasons.append(f"a quote names {incident.place}")
                score += 1
            proposals.append(
                Proposal(
                    kind=ProposalKind.LINK,
                    key=key,
                    reasons=reasons,
                    score=score,
                    claims=[claim],
                    incident=incident,
                )
            )
        casualty = any(q.counts in CASUALTY_CATEGORIES for q in figures[claim.pk])
        if not matched and casualty:
            uncovered[day].append(claim)
    for day, grouped in uncovered.items():
        key = new_key(day)
        if key in rejected:
            continue
        proposals.append(
            Proposal(
                kind=ProposalKind.NEW,
                key=key,
                reasons=[
                    f"{len(grouped)} claim{'s' if len(grouped) != 1 else ''} with "
                    f"casualty figures on {day.isoformat()}, and no incident that day"
                ],
                score=2 + len(grouped),
                claims=grouped,
                day=day,
            )
        )
    by_day: dict[date, list[Incident]] = defaultdict(list)
    for incident in incidents:
        by_day[incident.date].append(incident)
    for same_day in by_day.values():
        for i, first in enumerate(same_day):
            for second in same_day[i + 1 :]:
                key = merge_key(first.pk, second.pk)
                if key in rejected:
                    continue
                place_a, place_b = first.place.strip(), second.place.strip()
                if place_a and place_a.lower() == place_b.lower():
                    reason = f"same day and place ({place_a})"
                elif not place_a and not place_b and first.targets == second.targets:
                    reason = "same day, no place, same targets"
                else:
                    continue
                proposals.append(
                    Proposal(
                        kind=ProposalKind.MERGE,
                        key=key,
                        reasons=[f"{first.code} and {second.code}: {reason}"],
                        score=4,
                        incident=first,
                        other=second,
                    )
                )
    proposals.sort(key=lambda p: (-p.score, p.key))
    return proposals[:limit]
