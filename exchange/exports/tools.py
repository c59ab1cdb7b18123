"""What the exports for annotation tools share: documents with their spans.

doccano, Label Studio, Prodigy, BRAT and Hypothesis all want one record per
text with its spans. ``documents_with_annotations`` reads the project in
batches (texts are the bulk of the memory) and yields each document with
its annotations in text order, tags prefetched. Rejected annotations are
left out: a tool would train on them as if they were right.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from annotations.models import Annotation, AnnotationStatus, Tag
from corpus.models import Document
from exchange.exports.base import Progress, batched, no_progress
from projects.models import Project

DOCS = 25


def documents_with_annotations(
    project: Project, progress: Progress = no_progress
) -> Iterator[tuple[Document, list[Annotation]]]:
    documents = Document.objects.filter(project=project).select_related("project")
    total = documents.count()
    progress(0, total)
    done = 0
    for batch in batched(documents.order_by("pk").iterator(chunk_size=DOCS), DOCS):
        by_document: dict[int, list[Annotation]] = {}
        annotations = (
            Annotation.objects.filter(document__in=batch)
            .exclude(status=AnnotationStatus.REJECTED)
            .select_related("author")
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("order")))
            .order_by("document_id", "start", "end", "pk")
        )
        for annotation in annotations:
            by_document.setdefault(annotation.document_id, []).append(annotation)
        for document in batch:
            yield document, by_document.get(document.pk, [])
        done += len(batch)
        progress(done, total)


def tag_keys(annotation: Annotation) -> list[str]:
    return [tag.key for tag in annotation.tags.all()]
