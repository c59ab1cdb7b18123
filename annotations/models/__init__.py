"""Annotation models, re-exported so callers import from ``annotations.models``."""

from .claims import (
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
from .history import HistoryAction, HistoryEntry
from .spans import (
    CONTEXT_CHARS,
    Annotation,
    AnnotationStatus,
    Comment,
    Origin,
    Suggestion,
    SuggestionStatus,
    check_span,
)
from .taxonomy import Criterion, Element, Framework, Tag
from .workflow import Assignment, AssignmentStatus

__all__ = [
    "CONTEXT_CHARS",
    "Annotation",
    "AnnotationStatus",
    "Assessment",
    "Assignment",
    "AssignmentStatus",
    "Claim",
    "ClaimKind",
    "ClaimMention",
    "ClaimQuantity",
    "ClaimantType",
    "Comment",
    "Criterion",
    "Element",
    "EvidenceStatus",
    "Finding",
    "Framework",
    "HistoryAction",
    "HistoryEntry",
    "Origin",
    "QuantityBound",
    "QuantityCounts",
    "Suggestion",
    "SuggestionStatus",
    "Tag",
    "check_span",
]
