"""Reads of the change history: an object's entries, replay, filters, access."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import QuerySet

from audit.models import HistoryAction, HistoryEntry
from audit.services import HIDDEN_FIELDS, object_type
from projects.models import Membership, Project, Role
from projects.params import parse_id


def history_for(obj: models.Model) -> QuerySet[HistoryEntry]:
    """The entries of one object, oldest first."""
    return HistoryEntry.objects.filter(
        object_type=object_type(obj), object_id=obj.pk
    ).select_related("actor")


def history_replay(object_type: str, object_id: int) -> list[dict[str, Any] | None]:
    """Every state the object went through, oldest first.

    One item per entry: the ``after`` snapshot (``None`` once deleted).
    Each entry's ``before`` is checked against the previous state, so a gap
    in the record (a write that bypassed the services) raises instead of
    silently producing a wrong past.
    """
    states: list[dict[str, Any] | None] = []
    entries = HistoryEntry.objects.filter(
        object_type=object_type, object_id=object_id
    ).order_by("at", "pk")
    for entry in entries:
        if states and entry.before is not None and entry.before != states[-1]:
            raise HistoryGapError(
                f"History of {object_type} {object_id} has a gap before entry "
                f"{entry.pk}: its 'before' differs from the previous 'after'."
            )
        states.append(entry.after)
    return states


class HistoryGapError(Exception):
    """The recorded history of an object is not a continuous chain."""


def history_changes(entry: HistoryEntry) -> list[tuple[str, Any, Any]]:
    """The fields an entry changed, as (field, before, after), sorted.

    For display: bookkeeping fields are left out, and for creations and
    deletions so are empty values. Exports keep the full snapshots.
    """
    before = entry.before or {}
    after = entry.after or {}
    whole = entry.before is None or entry.after is None
    return [
        (key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
        and key not in HIDDEN_FIELDS
        and not (whole and before.get(key, after.get(key)) in (None, "", [], {}))
    ]


def history_allowed(membership: Membership | None, project: Project) -> bool:
    """Who may read a project's history.

    Snapshots hold annotations' quotes and notes: in blind mode only
    reviewers and owners read them (so the history cannot unblind an
    analyst); otherwise every member does.
    """
    if membership is None:
        return False
    return membership.allows(Role.REVIEWER) or not project.blind_mode


def history_filter(
    project: Project, params: Mapping[str, Any]
) -> QuerySet[HistoryEntry]:
    """Entries of ``project`` filtered by the query parameters ``type``,
    ``id``, ``action``, ``actor`` (username), ``since``, ``until`` (ISO dates)."""
    return history_filter_entries(HistoryEntry.objects.filter(project=project), params)


def history_filter_entries(
    entries: QuerySet[HistoryEntry], params: Mapping[str, Any]
) -> QuerySet[HistoryEntry]:
    entries = entries.select_related("actor")
    if value := params.get("type"):
        entries = entries.filter(object_type=value)
    if (value := parse_id(params.get("id"))) is not None:
        entries = entries.filter(object_id=value)
    if (value := params.get("action")) in HistoryAction.values:
        entries = entries.filter(action=value)
    if value := params.get("actor"):
        entries = entries.filter(actor__username=value)
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        value = params.get(name, "")
        if _is_date(value):
            entries = entries.filter(**{lookup: value})
    return entries.order_by("at", "pk")


def _is_date(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True
