"""Annotation models, re-exported so callers import from ``annotations.models``."""

from annotations.models.learned import (
    LearnedModel,
    LearningSettings,
    TrainingStatus,
)
from annotations.models.spans import (
    CONTEXT_CHARS,
    Annotation,
    AnnotationStatus,
    Comment,
    Origin,
    Suggestion,
    SuggestionDecision,
    SuggestionStatus,
    check_span,
)
from annotations.models.taxonomy import Tag

__all__ = [
    "CONTEXT_CHARS",
    "Annotation",
    "AnnotationStatus",
    "Comment",
    "LearnedModel",
    "LearningSettings",
    "Origin",
    "Suggestion",
    "SuggestionDecision",
    "SuggestionStatus",
    "Tag",
    "TrainingStatus",
    "check_span",
]
