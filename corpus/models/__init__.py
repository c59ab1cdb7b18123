"""Corpus models, re-exported so callers import from ``corpus.models``."""

from .analysis import DocumentAnalysis
from .dedup import DocumentFingerprint, FingerprintBand
from .documents import (
    AnalysisStatus,
    Document,
    DocumentKind,
    Source,
    SourceKind,
    normalize_text,
    sha256_hex,
)
from .jobs import Job, JobKind, JobStatus
from .projects import Membership, Project, Role

__all__ = [
    "AnalysisStatus",
    "Document",
    "DocumentAnalysis",
    "DocumentFingerprint",
    "DocumentKind",
    "FingerprintBand",
    "Job",
    "JobKind",
    "JobStatus",
    "Membership",
    "Project",
    "Role",
    "Source",
    "SourceKind",
    "normalize_text",
    "sha256_hex",
]
