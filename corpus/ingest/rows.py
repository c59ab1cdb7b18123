"""Writing a chunk of new Document rows in one PostgreSQL COPY.

``bulk_create`` builds, for every row, every field's database value through
the ORM and then sends each column as an array that the driver adapts in
Python: for 1,000 short documents that costs more than the insert itself
(measured: 0.8 s of a 2 s store). Here the ids are taken from the table's
sequence in one query and the rows are streamed with ``COPY ... FROM
STDIN``, each value read once from the instance (psycopg's C ``write_row``
formats them: measured faster than building COPY's text format in Python).
The database checks every constraint as for an INSERT, so a refused row
fails the whole COPY, and the caller's savepoint (``corpus.ingest.store``)
falls back to one by one. Other databases (SQLite in some tests) use
``bulk_create``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from corpus.models import Document


def insert_documents(
    documents: Iterable[Document], count: int | None = None
) -> list[Document]:
    """Insert unsaved ``documents``; each gets its primary key, as with
    ``bulk_create``. Return them.

    ``documents`` may be an iterator that builds each document as the COPY
    runs, with ``count`` the most it yields: the database then indexes the
    rows already sent while the next are built (two cores at work rather
    than one after the other). Ids taken for documents it does not yield
    stay unused, as after a rolled-back insert.
    """
    if count is None:
        documents = list(documents)
        count = len(documents)
    if not count:
        return []
    if connection.vendor != "postgresql":
        built = list(documents)
        Document.objects.bulk_create(built)
        return built
    table = Document._meta.db_table
    columns = _columns()
    now = timezone.now()
    written: list[Document] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = ", ".join(connection.ops.quote_name(c) for c, _, _ in columns)
        raw = cursor.cursor  # the driver's cursor (psycopg 3), for COPY
        read, converts, auto_now = _plan()
        with raw.copy(f"COPY {table} (id, {names}) FROM STDIN") as copy:
            # Ids first: no document is built past the last id.
            for pk, document in zip(ids, documents, strict=False):
                document.id = pk
                # The instance's own values, read at once: no descriptor (a
                # FileField's makes a FieldFile per read) for what a new row
                # holds.
                try:
                    row: list[Any] = [pk, *read(document.__dict__)]
                except KeyError:  # a deferred field: read through the instance
                    row = [pk, *(getattr(document, c) for c, _, _ in columns)]
                for at, attname in auto_now:
                    if row[at] is None:
                        row[at] = now
                        setattr(document, attname, now)
                for at, convert in converts:
                    row[at] = convert(row[at])
                copy.write_row(row)
                written.append(document)
    for document in written:
        document._state.adding = False
        document._state.db = "default"
    return written


def new_document(values: dict[str, Any]) -> Document:
    """``Document(**values)``, built without Django's constructor: its
    values go straight into the instance's ``__dict__``, which is all the
    positional path (the one ``from_db`` takes) does for a new document's
    fields, at a fraction of its cost for a chunk of short records. Related
    instances given by name (``project=``) are cached on the document as
    the keyword path does. Should a ``pre_init``/``post_init`` receiver be
    connected, Django's positional constructor runs (it sends them); an
    unknown name, or a related value given by id, takes the keyword path
    (which raises for an unknown name, as before)."""
    if not _RELATIONS:
        for f in Document._meta.concrete_fields:
            if f.is_relation:
                _RELATIONS[f.name] = f.attname
    by_attname: dict[str, Any] = {}
    cached: dict[str, Any] = {}
    for key, value in values.items():
        attname = _RELATIONS.get(key)
        if attname is not None:
            if value is not None and not isinstance(value, models.Model):
                return Document(**values)
            by_attname[attname] = value.pk if value is not None else None
            cached[key] = value
        else:
            by_attname[key] = value
    if not by_attname.keys() <= _attnames():
        return Document(**values)
    return build_document(by_attname, cached)


def build_document(by_attname: dict[str, Any], cached: dict[str, Any]) -> Document:
    """A new Document from its column values by attname (``project_id``;
    every other concrete field gets its default), with ``cached`` related
    instances by field name (``project``); see ``new_document``."""
    template, called = _defaults()
    state = template.copy()  # the fields' order, as Django's constructor
    for attname, default in called:
        if attname not in by_attname:
            state[attname] = default()
    state.update(by_attname)
    if len(state) != len(template):
        unknown = ", ".join(sorted(by_attname.keys() - template.keys()))
        raise TypeError(f"Document has no fields {unknown}.")
    document: Document
    if pre_init.receivers or post_init.receivers:
        # Django's positional constructor, which sends them. The
        # django-stubs plugin types positional values as the first field's:
        # hence the untyped constructor.
        build: Any = Document
        document = build(*state.values())
    else:
        document = Document.__new__(Document)
        state["_state"] = ModelState()
        document.__dict__ = state
        # What ``Document.__init__`` records (every field is loaded).
        document._loaded_immutable = {
            name: state[name] for name in Document.IMMUTABLE_FIELDS
        }
    document._state.fields_cache.update(cached)
    return document


_DEFAULTS: list[Any] = []


def _defaults() -> tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]]]:
    """Every concrete field's default by attname, in the fields' order, and
    the callable ones (``dict``), called per document as Django does."""
    if not _DEFAULTS:
        template: dict[str, Any] = {}
        called: list[tuple[str, Callable[[], Any]]] = []
        for f in Document._meta.concrete_fields:
            if f.has_default() and callable(f.default):
                template[f.attname] = None
                called.append((f.attname, f.get_default))
            else:
                template[f.attname] = f.get_default()
        _DEFAULTS.extend([template, called])
    return _DEFAULTS[0], _DEFAULTS[1]


_RELATIONS: dict[str, str] = {}
_ATTNAMES: set[str] = set()


def _attnames() -> set[str]:
    if not _ATTNAMES:
        _ATTNAMES.update(f.attname for f in Document._meta.concrete_fields)
    return _ATTNAMES


_Column = tuple[str, Callable[[Any], Any] | None, bool]
_COLUMNS: list[_Column] = []


def _columns() -> list[_Column]:
    """(attname, converter or None, set-to-now-if-empty) per concrete field."""
    if not _COLUMNS:
        for f in Document._meta.concrete_fields:
            if f.primary_key:
                continue
            convert: Callable[[Any], Any] | None = None
            if isinstance(f, models.JSONField):
                encoder = f.encoder

                def convert(value: Any, encoder: Any = encoder) -> Any:
                    return None if value is None else json.dumps(value, cls=encoder)

            elif isinstance(f, models.FileField):
                convert = _file_name
            auto_now = bool(
                getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False)
            )
            _COLUMNS.append((f.attname, convert, auto_now))
    return _COLUMNS


_PLAN: list[Any] = []


def _plan() -> tuple[
    Callable[[dict[str, Any]], tuple[Any, ...]],
    list[tuple[int, Callable[[Any], Any]]],
    list[tuple[int, str]],
]:
    """``_columns`` as one reader of every column's value off an instance's
    ``__dict__``, and the row positions (after the id) to convert or to
    set to now when empty."""
    if not _PLAN:
        columns = _columns()
        converts = [(at, c) for at, (_, c, _) in enumerate(columns, 1) if c]
        auto_now = [(at, a) for at, (a, _, now) in enumerate(columns, 1) if now]
        _PLAN.extend([itemgetter(*(a for a, _, _ in columns)), converts, auto_now])
    return _PLAN[0], _PLAN[1], _PLAN[2]


def _file_name(value: Any) -> str:
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value or "")
