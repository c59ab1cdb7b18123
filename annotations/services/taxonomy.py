"""Writes on a project's tags (owner-only), each recorded in the history."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from annotations.colours import distinct_colours
from annotations.models import Tag
from annotations.rules import patterns_validate as suggest_patterns_problems
from audit.models import HistoryAction
from audit.services import history_record, snapshot
from projects.errors import ApplicationError
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import User

TAG_FIELDS = (
    "key",
    "name",
    "description",
    "colour",
    "hotkey",
    "patterns",
    "order",
    "is_active",
)
MAX_PATTERNS_BYTES = 64 * 1024


def patterns_validate(patterns: Any) -> list:
    """Parse and check a tag's suggestion rules; return them as data.

    Accepts a JSON string (from a form) or already-parsed data. The rule
    language belongs to ``annotations/rules.py``, whose checker we apply so
    an owner learns of a broken rule when saving it, not when analysis
    silently skips it. We also refuse anything too large to be hand-written.
    """
    if isinstance(patterns, str):
        text = patterns.strip() or "[]"
        if len(text.encode()) > MAX_PATTERNS_BYTES:
            raise ValidationError({"patterns": "Patterns are larger than 64 KB."})
        try:
            patterns = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {
                    "patterns": f"Patterns are not valid JSON: {exc.msg} "
                    f"(line {exc.lineno}, column {exc.colno})."
                }
            ) from exc
    problems = suggest_patterns_problems(patterns)
    if problems:
        raise ValidationError({"patterns": problems})
    if len(json.dumps(patterns).encode()) > MAX_PATTERNS_BYTES:
        raise ValidationError({"patterns": "Patterns are larger than 64 KB."})
    checked: list[Any] = patterns  # a list: suggest_patterns_problems said so
    return checked


def _save(tag: Tag) -> None:
    tag.hotkey = (tag.hotkey or "").strip()
    if tag.hotkey and not (tag.hotkey.isprintable() and tag.hotkey.isalnum()):
        raise ValidationError({"hotkey": "Use one letter or digit as the hotkey."})
    tag.patterns = patterns_validate(tag.patterns)
    tag.full_clean()
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError as exc:  # a concurrent writer took the key or hotkey
        raise ApplicationError(
            "Another tag in this project already uses that key or hotkey."
        ) from exc


@transaction.atomic
def tag_create(
    *, project: Project, user: User, key: str, name: str, **fields: Any
) -> Tag:
    """Add a tag to the project's taxonomy."""
    unknown = set(fields) - set(TAG_FIELDS)
    if unknown:
        raise ValueError(f"Unknown tag fields: {sorted(unknown)}")
    if "order" not in fields:
        last = project.tags.order_by("-order").values_list("order", flat=True)
        fields["order"] = (last.first() or 0) + 1
    tag = Tag(project=project, key=key, name=name, **fields)
    _save(tag)
    history_record(
        project=project,
        actor=user,
        obj=tag,
        action=HistoryAction.CREATE,
        after=snapshot(tag),
    )
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, user: User, **fields: Any) -> Tag:
    """Change a tag's fields; the key cannot change once annotations use it."""
    unknown = set(fields) - set(TAG_FIELDS)
    if unknown:
        raise ValueError(f"Unknown tag fields: {sorted(unknown)}")
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    before = snapshot(tag)
    if "key" in fields and fields["key"] != tag.key and tag.annotations.exists():
        raise ApplicationError(
            f"Tag {tag.key} is used by annotations; its key cannot change "
            "(rename it instead)."
        )
    for name, value in fields.items():
        setattr(tag, name, value)
    _save(tag)
    after = snapshot(tag)
    if after != before:
        history_record(
            project=tag.project,
            actor=user,
            obj=tag,
            action=HistoryAction.UPDATE,
            before=before,
            after=after,
        )
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, user: User) -> None:
    """Delete an unused tag; a used one can only be deactivated (deleting it
    would silently strip it from annotations and pending suggestions)."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    used = tag.annotations.count()
    if used or tag.suggestions.exists():
        raise ApplicationError(
            f"Tag {tag.key} is used by {used} annotation(s) or by suggestions; "
            "deactivate it instead so the record stays complete.",
            extra={"annotations": used},
        )
    before = snapshot(tag)
    pk = tag.pk
    project = tag.project
    tag.delete()
    history_record(
        project=project,
        actor=user,
        obj=tag,
        action=HistoryAction.DELETE,
        before=before,
        object_id=pk,
    )


@transaction.atomic
def tag_colours_make_distinct(*, project: Project, user: User) -> list[Tag]:
    """Give every tag of ``project`` whose colour is near-identical (CIEDE2000,
    ``annotations.colours.MIN_DISTANCE``) to an earlier tag's (in order) a
    colour from the distinct palette, so highlights can be told apart; each
    change goes through ``tag_update`` and so into the history. Returns the
    tags changed (none when the colours are distinct already)."""
    tags = list(project.tags.select_for_update().order_by("order", "pk"))
    colours = distinct_colours([tag.colour for tag in tags])
    return [
        tag_update(tag=tag, user=user, colour=colour)
        for tag, colour in zip(tags, colours, strict=True)
        if colour != tag.colour
    ]
