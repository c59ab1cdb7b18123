"""Names instead of ids on the history pages.

History stores snapshots with foreign keys as ids (``annotator_id: 7``,
``tags: [3, 5]``), which is right for replay and exports but unreadable on
a page. ``history_label`` rewrites one page of entries for display: each
related id becomes the object's name (a user's full name or username, a
document's title, a tag's name), fetched in one query per related model,
and each entry gets a label for the object it is about. Objects that no
longer exist, or belong to another project, keep their ``#id``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from audit.models import HistoryEntry
from projects.models import Project


def _models_by_type() -> dict[str, type[models.Model]]:
    found: dict[str, type[models.Model]] = {}
    for app in settings.GLOSSA_APPS:
        for model in apps.get_app_config(app).get_models():
            found.setdefault(model._meta.model_name or "", model)
    return found


def _relations(model: type[models.Model]) -> dict[str, tuple[str, type[models.Model]]]:
    """Snapshot key -> (field name shown, related model), for FKs and M2Ms."""
    relations: dict[str, tuple[str, type[models.Model]]] = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            related = field.related_model
            if isinstance(related, type):
                relations[field.attname] = (field.name, related)
    for m2m in model._meta.many_to_many:
        if isinstance(m2m.related_model, type):
            relations[m2m.name] = (m2m.name, m2m.related_model)
    return relations


# The field that names an object, in order of preference; a model with
# none of them keeps its "#id". Read with ``values()``: one query per model,
# never the models' ``__str__`` (some follow relations row by row).
LABEL_FIELDS = ("title", "name", "proposition", "quote", "code", "email")


def _names(
    model: type[models.Model], ids: set[int], project: Project
) -> dict[int, str]:
    if model is get_user_model():
        users = model._default_manager.filter(pk__in=ids)
        return {
            u.pk: u.get_full_name() or u.get_username()
            for u in users.only("pk", "first_name", "last_name", "username")
        }
    field_names = {f.name for f in model._meta.fields}
    label = next((name for name in LABEL_FIELDS if name in field_names), None)
    if label is None:
        return {}
    queryset = model._default_manager.filter(pk__in=ids)
    if "project" in field_names:
        queryset = queryset.filter(project=project)
    return {
        pk: " ".join(str(value).split())[:80] or f"#{pk}"
        for pk, value in queryset.values_list("pk", label)
    }


def history_label(entries: Iterable[HistoryEntry], project: Project) -> None:
    """Set ``entry.label`` and turn ids in ``entry.changes`` into names.

    ``entry.changes`` must already be set (``history_changes``); each is
    rewritten as (field, before, after) with related ids named.
    """
    entries = list(entries)
    types = _models_by_type()
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for entry in entries:
        model = types.get(entry.object_type)
        if model is None:
            continue
        wanted[model].add(entry.object_id)
        relations = _relations(model)
        for key, before, after in entry.changes:  # type: ignore[attr-defined]
            if key in relations:
                related = relations[key][1]
                for value in (before, after):
                    wanted[related].update(_ids(value))
    names = {model: _names(model, ids, project) for model, ids in wanted.items()}
    for entry in entries:
        model = types.get(entry.object_type)
        entry.label = (  # type: ignore[attr-defined]
            names.get(model, {}).get(entry.object_id, "") if model else ""
        )
        if model is None:
            continue
        relations = _relations(model)
        rewritten = []
        for key, before, after in entry.changes:  # type: ignore[attr-defined]
            if key in relations:
                shown, related = relations[key]
                found = names.get(related, {})
                rewritten.append((shown, _named(before, found), _named(after, found)))
            else:
                rewritten.append((key, before, after))
        entry.changes = rewritten  # type: ignore[attr-defined]


def _ids(value: Any) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
    return []


def _named(value: Any, found: dict[int, str]) -> Any:
    if isinstance(value, list):
        return ", ".join(found.get(v, f"#{v}") for v in value) or None
    if isinstance(value, int) and not isinstance(value, bool):
        return found.get(value, f"#{value}")
    return value
