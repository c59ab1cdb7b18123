"""Corpus models, re-exported so callers import from ``corpus.models``."""

from corpus.models.analysis import DocumentAnalysis
from corpus.models.dedup import DocumentFingerprint, FingerprintBand
from corpus.models.documents import AnalysisStatus, Document, DocumentKind, Source, SourceKind, normalize_text, sha256_hex
from corpus.models.jobs import Job, JobKind, JobStatus
from corpus.models.projects import Membership, Project, Role

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
