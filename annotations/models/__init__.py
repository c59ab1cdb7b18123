"""Annotation models, re-exported so callers import from ``annotations.models``."""

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
    "Origin",
    "Suggestion",
    "SuggestionStatus",
    "Tag",
    "check_span",
]
