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
from legal.models.incidents import (
    CODE_PREFIX,
    INCIDENT_FIELDS,
    Credibility,
    DatePrecision,
    Incident,
    IncidentStatus,
    ProposalKind,
    ProposalRejection,
    Reliability,
    SourceGrade,
)

__all__ = [
    "CODE_PREFIX",
    "INCIDENT_FIELDS",
    "Assessment",
    "Claim",
    "ClaimKind",
    "ClaimMention",
    "ClaimQuantity",
    "ClaimantType",
    "Credibility",
    "Criterion",
    "DatePrecision",
    "Element",
    "EvidenceStatus",
    "Finding",
    "Framework",
    "Incident",
    "IncidentStatus",
    "ProposalKind",
    "ProposalRejection",
    "QuantityBound",
    "QuantityCounts",
    "Reliability",
    "SourceGrade",
]
