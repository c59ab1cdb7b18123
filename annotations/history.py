"""Recording changes: every create, update and delete, with who and when.

Services call ``history_record`` inside their transaction, after the write,
with snapshots from ``snapshot``. Replaying the ``after`` snapshots of an
object in order reproduces every state it went through.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from annotations.models import HistoryAction, HistoryEntry


def snapshot(obj: models.Model) -> dict[str, Any]:
    """A JSON-safe dict of the object's concrete fields and many-to-many ids.

    Foreign keys are stored as ids (``<name>_id``); many-to-many fields as
    sorted id lists. Reads M2M from the database, so call it after M2M
    changes are saved.
    """
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.attname] = value
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.remote_field.through._meta.auto_created:
                data[field.name] = sorted(
                    getattr(obj, field.name).values_list("pk", flat=True)
                )
    # Round-trip through the JSON encoder so datetimes become strings now,
    # exactly as they will be stored.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def object_type(obj: models.Model) -> str:
    return obj._meta.model_name


def history_record(
    *,
    project,
    actor,
    obj: models.Model,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_id: int | None = None,
) -> HistoryEntry:
    """Append one history entry. ``object_id`` is needed for deletes,
    where ``obj.pk`` is already None."""
    if action not in HistoryAction.values:
        raise ValueError(f"Unknown history action {action!r}.")
    return HistoryEntry.objects.create(
        project=project,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        object_type=object_type(obj),
        object_id=object_id if object_id is not None else obj.pk,
        action=action,
        before=before,
        after=after,
    )


def history_for(obj: models.Model):
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


HIDDEN_FIELDS = {"id", "project_id", "prefix", "suffix", "created_at", "updated_at"}


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
