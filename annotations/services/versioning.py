"""Optimistic locking shared by the services of versioned records.

Annotations, claims and assessments carry a ``version``; an edit names the
version it was based on. One helper locks the row and compares, so every
record answers a stale edit (or one on a record deleted meanwhile) with the
same kind of ``ConflictError`` carrying the current state.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

from corpus.errors import ConflictError

M = TypeVar("M", bound=models.Model)


def locked_at_version(
    queryset: models.QuerySet[M], *, pk: int, expected_version: int, noun: str
) -> M:
    """Lock row ``pk`` and return it fresh, or raise ``ConflictError`` if it is
    gone or someone saved it since ``expected_version``. Call inside a
    transaction. ``noun`` names the record in the message ("this claim")."""
    current = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if current is None:
        raise ConflictError(f"Someone else deleted {noun}.", current=None)
    if int(expected_version) != current.version:
        raise ConflictError(
            f"Someone else saved {noun} (now version {current.version}, you "
            f"edited version {expected_version}). Your change was not saved; "
            "review the current state and apply it again.",
            current=current,
        )
    return current
