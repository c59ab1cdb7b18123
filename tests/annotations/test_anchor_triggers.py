"""The span anchor triggers (``annotations`` migrations 0002, 0007) exist and fire.

They are raw SQL that ``makemigrations`` knows nothing about, so a
regenerated migration set can lose them silently. Each is looked up in the
PostgreSQL catalogue and exercised with raw INSERT and UPDATE statements,
which bypass ``anchor()``, ``full_clean()`` and every other model check.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from annotations.models import Annotation, Suggestion
from tests.factories import make_annotation

pytestmark = pytest.mark.postgres

TABLES = {
    "annotations_annotation": Annotation,
    "annotations_suggestion": Suggestion,
}


@pytest.fixture
def span(document, owner, request):
    """One stored, correctly anchored row of the parametrized table."""
    model = TABLES[request.param]
    if model is Annotation:
        return make_annotation(document, owner, 0, 9, tags=["official_claim"])
    return Suggestion.objects.create(
        project=document.project,
        document=document,
        tag=document.project.tags.get(key="official_claim"),
        start=0,
        end=9,
        quote=document.text[0:9],
        rule="test",
    )


def copy_sql(model, **overrides) -> tuple[str, list]:
    """INSERT ... SELECT copying one row (id as the last parameter) with some
    columns replaced by parameters."""
    columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = ", ".join(
        "%s" if c in overrides else connection.ops.quote_name(c) for c in columns
    )
    # Table and column names come from the model, values are parameters.
    sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} WHERE id = %s"  # noqa: S608
    return sql, [overrides[c] for c in columns if c in overrides]


@pytest.mark.parametrize("table", TABLES)
def test_anchor_trigger_exists(db, table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_triggerdef(oid), tgenabled FROM pg_trigger "
            "WHERE tgname = %s AND NOT tgisinternal",
            [f"{table}_anchor"],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, f"trigger {table}_anchor is missing"
    definition, enabled = rows[0]
    assert enabled == "O"
    assert (
        'BEFORE UPDATE OF start, "end", quote, document_id, project_id '
        f"ON public.{table} FOR EACH ROW EXECUTE FUNCTION glossa_span_anchor_check()"
    ) in definition
    # Inserts: once per statement over the inserted rows (migration 0007).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgname = %s AND NOT tgisinternal",
            [f"{table}_anchor_insert"],
        )
        [(definition,)] = cursor.fetchall()
    assert (
        f"AFTER INSERT ON public.{table} REFERENCING NEW TABLE AS inserted "
        "FOR EACH STATEMENT EXECUTE FUNCTION glossa_span_anchor_check_inserted()"
    ) in definition


@pytest.mark.parametrize("span", TABLES, indirect=True)
def test_raw_insert_with_a_quote_that_does_not_match_is_refused(span):
    model = type(span)
    count = model.objects.count()
    # Other offsets, so no unique constraint can answer before the trigger.
    sql, params = copy_sql(model, start=1, end=10, quote="Not there")
    with (
        pytest.raises(IntegrityError, match="quote does not match"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [*params, span.pk])
    assert model.objects.count() == count


@pytest.mark.parametrize("span", TABLES, indirect=True)
def test_raw_insert_that_matches_is_stored(span):
    """The control: the same statement with the right quote goes through."""
    model = type(span)
    text = span.document.text
    sql, params = copy_sql(model, start=1, end=10, quote=text[1:10])
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, span.pk])
    assert model.objects.filter(start=1, end=10, quote=text[1:10]).exists()


@pytest.mark.parametrize("span", TABLES, indirect=True)
@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("quote = 'Not there'", "quote does not match"),
        ("start = start + 1", "quote does not match"),
        ('"end" = "end" + 100000', "outside the document text"),
    ],
)
def test_raw_update_that_breaks_the_anchor_is_refused(span, assignment, message):
    model = type(span)
    table = model._meta.db_table
    with (
        pytest.raises(IntegrityError, match=message),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Both parts are this module's constants, never input.
        sql = f"UPDATE {table} SET {assignment} WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [span.pk])
    fresh = model.objects.get(pk=span.pk)
    assert (fresh.start, fresh.end, fresh.quote) == (span.start, span.end, span.quote)


@pytest.mark.django_db
def test_a_bulk_insert_into_a_long_text_is_checked_row_by_row(project, owner):
    """Spans at any offset of a text longer than one piece (16,384
    characters), across piece boundaries, in one bulk INSERT: the right ones
    go in, and one wrong quote among them refuses the statement."""
    from corpus.services import document_create

    text = "".join(f"Zeile {i} über die Häfen. " for i in range(6000))
    document = document_create(project=project, original=b"long", text=text)
    tag = project.tags.get(key="official_claim")

    def suggestion(start: int, end: int, quote: str | None = None) -> Suggestion:
        return Suggestion(
            project=project,
            document=document,
            tag=tag,
            start=start,
            end=end,
            quote=text[start:end] if quote is None else quote,
            rule="test",
        )

    starts = [0, 16380, 16384, 32760, 100_000, len(text) - 30]
    spans = [suggestion(s, s + 25) for s in starts] + [suggestion(50, 40_000)]
    Suggestion.objects.bulk_create(spans)
    assert Suggestion.objects.filter(document=document).count() == len(spans)
    wrong = [suggestion(70_000, 70_010), suggestion(70_020, 70_030, "not there!")]
    with (
        pytest.raises(IntegrityError, match="quote does not match"),
        transaction.atomic(),
    ):
        Suggestion.objects.bulk_create(wrong)
    outside = [suggestion(len(text) - 5, len(text) + 5, "x" * 10)]
    with (
        pytest.raises(IntegrityError, match="outside the document"),
        transaction.atomic(),
    ):
        Suggestion.objects.bulk_create(outside)
    assert Suggestion.objects.filter(document=document).count() == len(spans)
