"""spaCy DocBin export: each document with its annotations as labelled spans.

Each document is tokenised by its own language. One span per (annotation,
tag) in the span group ``sc`` (configurable), the
group spaCy's ``spancat`` trains on. The file loads with
``DocBin().from_disk`` and works as ``--paths.train``/``--paths.dev`` of
``spacy train``. spaCy itself is only touched in ``corpus.nlp.docbin``.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from annotations.models import Annotation, AnnotationStatus
from corpus.models import Document
from corpus.nlp.docbin import DocBinReport, docbin_bytes
from exchange.exports.base import Progress, no_progress
from projects.models import Project


def docbin_records(project: Project, *, include_rejected: bool = False):
    """Yield ``(text, [(start, end, tag_key), ...], language, id)`` per document:
    each is tokenised by its own language (a CJK document by characters,
    so its spans stay exact instead of widening to an English token)."""
    annotations = Annotation.objects.prefetch_related("tags").order_by("start", "pk")
    if not include_rejected:
        annotations = annotations.exclude(status=AnnotationStatus.REJECTED)
    documents = (
        Document.objects.filter(project=project)
        .prefetch_related(Prefetch("annotations", queryset=annotations))
        .order_by("pk")
    )
    for document in documents.iterator(chunk_size=100):
        spans = [
            (a.start, a.end, tag.key)
            for a in document.annotations.all()
            for tag in a.tags.all()
        ]
        yield document.text, spans, document.language or "en", document.pk


def stream_docbin(
    project: Project,
    *,
    progress: Progress = no_progress,
    spans_key: str = "sc",
    report: DocBinReport | None = None,
    **_: object,
) -> Iterator[bytes]:
    """``report`` (optional) receives the spans widened to whole tokens,
    with their documents: the CLI prints them and an export job keeps them
    for its page (``widened_report``), so no span changes silently."""
    total = Document.objects.filter(project=project).count()
    progress(0, total)
    data = docbin_bytes(
        docbin_records(project),
        spans_key=spans_key,
        progress=lambda done: progress(done, total),
        report=report,
    )
    progress(total, total)
    yield data


MAX_REPORTED = 200


def widened_report(report: DocBinReport) -> dict[str, object]:
    """The report as JSON for a job: counts and the first widened spans."""
    return {
        "documents": report.documents,
        "spans": report.spans,
        "widened_count": len(report.widened_spans),
        "widened": report.widened_spans[:MAX_REPORTED],
        "suggester_sizes": report.suggester_sizes(),
    }
