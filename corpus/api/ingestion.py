"""The API's bridge to ingestion (``corpus.ingest``).

Uploads and URL captures go through the same pipeline as the web forms and
the CLI (every supported format, dedup, versions, analysis queued once per
call by ``corpus.ingest``). When nothing could be stored or matched, the
ingestion errors become one 400 naming each problem, so a client never gets
a 201 for a file that produced nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.ingest import IngestResult, ingest_file, ingest_url
from corpus.models import Document
from projects.errors import ApplicationError
from projects.models import Project


@dataclass
class IngestOutcome:
    documents: list[Document] = field(default_factory=list)
    duplicates: list[Document] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)


def _outcome(result: IngestResult) -> IngestOutcome:
    errors = [{"name": n, "reason": r} for n, r in result.errors]
    if errors and not result.documents and not result.duplicates:
        raise ApplicationError(
            " ".join(f"{e['name']}: {e['reason']}" for e in errors),
            extra={"errors": errors},
        )
    return IngestOutcome(
        documents=list(result.documents),
        duplicates=[document for _name, document in result.duplicates],
        errors=errors,
    )


def ingest_upload(
    *, project: Project, user, name: str, data: bytes, **meta
) -> IngestOutcome:
    """Ingest one uploaded file (any supported format; feeds/archives may
    yield many documents). Empty metadata values are not passed on."""
    meta = {k: v for k, v in meta.items() if v}
    return _outcome(
        ingest_file(project=project, name=name, data=data, user=user, **meta)
    )


def ingest_from_url(*, project: Project, user, url: str) -> IngestOutcome:
    """Capture a web page (guarded fetch, WARC kept) as a document."""
    return _outcome(ingest_url(project=project, url=url, user=user))
