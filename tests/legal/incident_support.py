"""Helpers for the incident tests: an incident and claims with figures,
made through the services (the browser test builds its own by hand)."""

from __future__ import annotations

from datetime import date

from legal.models import Claim, Incident
from legal.services.claims import claim_create, claim_quantity_add
from legal.services.incidents import incident_create


def new_incident(project, user, day=date(2025, 9, 2), **fields) -> Incident:
    return incident_create(
        project=project,
        user=user,
        date=day,
        description=fields.pop("description", "Four vessels struck at sea."),
        **fields,
    )


def figure_claim(
    project, user, annotation, value, bound="exact", counts="killed"
) -> Claim:
    """A claim stated by ``annotation`` with one figure."""
    claim = claim_create(
        project=project,
        user=user,
        proposition=f"{value} {counts}",
        claimant="Someone",
        annotation=annotation,
    )
    claim_quantity_add(
        claim=claim,
        user=user,
        value=value,
        counts=counts,
        bound=bound,
        annotation=annotation,
    )
    return claim


def tally(project, user, annotation, value, bound, as_of, strikes=None) -> Claim:
    """A campaign total: ``value`` killed (and ``strikes``) as of a day."""
    claim = claim_create(
        project=project, user=user, proposition="Campaign total", annotation=annotation
    )
    claim_quantity_add(
        claim=claim,
        user=user,
        value=value,
        counts="killed",
        bound=bound,
        cumulative=True,
        as_of=as_of,
        annotation=annotation,
    )
    if strikes is not None:
        claim_quantity_add(
            claim=claim,
            user=user,
            value=strikes,
            counts="strikes",
            cumulative=True,
            as_of=as_of,
        )
    return claim
