"""Ingestion services: bytes, URLs and pasted text in, Documents out.

Every way in (web forms, ``manage.py ingest``, the API, Celery workers) calls
``ingest_file``, ``ingest_url``, ``ingest_text`` or ``ingest_batch``. Extracted
documents are stored in bulk chunks (``store.py``); a bad file, record or
archive member becomes its own failure and never stops the others, and
never leaves a half-written document or an orphan file in MEDIA_ROOT.
Analysis is queued as one job per call with ``transaction.on_commit``, sent
as chunks that all workers share (``corpus.jobs.queue_analysis``; this
package never imports ``corpus.tasks``, which imports it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from corpus.ingest.base import Extracted, ExtractionError
from corpus.ingest.extract import Failure, extract_all, extract_iter
from corpus.ingest.fetch import fetch, warc_bytes
from corpus.ingest.results import FAILED, IngestResult, Outcome
from corpus.ingest.store import atomic_batch, store_groups, store_items
from corpus.jobs import queue_analysis
from corpus.models import (
    DocumentKind,
    Job,
    JobKind,
    JobStatus,
    Source,
)
from projects.models import Project


def _finish(
    result: IngestResult, *, project: Project, user, analyse: bool
) -> IngestResult:
    if analyse:
        result.job = queue_analysis(
            project=project, documents=result.documents, user=user
        )
    return result


def ingest_file(
    *,
    project: Project,
    name: str,
    data: bytes,
    user,
    kind: str = "",
    source: Source | str | None = None,
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Ingest one uploaded file: a document, a feed, a bulk file or an archive."""
    return ingest_batch(
        project=project,
        files=[(name, data)],
        user=user,
        kind=kind,
        source=source,
        analyse=analyse,
        **meta,
    )


