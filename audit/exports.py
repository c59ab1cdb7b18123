"""History as a filterable queryset and as CSV or JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet

from audit.models import HistoryEntry
from projects.spreadsheets import spreadsheet_safe


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
