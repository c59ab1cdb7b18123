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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.models import Value


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
