"""What ``GET /api/documents/<id>/?include=...`` can embed.

A client that shows a document with its annotations needs both; embedding
them saves a round trip (one request, a fixed number of queries). The rows
belong to apps above ``corpus`` (annotations), which may not be imported
here: each such app registers a reader for its name when it starts
(``AppConfig.ready``), and the document endpoint calls it. A reader gets
the request's user and the permission-checked document and must apply its
own visibility rules (membership, blind mode).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from corpus.models import Document

DocumentInclude = Callable[["User | AnonymousUser", "Document"], Any]

_INCLUDES: dict[str, DocumentInclude] = {}


def document_include_register(name: str, reader: DocumentInclude) -> None:
    """Offer ``?include=<name>`` on the document endpoint, read by ``reader``."""
    _INCLUDES[name] = reader


def document_includes() -> dict[str, DocumentInclude]:
    """The registered includes, by name."""
    return dict(_INCLUDES)
