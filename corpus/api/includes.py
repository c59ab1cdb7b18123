"""What ``GET /api/documents/<id>/?include=...`` can embed.

A client that shows a document with its annotations needs both; embedding
them saves a round trip (one request, a fixed number of queries). The rows
belong to apps above ``corpus`` (annotations), which may not be imported
here: each such app registers a reader for its name when it starts
(``AppConfig.ready``), and the document endpoint calls it. A reader gets
the request's user and the permission-checked document and must apply its
own visibility rules (membership, blind mode).

An app may also register a ``column``: SQL that computes the same value for
a document id and a user inside the document's own query, so that the
endpoint answers in one query whatever it embeds. The column must apply the
same visibility rules as the reader (it runs before the document's
membership is known; the endpoint discards it when the document is not
visible) and return what the reader returns, as JSON text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from corpus.models import Document

DocumentInclude = Callable[["User | AnonymousUser", "Document"], Any]
#: ``column(document_id, user_id)``: ``(sql, params)`` of a scalar subquery
#: yielding the include's value as JSON text (or None when the include has
#: no single-query form on this database).
DocumentIncludeColumn = Callable[[int, int], "tuple[str, tuple[Any, ...]] | None"]


@dataclass(frozen=True)
class _Include:
    reader: DocumentInclude
    column: DocumentIncludeColumn | None


_INCLUDES: dict[str, _Include] = {}


def document_include_register(
    name: str, reader: DocumentInclude, *, column: DocumentIncludeColumn | None = None
) -> None:
    """Offer ``?include=<name>`` on the document endpoint, read by ``reader``
    (or, in the document's own query, by ``column``)."""
    _INCLUDES[name] = _Include(reader, column)


def document_includes() -> dict[str, DocumentInclude]:
    """The registered includes, by name."""
    return {name: include.reader for name, include in _INCLUDES.items()}


def document_include_column(
    name: str, document_id: int, user_id: int
) -> tuple[str, tuple[Any, ...]] | None:
    """The single-query form of include ``name`` for one document and user,
    or None (then the endpoint calls the reader)."""
    include = _INCLUDES[name]
    return None if include.column is None else include.column(document_id, user_id)
