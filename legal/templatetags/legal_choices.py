"""Choice lists of the legal app for pages of apps below it.

The annotator (``annotations``) offers a claim form but may not import
``legal``; its template loads this library instead, so the claimant types
are rendered from ``ClaimantType`` and never copied into JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import template

from legal.models import (
    Claim,
    ClaimantType,
    EvidenceStatus,
    QuantityBound,
    QuantityCounts,
)

register = template.Library()


@register.simple_tag
def claimant_types() -> dict[str, Any]:
    """The claimant types as ``{"choices": [[value, label], ...], "default"}``."""
    return {
        "choices": [[value, str(label)] for value, label in ClaimantType.choices],
        "default": str(Claim._meta.get_field("claimant_type").default),
    }


@register.simple_tag
def claim_form_choices() -> dict[str, Any]:
    """Every choice list the annotator's claim form needs: claimant types,
    evidence statuses, and the counts and bounds of a claim's figures."""

    def pairs(choices: Any) -> list[list[str]]:
        return [[value, str(label)] for value, label in choices]

    return {
        "claimant_types": claimant_types(),
        "evidence_statuses": pairs(EvidenceStatus.choices),
        "quantity_counts": pairs(QuantityCounts.choices),
        "quantity_bounds": pairs(QuantityBound.choices),
    }
