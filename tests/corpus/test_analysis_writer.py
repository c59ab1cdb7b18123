"""Analyses are written by a thread while spaCy parses the next batch
(``corpus.analysis.GroupWriter``), without changing what a chunk promises.

The writer borrows the caller's connection, so a chunk stays one
transaction; a failed write reaches the caller (the chunk then goes one by
one, and outside any transaction the documents not stored are marked
failed), and no document is left "running". Real PostgreSQL and spaCy.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from annotations.models import Suggestion
from corpus.analysis import analyse_documents
from corpus.models import AnalysisStatus, Document, DocumentAnalysis
from corpus.signals import documents_analysed
from corpus.tasks import _analyse_chunk
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.spacy, pytest.mark.postgres]

TEXTS = [
    "Minister Tomas Relk said that forces struck three vessels near Porto "
    "Lenta on Monday. No evidence was given.",
    "Professor Hana Ostrova said the strikes appeared to violate the right to life.",
    "The Maritime Law Clinic demanded an independent investigation into the "
    "deaths near Cabo Frisa.",
    "Officials claimed that five people were killed and two survived the attack.",
    "Survivors were taken to a clinic in Isla Merino, local officials said.",
]


@pytest.fixture
def documents(project, settings):
    settings.GLOSSA_SPACY_BATCH_SIZE = 2  # groups of 2, 2 and 1 documents
    return [
        DocumentFactory(project=project, text=text, language="en", kind="article")
        for text in TEXTS
    ]


@pytest.fixture
def receiver():
    """Connect a ``documents_analysed`` receiver for the test only."""
    connected = []

    def connect(function) -> None:
        documents_analysed.connect(function, dispatch_uid=f"test-{id(function)}")
        connected.append(function)

    yield connect
    for function in connected:
        documents_analysed.disconnect(dispatch_uid=f"test-{id(function)}")


def failing_for(document: Document):
    def fail(sender, analyses, **kwargs) -> None:
        if any(d.pk == document.pk for d, _ in analyses):
            raise RuntimeError("storage refused")

    return fail


def statuses(documents: list[Document]) -> list[str]:
    by_pk = dict(
        Document.objects.filter(pk__in=[d.pk for d in documents]).values_list(
            "pk", "analysis_status"
        )
    )
    return [by_pk[d.pk] for d in documents]


def test_groups_are_written_by_a_thread_inside_the_callers_transaction(
    documents, receiver
):
    seen = []

    def record(sender, analyses, **kwargs) -> None:
        seen.append(
            (
                threading.get_ident(),
                connection.in_atomic_block,
                [d.pk for d, _ in analyses],
            )
        )

    receiver(record)
    with transaction.atomic():
        outer = connection.savepoint_ids[:]
        assert analyse_documents([d.pk for d in documents]) == 5
        assert connection.savepoint_ids == outer
    assert [len(pks) for _, _, pks in seen] == [2, 2, 1]
    assert [pk for _, _, pks in seen for pk in pks] == [d.pk for d in documents]
    assert all(ident != threading.get_ident() for ident, _, _ in seen)
    assert all(in_block for _, in_block, _ in seen)
    assert statuses(documents) == [AnalysisStatus.DONE] * 5
    assert DocumentAnalysis.objects.filter(document__in=documents).count() == 5
    assert Suggestion.objects.filter(document__in=documents).exists()
    # The caller's connection is its own again.
    assert connection.allow_thread_sharing is False


def test_a_failed_write_fails_the_chunk_which_then_goes_one_by_one(documents, receiver):
    receiver(failing_for(documents[2]))
    assert _analyse_chunk([d.pk for d in documents]) == 4
    assert statuses(documents) == [
        AnalysisStatus.DONE,
        AnalysisStatus.DONE,
        AnalysisStatus.FAILED,
        AnalysisStatus.DONE,
        AnalysisStatus.DONE,
    ]
    failed = Document.objects.get(pk=documents[2].pk)
    assert failed.analysis_error == "RuntimeError: storage refused"
    assert not DocumentAnalysis.objects.filter(document=documents[2]).exists()
    assert not Suggestion.objects.filter(document=documents[2]).exists()
    assert connection.allow_thread_sharing is False


def test_a_retried_chunk_writes_nothing_twice(documents):
    ids = [d.pk for d in documents]
    assert _analyse_chunk(ids) == 5
    rows = sorted(
        Suggestion.objects.filter(document__in=documents).values_list(
            "document_id", "tag_id", "start", "end"
        )
    )
    assert rows
    assert _analyse_chunk(ids) == 0  # already analysed: skipped
    assert (
        sorted(
            Suggestion.objects.filter(document__in=documents).values_list(
                "document_id", "tag_id", "start", "end"
            )
        )
        == rows
    )
    assert DocumentAnalysis.objects.filter(document__in=documents).count() == 5


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_failed_write_leaves_no_document_running(
    documents, receiver
):
    """Each group commits on its own: the first is kept, the failed one is
    rolled back, and it and the rest are marked failed with the reason."""
    receiver(failing_for(documents[2]))
    with pytest.raises(RuntimeError, match="storage refused"):
        analyse_documents([d.pk for d in documents])
    assert (
        statuses(documents) == [AnalysisStatus.DONE] * 2 + [AnalysisStatus.FAILED] * 3
    )
    assert set(
        Document.objects.filter(pk__in=[d.pk for d in documents[2:]]).values_list(
            "analysis_error", flat=True
        )
    ) == {"RuntimeError: storage refused"}
    assert DocumentAnalysis.objects.filter(document__in=documents).count() == 2
    assert connection.allow_thread_sharing is False
