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
from corpus.models.originals import OriginalFile
from corpus.models.social import (
    ClaimantType,
    Platform,
    SocialAccount,
    SocialExport,
    SocialPost,
    normalise_handle,
)

__all__ = [
    "AnalysisStatus",
    "Assignment",
    "AssignmentStatus",
    "ClaimantType",
    "DatePrecision",
    "Document",
    "DocumentAnalysis",
    "DocumentFingerprint",
    "DocumentKind",
    "FingerprintBand",
    "Job",
    "JobKind",
    "JobStatus",
    "OriginalFile",
    "Platform",
    "SocialAccount",
    "SocialExport",
    "SocialPost",
    "Source",
    "SourceKind",
    "normalise_handle",
    "normalize_text",
    "sha256_hex",
]
