"""The API's bridge to ingestion.

Integration point: ``corpus.ingest`` (ingest branch) provides
``ingest_file`` and ``ingest_url``. Until it is installed, uploads of plain
UTF-8 text go through ``corpus.services.document_create`` and anything else
is refused with a message saying why (415), as are URL captures (400).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from corpus.errors import ApplicationError
from corpus.models import Document, Project
from corpus.services import DuplicateDocument, document_create

try:  # pragma: no cover - depends on which branches are merged
    from corpus.ingest import ingest_file as _ingest_file
    from corpus.ingest import ingest_url as _ingest_url
except ImportError:  # pragma: no cover
    _ingest_file = _ingest_url = None

TEXT_TYPES = {"text/plain", "text/markdown", ""}


def queue_analysis(document_ids: list[int]) -> None:
    """Queue the spaCy analysis of new documents once the transaction commits
    (the ingest pipeline does this itself; this is for the fallback path and
    for imports). A no-op until ``corpus.tasks`` is installed."""
    try:
        from corpus.tasks import analyse_documents_task
    except ImportError:
        return
    if document_ids:
        transaction.on_commit(lambda: analyse_documents_task.delay(document_ids))


class UnsupportedUpload(ApplicationError):
    status_code = 415


@dataclass
class IngestOutcome:
    documents: list[Document] = field(default_factory=list)
    duplicates: list[Document] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)


def _outcome(result) -> IngestOutcome:
    return IngestOutcome(
        documents=list(result.documents),
        # The ingest pipeline reports duplicates as (name, existing document).
        duplicates=[existing for _name, existing in result.duplicates],
        errors=[{"name": n, "reason": r} for n, r in result.errors],
    )


def ingest_upload(
    *, project: Project, user, name: str, data: bytes, media_type: str, **meta
) -> IngestOutcome:
    meta = {k: v for k, v in meta.items() if v}
    if _ingest_file is not None:
        return _outcome(
            _ingest_file(project=project, name=name, data=data, user=user, **meta)
        )
    if media_type.split(";")[0].strip() not in TEXT_TYPES and not name.lower().endswith(
        (".txt", ".md")
    ):
        raise UnsupportedUpload(
            f"{name}: only plain-text files can be uploaded through the API on this "
            f"installation (got {media_type or 'an unknown type'}); the full "
            "ingestion pipeline (PDF, HTML, DOCX, feeds) is not installed."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnsupportedUpload(f"{name} is not UTF-8 text ({exc}).") from exc
    outcome = IngestOutcome()
    try:
        outcome.documents.append(
            document_create(
                project=project,
                original=data,
                text=text,
                original_name=name,
                media_type="text/plain",
                captured_by=user,
                extractor="plain-text",
                title=meta.get("title") or name,
                **({"kind": meta["kind"]} if meta.get("kind") else {}),
            )
        )
    except DuplicateDocument as dup:
        outcome.duplicates.append(dup.existing)
    queue_analysis([d.pk for d in outcome.documents])
    return outcome


def ingest_from_url(*, project: Project, user, url: str) -> IngestOutcome:
    if _ingest_url is None:
        raise ApplicationError(
            "URL capture is not available on this installation (the ingestion "
            "pipeline is not installed); upload the file instead."
        )
    return _outcome(_ingest_url(project=project, url=url, user=user))