def ingest_batch(
    *,
    project: Project,
    files: Iterable[tuple[str, bytes]],
    user,
    kind: str = "",
    source: Source | str | None = None,
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Ingest many files at once and queue one analysis job for all of them.

    ``meta`` values override what was extracted when a file yields one
    document, and only fill gaps when it yields many (feeds, bulk, archives).
    """
    groups: list[Iterable[Extracted | Failure]] = []
    for name, data in files:
        try:
            # A social export's posts are read as they are stored (a chunk
            # at a time), not all at once: memory stays flat.
            groups.append(extract_iter(data, name))
        except Exception as exc:  # extract_all reports bad input itself
            groups.append([Failure(name, f"The file could not be read ({exc}).")])
    # One commit for the whole batch; documents are written in bulk chunks.
    with atomic_batch() as batch:
        result = store_groups(
            groups,
            project=project,
            user=user,
            kind=kind,
            source=source,
            meta=dict(meta),
            batch=batch,
        )
    return _finish(result, project=project, user=user, analyse=analyse)


def ingest_uploads(
    *,
    project: Project,
    user,
    uploads: Iterable[UploadedFile],
    kind: str = "",
    source: Source | str | None = None,
) -> IngestResult:
    """Ingest uploaded files; one over ``GLOSSA_MAX_UPLOAD_BYTES`` is refused
    by its declared size, without being read, and the others go in."""
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES
    refused = IngestResult()
    files = []
    for upload in uploads:
        name = upload.name or "upload"
        if upload.size is not None and upload.size > limit:
            refused.outcomes.append(
                Outcome(
                    name,
                    FAILED,
                    message=f"The file is too large ({upload.size:,} bytes; the "
                    f"limit is {limit:,} bytes).",
                )
            )
            continue
        files.append((name, upload.read()))
    result = ingest_batch(
        project=project, files=files, user=user, kind=kind, source=source
    )
    refused.extend(result)
    refused.job = result.job
    return refused


def _extract_capture(capture, name: str) -> list[Extracted | Failure]:
    """Extract a fetched body; HTML gets its URL so relative metadata resolves.

    The format is sniffed from the bytes like any upload: a server that says
    text/html but sends a PDF gets its PDF read as a PDF.
    """
    from corpus.ingest import html
    from corpus.ingest.detect import sniff

    try:
        fmt = sniff(capture.body, name)
    except ExtractionError as exc:
        return [Failure(capture.url, str(exc))]
    if fmt != "html":
        return extract_all(capture.body, name)
    try:
        return list(html.extract(capture.body, name, url=capture.final_url))
    except ExtractionError as exc:
        return [Failure(capture.url, str(exc))]
    except Exception as exc:
        # As in extract_all: a hostile page is one clear failure, not a crash.
        return [Failure(capture.url, f"The page could not be read ({exc}).")]


def ingest_url(
    *,
    project: Project,
    url: str,
    user,
    kind: str = "",
    source: Source | str | None = None,
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Capture a URL (guarded fetch + WARC) and ingest what it returned.

    Capturing a URL already in the project with new text makes a new
    Document whose ``previous_version`` is the latest earlier capture; the
    same text again is reported as a duplicate of that capture.
    """
    url = url.strip()
    result = IngestResult()
    captured_at = timezone.now()
    try:
        capture = fetch(url)
    except ExtractionError as exc:
        result.outcomes.append(Outcome(url, FAILED, message=str(exc)))
        return result
    name = capture.final_url.rsplit("/", 1)[-1].split("?", 1)[0] or "index.html"
    items = _extract_capture(capture, name)
    for item in items:
        if isinstance(item, Extracted):
            item.metadata.update(
                {
                    "final_url": capture.final_url,
                    "http_media_type": capture.media_type,
                    "redirects": [hop.url for hop in capture.hops[:-1]],
                    "ip_address": capture.hops[-1].ip,
                }
            )
            if len(items) == 1:
                # The URL the analyst asked for identifies the capture, so a
                # later capture of it becomes a new version of this one.
                item.url = url
                item.name = url
    with atomic_batch() as batch:
        result.extend(
            store_items(
                items,
                project=project,
                user=user,
                kind=kind,
                source=source,
                meta=meta,
                batch=batch,
                warc=warc_bytes(capture),
                captured_at=captured_at,
            )
        )
    return _finish(result, project=project, user=user, analyse=analyse)


def ingest_text(
    *,
    project: Project,
    text: str,
    user,
    title: str = "",
    kind: str = DocumentKind.STATEMENT,
    speaker: str = "",
    role: str = "",
    platform: str = "",
    published_at: datetime | None = None,
    source: Source | str | None = None,
    url: str = "",
    analyse: bool = True,
    **meta,
) -> IngestResult:
    """Ingest pasted text (typically an official statement) with its context.

    The original bytes are the pasted text in UTF-8; ``speaker`` is stored as
    the document's author and ``role`` as its speaker role.
    """
    if not text.strip():
        result = IngestResult()
        result.outcomes.append(
            Outcome(title or "pasted text", FAILED, message="The text is empty.")
        )
        return result
    item = Extracted(
        text=text,
        extractor="glossa.paste",
        extractor_version="1",
        original=text.encode("utf-8"),
        name=title or "pasted text",
        media_type="text/plain; charset=utf-8",
        title=title,
    )
    meta.update(
        {
            "title": title,
            "author": speaker,
            "speaker_role": role,
            "platform": platform,
            "published_at": published_at,
            "url": url,
        }
    )
    with atomic_batch() as batch:
        result = store_items(
            [item],
            project=project,
            user=user,
            kind=kind,
            source=source,
            meta=meta,
            batch=batch,
        )
    return _finish(result, project=project, user=user, analyse=analyse)


def ingest_job_record(
    *, project: Project, user, result: IngestResult, how: str = ""
) -> Job:
    """Keep the outcome of an ingestion as a finished INGEST job (its report)."""
    report = result.as_report()
    report["how"] = how
    if result.job is not None:
        report["analysis_job"] = result.job.pk
    now = timezone.now()
    return Job.objects.create(
        project=project,
        kind=JobKind.INGEST,
        status=JobStatus.DONE,
        total=result.total,
        done=result.total,
        report=report,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        finished_at=now,
    )
