"""Optimistic locking shared by the services of versioned records.

Annotations, claims and assessments carry a ``version``; an edit names the
version it was based on. One helper locks the row and compares, so every
record answers a stale edit (or one on a record deleted meanwhile) with the
same kind of ``ConflictError`` carrying the current state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from django.db import models

from audit.models import HistoryAction
from audit.services import history_record, snapshot
from projects.errors import ConflictError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from projects.models import Project

M = TypeVar("M", bound=models.Model)


class _Versioned(Protocol):
    """What these helpers read of a record besides its being a model."""

    version: int
    project: Project


def locked_at_version(
    queryset: models.QuerySet[M], *, pk: int, expected_version: int, noun: str
) -> M:
    """Lock row ``pk`` and return it fresh, or raise ``ConflictError`` if it is
    gone or someone saved it since ``expected_version``. Call inside a
    transaction. ``noun`` names the record in the message ("this claim")."""
    current = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if current is None:
        raise ConflictError(f"Someone else deleted {noun}.", current=None)
    version = cast(_Versioned, current).version
    if int(expected_version) != version:
        raise ConflictError(
            f"Someone else saved {noun} (now version {version}, you "
            f"edited version {expected_version}). Your change was not saved; "
            "review the current state and apply it again.",
            current=current,
        )
    return current


def delete_at_version(
    queryset: models.QuerySet[M],
    *,
    pk: int,
    expected_version: int,
    noun: str,
    user: User,
) -> None:
    """Delete row ``pk`` if it is still at ``expected_version`` and record the
    deletion with the last state, so the history can show what was removed.
    Call inside a transaction; the row must have a ``project``."""
    current = locked_at_version(
        queryset, pk=pk, expected_version=expected_version, noun=noun
    )
    before = snapshot(current)
    project = cast(_Versioned, current).project
    current.delete()
    history_record(
        project=project,
        actor=user,
        obj=current,
        action=HistoryAction.DELETE,
        before=before,
        object_id=pk,
    )


def save_next_version(current: M, *, user: User, before: dict) -> M:
    """Save an already validated, locked record as its next version and
    record the change (``before`` is its snapshot from before the edit)."""
    versioned = cast(_Versioned, current)
    versioned.version += 1
    current.save()
    history_record(
        project=versioned.project,
        actor=user,
        obj=current,
        action=HistoryAction.UPDATE,
        before=before,
        after=snapshot(current),
    )
    return current
