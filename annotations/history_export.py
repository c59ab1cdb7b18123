"""History as a filterable queryset and as CSV or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from corpus.models import Membership, Project, Role

from annotations.exports.base import spreadsheet_safe
from annotations.models import HistoryAction, HistoryEntry
from annotations.params import parse_id


def history_allowed(membership: Membership | None, project: Project) -> bool:
    """Who may read a project's history.

    Snapshots hold annotations' quotes and notes: in blind mode only
    reviewers and owners read them (so the history cannot unblind an
    analyst); otherwise every member does.
    """
    if membership is None:
        return False
    return membership.allows(Role.REVIEWER) or not project.blind_mode


def history_filter(project: Project, params) -> QuerySet[HistoryEntry]:
    """Entries of ``project`` filtered by the query parameters ``type``,
    ``id``, ``action``, ``actor`` (username), ``since``, ``until`` (ISO dates)."""
    return history_filter_entries(HistoryEntry.objects.filter(project=project), params)


def history_filter_entries(entries, params) -> QuerySet[HistoryEntry]:
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


def entry_dict(entry: HistoryEntry) -> dict:
    return {
        "id": entry.pk,
        "at": entry.at,
        "actor": entry.actor.get_username() if entry.actor else None,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }


def history_jsonl(entries: QuerySet[HistoryEntry]) -> Iterator[str]:
    for entry in entries.iterator(chunk_size=500):
        yield json.dumps(entry_dict(entry), cls=DjangoJSONEncoder) + "\n"


def history_csv(entries: QuerySet[HistoryEntry]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["id", "at", "actor", "object_type", "object_id", "action", "before", "after"]
    )
    for entry in entries.iterator(chunk_size=500):
        data = entry_dict(entry)
        writer.writerow(
            [
                data["id"],
                data["at"].isoformat(),
                spreadsheet_safe(data["actor"] or ""),
                data["object_type"],
                data["object_id"],
                data["action"],
                spreadsheet_safe(json.dumps(data["before"], cls=DjangoJSONEncoder)),
                spreadsheet_safe(json.dumps(data["after"], cls=DjangoJSONEncoder)),
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
