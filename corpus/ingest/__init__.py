"""Ingestion: files, URLs and pasted text become Documents with provenance.

The functions other apps call are re-exported here; see ``service.py``.
One module per format (``text``, ``markdown``, ``html``, ``pdf``, ``docx``,
``feeds``, ``bulk``, ``archives``), ``detect`` to choose among them by
content, ``fetch`` for guarded URL capture and ``dedup`` for near-duplicates.
"""

from corpus.ingest.base import Extracted, ExtractionError
from corpus.ingest.extract import Failure, extract_all
from corpus.ingest.results import IngestResult, Outcome
from corpus.ingest.service import (
    ingest_batch,
    ingest_file,
    ingest_text,
    ingest_uploads,
    ingest_url,
)
from corpus.jobs import queue_analysis

__all__ = [
    "Extracted",
    "ExtractionError",
    "Failure",
    "IngestResult",
    "Outcome",
    "extract_all",
    "ingest_batch",
    "ingest_file",
    "ingest_text",
    "ingest_uploads",
    "ingest_url",
    "queue_analysis",
]
