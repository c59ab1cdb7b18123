"""Running the spaCy analysis over stored documents and keeping the result.

``analyse_documents`` is idempotent: a document already analysed by the
current pipeline version is skipped unless ``force`` is given. If the
pipeline fails, the documents not yet stored are marked failed with the
error, and the exception propagates. After each
document is stored, ``document_analysed`` is sent so that ``annotations``
can turn the analysis into suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from corpus.models import AnalysisStatus, Document, DocumentAnalysis
from corpus.nlp import PIPELINE_NAME, PIPELINE_VERSION, analyse_texts
from corpus.signals import document_analysed


def analyse_documents(
    document_ids: Iterable[int],
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Analyse the given documents; return how many were (re)analysed.

    ``progress`` is called with the count of documents handled so far.
    """
    ids = list(document_ids)
    queryset = Document.objects.filter(pk__in=ids).order_by("pk")
    if not force:
        queryset = queryset.exclude(
            analysis__pipeline=PIPELINE_NAME,
            analysis__pipeline_version=PIPELINE_VERSION,
        )
    documents = list(queryset.only("pk", "text", "project_id"))
    Document.objects.filter(pk__in=[d.pk for d in documents]).update(
        analysis_status=AnalysisStatus.RUNNING
    )
    done = 0
    results = analyse_texts(d.text for d in documents)
    for document in documents:
        try:
            data = next(results)
        except Exception as exc:
            # Leave no document "running" forever: record why, then let the
            # caller (a Celery task, a command) see the failure.
            pending = [d.pk for d in documents[done:]]
            Document.objects.filter(pk__in=pending).update(
                analysis_status=AnalysisStatus.FAILED,
                analysis_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
            raise
        with transaction.atomic():
            DocumentAnalysis.objects.update_or_create(
                document=document,
                defaults={
                    "pipeline": PIPELINE_NAME,
                    "pipeline_version": PIPELINE_VERSION,
                    "data": data,
                },
            )
            Document.objects.filter(pk=document.pk).update(
                analysis_status=AnalysisStatus.DONE, analysis_error=""
            )
            document_analysed.send(sender=Document, document=document, data=data)
        done += 1
        if progress is not None:
            progress(done)
    return done
