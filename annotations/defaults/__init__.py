"""The default taxonomy every project starts with.

The data lives beside this module as YAML (``tags.yaml``) so that it can be
read and reviewed without reading code. The default legal framework is
``legal.defaults``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from annotations.models import Tag
from audit.services import history_record_created
from projects.models import Project

DATA_DIR = Path(__file__).resolve().parent


@cache
def default_tags() -> list[dict[str, Any]]:
    with open(DATA_DIR / "tags.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def tags_load_defaults(*, project: Project) -> None:
    """Load the default tags into ``project``, idempotently, in bulk.

    Tags that already exist (matched by key) are left as the owner edited
    them, except that a default tag with no suggestion patterns at all gets
    the default ones (projects created before the patterns shipped); missing
    tags are created, in one INSERT (the database enforces uniqueness).
    """
    existing = set(project.tags.values_list("key", flat=True))
    for data in default_tags():
        if data["key"] in existing and data.get("patterns"):
            project.tags.filter(key=data["key"], patterns=[]).update(
                patterns=data["patterns"]
            )
    taken_hotkeys = set(
        project.tags.exclude(hotkey="").values_list("hotkey", flat=True)
    )
    new_tags = []
    for order, data in enumerate(default_tags()):
        if data["key"] in existing:
            continue
        hotkey = data.get("hotkey", "")
        tag = Tag(
            project=project,
            key=data["key"],
            name=data["name"],
            description=data.get("description", "").strip(),
            colour=data.get("colour", "#888888"),
            hotkey="" if hotkey in taken_hotkeys else hotkey,
            patterns=data.get("patterns", []),
            order=order,
        )
        # Not the project (it exists) nor uniqueness (the database enforces
        # it): each would cost a query per tag.
        tag.full_clean(
            exclude=["project"], validate_unique=False, validate_constraints=False
        )
        new_tags.append(tag)
    Tag.objects.bulk_create(new_tags)
    # Made by Glossa, not a person: "(system)" in each tag's history.
    history_record_created(project=project, actor=None, objs=list(new_tags))
