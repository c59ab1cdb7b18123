"""``bulk_create`` as one ``INSERT ... VALUES``, for rows with long text.

On PostgreSQL, Django 5.2 writes a bulk insert as ``INSERT ... SELECT * FROM
UNNEST(%s::text[], ...)``: one array per column. With psycopg's client-side
binding (Django's default) each array is quoted in Python, a regular
expression escaping every quote and backslash of every element, which for
the analyses' JSON (tens of kilobytes of quotes per document) costs more
than all the database work. A plain ``VALUES`` list quotes each value with
libpq instead. (For many short values, such as suggestions, UNNEST is the
cheaper of the two.) Django keeps
the plain form whenever a value is an expression, so one value of the first
row is given as ``Value(...)`` for the call and put back afterwards.

``bulk_insert_unnest`` is the UNNEST form without Django's per-value work,
for many short rows of plain columns (suggestions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router
from django.db.models import Value
from django.utils import timezone


def bulk_create_values(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    field: str,
    **kwargs: Any,
) -> list[models.Model]:
    """``model.objects.bulk_create(objs, **kwargs)`` written as ``VALUES``.

    ``field`` names a concrete, non-key field whose value Django does not
    compute on save (not ``auto_now``), used to carry the expression.
    """
    objs = list(objs)
    if len(objs) < 2:
        return model._default_manager.bulk_create(objs, **kwargs)
    first = objs[0]
    value = getattr(first, field)
    output = model._meta.get_field(field)
    assert isinstance(output, models.Field)
    setattr(first, field, Value(value, output_field=output))
    try:
        return model._default_manager.bulk_create(objs, **kwargs)
    finally:
        setattr(first, field, value)


# Field types whose Python values PostgreSQL takes as they are (no
# conversion in Field.get_db_prep_save beyond what __init__ already did).
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateTimeField",
        "FloatField",
        "IntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def bulk_insert_unnest(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert ``objs`` as one ``INSERT ... SELECT * FROM UNNEST(...)``.

    What ``bulk_create`` writes for many short rows, without its per-value
    work (``pre_save`` and ``get_db_prep_save`` for every field of every
    row, a third of creating thousands of suggestions): each column is read
    straight off the objects. Only for models whose columns are all
    ``PLAIN_TYPES`` (or foreign keys to them); ``auto_now``/``auto_now_add``
    fields get one timestamp for the call, set on the objects too. Primary
    keys are not read back (as with ``ignore_conflicts``). Elsewhere than
    on PostgreSQL, plain ``bulk_create``.
    """
    objs = list(objs)
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        # UNNEST of typed arrays is PostgreSQL's (SQLite: make run's default).
        model._default_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns, casts, arrays = [], [], []
    now = timezone.now()
    for field in fields:
        target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
        kind = target.get_internal_type()
        if kind not in PLAIN_TYPES:
            raise TypeError(f"{model.__name__}.{field.name} is not plain ({kind})")
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
        column, db_type = field.column, field.db_type(connection)
        assert column and db_type, f"{model.__name__}.{field.name} has no column"
        columns.append(connection.ops.quote_name(column))
        casts.append(f"(%s)::{db_type.split('(')[0]}[]")
        arrays.append([getattr(obj, field.attname) for obj in objs])
    table = connection.ops.quote_name(model._meta.db_table)
    # Names and casts come from the model, never from input.
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM UNNEST("  # noqa: S608
    sql += f"{', '.join(casts)})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)
