"""Annotation models, re-exported so callers import from ``annotations.models``."""

from annotations.models.claims import Assessment, Claim, ClaimantType, ClaimKind, ClaimMention, ClaimQuantity, EvidenceStatus, Finding, QuantityBound, QuantityCounts
from annotations.models.history import HistoryAction, HistoryEntry
from annotations.models.spans import CONTEXT_CHARS, Annotation, AnnotationStatus, Comment, Origin, Suggestion, SuggestionStatus, check_span
from annotations.models.taxonomy import Criterion, Element, Framework, Tag
from annotations.models.workflow import Assignment, AssignmentStatus

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
