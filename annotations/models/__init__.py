"""Annotation models, re-exported so callers import from ``annotations.models``."""

from annotations.models.learned import (
    LearnedModel,
    TrainingStatus,
)
from annotations.models.spans import (
    CONTEXT_CHARS,
    Annotation,
    AnnotationStatus,
    Comment,
    Origin,
    Suggestion,
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
    "Origin",
    "Suggestion",
    "SuggestionStatus",
    "Tag",
    "TrainingStatus",
    "check_span",
]
