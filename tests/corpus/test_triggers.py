"""The hand-written SQL of ``corpus`` migrations exists and works.

The immutability trigger (migration 0002) and the search column with its GIN
index (0003) are raw SQL that ``makemigrations`` knows nothing about: when
migrations are regenerated they can silently go missing. These tests look
them up in the PostgreSQL catalogue and exercise them with raw SQL, which
bypasses every model check.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.db import IntegrityError, connection, transaction

from corpus.models import AnalysisStatus, Document
from tests.factories import DocumentFactory

pytestmark = pytest.mark.postgres


def trigger_definition(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_triggerdef(oid), tgenabled FROM pg_trigger "
            "WHERE tgname = %s AND NOT tgisinternal",
            [name],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, f"trigger {name} is missing"
    definition, enabled = rows[0]
    assert enabled == "O", f"trigger {name} is disabled"
    return definition


def test_document_immutability_trigger_exists(db):
    definition = trigger_definition("corpus_document_immutable")
    assert "BEFORE UPDATE ON public.corpus_document" in definition
    assert "FOR EACH ROW EXECUTE FUNCTION glossa_document_immutable()" in definition


@pytest.mark.parametrize(
    ("column", "value"),
    [("text", "Rewritten."), ("text_sha256", "0" * 64), ("sha256", "f" * 64)],
)
def test_raw_update_of_text_or_hashes_is_refused(document, column, value):
    before = Document.objects.values_list(column, flat=True).get(pk=document.pk)
    with (
        pytest.raises(IntegrityError, match="cannot change"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # ``column`` is one of the parametrized names above, never input.
        sql = f"UPDATE corpus_document SET {column} = %s WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [value, document.pk])
    assert Document.objects.values_list(column, flat=True).get(pk=document.pk) == (
        before
    )


def test_raw_update_of_other_columns_is_allowed(document):
    """The trigger guards the evidence only: metadata may be corrected."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE corpus_document SET title = %s, text = text WHERE id = %s",
            ["Corrected title", document.pk],
        )
    document.refresh_from_db()
    assert document.title == "Corrected title"


def test_search_column_and_gin_index_exist(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes "
            "WHERE tablename = 'corpus_document' "
            "AND indexname = 'corpus_document_search_gin'"
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = 'corpus_document' AND column_name = 'search_vector'"
        )
        column = cursor.fetchone()
    assert len(rows) == 1, "the GIN index corpus_document_search_gin is missing"
    assert "USING gin (search_vector)" in rows[0][0]
    # An ordinary column kept by a trigger (0011), no longer generated (0003).
    assert column == ("tsvector", "NEVER")
    definition = trigger_definition("corpus_document_search_vector")
    assert (
        "BEFORE INSERT OR UPDATE OF title, text, search_vector "
        "ON public.corpus_document" in definition
    )


def test_search_column_is_kept_current_and_the_index_serves_it(project):
    """The trigger fills the column (title and text) on insert, and a match
    query can use the GIN index."""
    DocumentFactory(project=project, title="Harbour notice", text="Boats left.")
    DocumentFactory(project=project, title="Budget", text="Figures only.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM corpus_document "
            "WHERE search_vector @@ plainto_tsquery('english', 'harbour')"
        )
        assert cursor.fetchall() == [("Harbour notice",)]
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM corpus_document "
            "WHERE search_vector @@ plainto_tsquery('english', 'harbour')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "corpus_document_search_gin" in plan


def search_vector(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM corpus_document WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


def expected_vector(title: str, text: str) -> str:
    """0003's expression, computed apart from the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (setweight(to_tsvector('english', coalesce(%s, '')), 'A') "
            "|| setweight(to_tsvector('english', left(%s, 250000)), 'B'))::text",
            [title, text],
        )
        return cursor.fetchone()[0]


def test_search_vector_follows_a_title_edit_and_refuses_a_forged_one(project):
    document = cast(
        Document,
        DocumentFactory(
            project=project, title="Harbour notice", text="Boats left the port."
        ),
    )
    assert search_vector(document.pk) == expected_vector(
        "Harbour notice", "Boats left the port."
    )
    Document.objects.filter(pk=document.pk).update(title="Coast guard report")
    assert search_vector(document.pk) == expected_vector(
        "Coast guard report", "Boats left the port."
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE corpus_document SET search_vector = 'forged'::tsvector "
            "WHERE id = %s",
            [document.pk],
        )
    assert search_vector(document.pk) == expected_vector(
        "Coast guard report", "Boats left the port."
    )


def test_a_status_update_does_not_recompute_the_search_vector(project):
    """Analysis status changes (several per document) leave the vector alone:
    the trigger runs only when title or text is written. A vector set with
    the trigger disabled stays as it is through a status update."""
    document = cast(
        Document, DocumentFactory(project=project, title="Harbour", text="Boats left.")
    )
    with connection.cursor() as cursor:
        # Triggers off for this one write (session_replication_role: replica).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE corpus_document SET search_vector = 'marker'::tsvector "
            "WHERE id = %s",
            [document.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    Document.objects.filter(pk=document.pk).update(
        analysis_status=AnalysisStatus.DONE, analysis_error=""
    )
    assert search_vector(document.pk) == "'marker'"
