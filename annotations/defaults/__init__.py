"""The default taxonomy and legal framework every project starts with.

The data lives beside this module as YAML (``tags.yaml``, ``framework.yaml``)
so that it can be read and reviewed without reading code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from corpus.models import Project

from annotations.frameworks import framework_load
from annotations.models import Tag

DATA_DIR = Path(__file__).resolve().parent


@cache
def default_tags() -> list[dict[str, Any]]:
    with open(DATA_DIR / "tags.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def default_framework() -> dict[str, Any]:
    with open(DATA_DIR / "framework.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def defaults_load(*, project: Project) -> None:
    """Load the default tags and framework into ``project``, idempotently.

    Tags that already exist (matched by key) are left as the owner edited
    them, except that a default tag with no suggestion patterns at all gets
    the default ones (projects created before the patterns shipped); missing
    tags are created. The framework is merged by key (see
    ``framework_load``).
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
        tag.full_clean()
        tag.save()
    framework_load(project=project, data=default_framework())
