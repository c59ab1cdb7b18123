"""Recording changes: every create, update and delete, with who and when.

Services call ``history_record`` inside their transaction, after the write,
with snapshots from ``snapshot``. Replaying the ``after`` snapshots of an
object in order reproduces every state it went through.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from audit.models import HistoryAction, HistoryEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from projects.models import Project


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
            through = cast("type[models.Model]", field.remote_field.through)
            if through._meta.auto_created:
                data[field.name] = sorted(
                    getattr(obj, field.name).values_list("pk", flat=True)
                )
    # Round-trip through the JSON encoder so datetimes become strings now,
    # exactly as they will be stored.
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def object_type(obj: models.Model) -> str:
    """The name history entries give the object's model: its bare model name.

    No app label, on purpose: history URLs (``history/<type>/<id>/``) and
    project archives carry it, and a model that moves to another app (as
    Claim moved from ``annotations`` to ``legal``) keeps its name, so old
    entries and archives stay valid. Model names are unique across apps.
    """
    # Always set for a concrete model; the stubs allow None before setup.
    return cast(str, obj._meta.model_name)


def history_record(
    *,
    project: Project,
    actor: User | None,
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


def history_record_created(
    *, project: Project, actor: User | None, objs: list[models.Model]
) -> list[HistoryEntry]:
    """One "create" entry per new object, in one INSERT: for objects made in
    bulk (a project's default tags), which ``history_record`` would write one
    query at a time."""
    entries = [
        HistoryEntry(
            project=project,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            object_type=object_type(obj),
            object_id=obj.pk,
            action=HistoryAction.CREATE,
            after=snapshot(obj),
        )
        for obj in objs
    ]
    return HistoryEntry.objects.bulk_create(entries)


HIDDEN_FIELDS = {"id", "project_id", "prefix", "suffix", "created_at", "updated_at"}
