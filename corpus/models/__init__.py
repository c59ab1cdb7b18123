"""Corpus models, re-exported so callers import from ``corpus.models``."""

from corpus.models.analysis import DocumentAnalysis
from corpus.models.assignments import Assignment, AssignmentStatus
from corpus.models.dedup import DocumentFingerprint, FingerprintBand
from corpus.models.documents import (
    AnalysisStatus,
    DatePrecision,
    Document,
    DocumentKind,
    Source,
    SourceKind,
    normalize_text,
    sha256_hex,
)
from corpus.models.jobs import Job, JobKind, JobStatus

__all__ = [
    "AnalysisStatus",
    "Assignment",
    "AssignmentStatus",
    "DatePrecision",
    "Document",
    "DocumentAnalysis",
    "DocumentFingerprint",
    "DocumentKind",
    "FingerprintBand",
    "Job",
    "JobKind",
    "JobStatus",
    "Source",
    "SourceKind",
    "normalize_text",
    "sha256_hex",
]
