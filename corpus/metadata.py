"""Corrections to a document's metadata by the analysts (never its text).

Extraction may get a title, date or author wrong, or leave them unknown;
an analyst who knows better corrects them on ``/p/<slug>/d/<id>/edit/``.
Each correction is one history entry with the changed fields before and
after, so the record shows who said the date was 3 March and when.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from audit.models import HistoryAction
from audit.services import history_record
from corpus.models import DatePrecision, Document, DocumentKind
from projects.models import Role
from projects.permissions import check_role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What an analyst may correct; the text and its hashes never change.
EDITABLE_FIELDS = (
    "title",
    "published_at",
    "published_precision",
    "author",
    "kind",
    "language",
    "url",
)


def _json_safe(values: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return result


@transaction.atomic
def document_metadata_update(
    *, document: Document, user: User, **changes: Any
) -> list[str]:
    """Apply ``changes`` (a subset of ``EDITABLE_FIELDS``); return the names
    of the fields that really changed (none: nothing is recorded).

    A date with no stated day is kept as the first of its month (or year)
    with ``published_precision`` saying so; no date means unknown.
    """
    check_role(user, document.project, Role.ANALYST)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            dict.fromkeys(unknown, "This field cannot be changed here.")
        )
    if changes.get("kind", DocumentKind.ARTICLE) not in DocumentKind.values:
        raise ValidationError({"kind": "Choose one of the document kinds."})
    if (
        changes.get("published_precision", DatePrecision.DAY)
        not in DatePrecision.values
    ):
        raise ValidationError({"published_precision": "Choose day, month or year."})
    current = Document.objects.select_for_update().without_bodies().get(pk=document.pk)
    if "published_at" in changes or "published_precision" in changes:
        moment = changes.get("published_at", current.published_at)
        precision = changes.get("published_precision", current.published_precision)
        changes["published_at"] = _truncate(moment, precision) if moment else None
        changes["published_precision"] = precision if moment else DatePrecision.DAY
    changed = [
        name for name, value in changes.items() if getattr(current, name) != value
    ]
    if not changed:
        return []
    if "language" in changed and current.language_confidence is not None:
        # A person now says the language: the detector's confidence no
        # longer describes it (and the change is recorded with it).
        changes["language_confidence"] = None
        changed.append("language_confidence")
    before = _json_safe({name: getattr(current, name) for name in changed})
    for name in changed:
        setattr(current, name, changes[name])
    keep = [f.name for f in Document._meta.fields if f.name not in changed]
    current.clean_fields(exclude=keep)
    current.save(update_fields=changed)
    for name in changed:
        setattr(document, name, getattr(current, name))
    history_record(
        project=document.project,
        actor=user,
        obj=document,
        action=HistoryAction.UPDATE,
        before=before,
        after=_json_safe({name: getattr(current, name) for name in changed}),
    )
    if "language" in changed:
        # The language picks the pipeline: analyse again with the right one
        # (or record that there is none for it).
        from corpus.jobs import queue_analysis

        queue_analysis(project=document.project, documents=[document], user=user)
    return changed


def _truncate(moment: datetime, precision: str) -> datetime:
    """The first instant of the month or year when only that is known."""
    if precision == DatePrecision.YEAR:
        return moment.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if precision == DatePrecision.MONTH:
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return moment
