"""Writes on a project's taxonomy (tags), each recorded in the history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from corpus.errors import ApplicationError
from corpus.models import Project

from ..history import history_record, snapshot
from ..models import Tag

EDITABLE = ("name", "description", "colour", "hotkey", "patterns", "order", "is_active")


@transaction.atomic
def tag_create(*, project: Project, user, key: str, name: str, **fields) -> Tag:
    """Add a tag to the project's taxonomy (at the end unless ``order`` given)."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Unknown tag fields: {sorted(unknown)}")
    if "order" not in fields:
        last = project.tags.aggregate(m=Max("order"))["m"]
        fields["order"] = 0 if last is None else last + 1
    tag = Tag(project=project, key=key, name=name, **fields)
    tag.full_clean()
    tag.save()
    history_record(
        project=project, actor=user, obj=tag, action="create", after=snapshot(tag)
    )
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, user, **fields) -> Tag:
    """Change a tag's editable fields. Keys never change: exports cite them."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            dict.fromkeys(sorted(unknown), "This field cannot be changed.")
        )
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    before = snapshot(tag)
    for name, value in fields.items():
        setattr(tag, name, value)
    tag.full_clean()
    tag.save()
    history_record(
        project=tag.project,
        actor=user,
        obj=tag,
        action="update",
        before=before,
        after=snapshot(tag),
    )
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, user) -> None:
    """Delete an unused tag. A tag in use is deactivated instead, by choice:
    deleting it would silently strip it from annotations."""
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    used = tag.annotations.count()
    if used or tag.suggestions.exists():
        raise ApplicationError(
            f"The tag {tag.key!r} is used by {used} annotation(s) or by suggestions; "
            "deactivate it (is_active=false) instead of deleting it.",
            extra={"annotations": used},
        )
    before, pk = snapshot(tag), tag.pk
    tag.delete()
    history_record(
        project=tag.project,
        actor=user,
        obj=tag,
        action="delete",
        before=before,
        object_id=pk,
    )
