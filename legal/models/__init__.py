"""Legal models, re-exported so callers import from ``legal.models``."""

from legal.models.claims import (
    Assessment,
    Claim,
    ClaimantType,
    ClaimKind,
    ClaimMention,
    ClaimQuantity,
    EvidenceStatus,
    Finding,
    QuantityBound,
    QuantityCounts,
)
from legal.models.frameworks import Criterion, Element, Framework

__all__ = [
    "Assessment",
    "Claim",
    "ClaimKind",
    "ClaimMention",
    "ClaimQuantity",
    "ClaimantType",
    "Criterion",
    "Element",
    "EvidenceStatus",
    "Finding",
    "Framework",
    "QuantityBound",
    "QuantityCounts",
]
