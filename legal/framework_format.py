"""Loading legal frameworks from plain data (the YAML/JSON exchange format).

The format is the one of ``legal/defaults/framework.yaml``: a mapping
with ``key``, ``name``, ``version``, ``description`` and ``criteria``; each
criterion has ``key``, ``code``, ``group``, ``title``, ``instrument``,
``article``, ``paraphrase`` and ``elements``; each element ``key``,
``question`` and ``tags`` (tag keys).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import yaml
from django.core.exceptions import ValidationError

from legal.models import Criterion, Framework
from projects.models import Project


def framework_dump(framework: Framework) -> dict[str, Any]:
    """The exchange data of a framework (inverse of ``framework_load``)."""
    return {
        "key": framework.key,
        "name": framework.name,
        "version": framework.version,
        "description": framework.description,
        "criteria": [
            {
                "key": c.key,
                "code": c.code,
                "group": c.group,
                "title": c.title,
                "instrument": c.instrument,
                "article": c.article,
                "paraphrase": c.paraphrase,
                "elements": [
                    {"key": e.key, "question": e.question, "tags": list(e.tags)}
                    for e in c.elements.all()
                ],
            }
            for c in framework.criteria.prefetch_related("elements")
        ],
    }


# --- Validation, parsing and preview (used by imports) -----------------------

MAX_FRAMEWORK_BYTES = 2 * 1024 * 1024
_KEY_RE = re.compile(r"^[a-z][a-z0-9_.\-]*$")
_LIMITS = {"key": 80, "code": 16, "title": 300, "instrument": 300, "article": 200}


def framework_parse(text: str | bytes, *, name: str = "") -> dict[str, Any]:
    """Parse YAML or JSON (JSON is YAML) into exchange data, with clear errors."""
    if len(text) > MAX_FRAMEWORK_BYTES:
        raise ValidationError(
            f"The framework is larger than {MAX_FRAMEWORK_BYTES // 1024} KB."
        )
    if isinstance(text, bytes):
        if len(text) > MAX_FRAMEWORK_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_FRAMEWORK_BYTES // 1024} KB."
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("The file is not UTF-8 text.") from exc
    try:
        if name.lower().endswith(".json"):
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        elif isinstance(exc, json.JSONDecodeError):
            where = f" at line {exc.lineno}, column {exc.colno}"
        raise ValidationError(f"The file is not valid YAML or JSON{where}.") from exc
    if not isinstance(data, dict):
        raise ValidationError(
            "The file must hold one framework: a mapping with key, name and criteria."
        )
    return data


def framework_validate(data: Any) -> list[str]:
    """Every problem in exchange data, each naming where it is; [] if none."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["framework: expected a mapping with key, name and criteria."]
    for field in ("key", "name"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"framework: '{field}' is missing.")
    if isinstance(data.get("key"), str) and not _KEY_RE.match(data["key"]):
        problems.append(
            f"framework: key {data['key']!r} must use lowercase letters, digits, "
            "'_', '.' or '-', starting with a letter."
        )
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("framework: 'version' must be a whole number from 1.")
    criteria = data.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        problems.append("framework: 'criteria' must be a non-empty list.")
        return problems
    seen_keys: set[str] = set()
    seen_codes: set[str] = set()
    for index, c_data in enumerate(criteria, start=1):
        where = f"criterion {index}"
        if not isinstance(c_data, dict):
            problems.append(f"{where}: expected a mapping.")
            continue
        if isinstance(c_data.get("key"), str):
            where = f"criterion {index} ({c_data['key']})"
        for field in ("key", "code", "title", "instrument", "paraphrase"):
            value = c_data.get(field)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: '{field}' is missing.")
        for field, limit in _LIMITS.items():
            value = c_data.get(field)
            if isinstance(value, str) and len(value) > limit:
                problems.append(f"{where}: '{field}' is longer than {limit}.")
        key, code = c_data.get("key"), c_data.get("code")
        if isinstance(key, str):
            if not _KEY_RE.match(key):
                problems.append(f"{where}: key must be lowercase letters, digits, _.-")
            if key in seen_keys:
                problems.append(f"{where}: the key {key!r} is used twice.")
            seen_keys.add(key)
        if isinstance(code, str):
            if code in seen_codes:
                problems.append(f"{where}: the code {code!r} is used twice.")
            seen_codes.add(code)
        elements = c_data.get("elements") or []
        if not isinstance(elements, list):
            problems.append(f"{where}: 'elements' must be a list.")
            continue
        element_keys: set[str] = set()
        for e_index, e_data in enumerate(elements, start=1):
            e_where = f"{where}, element {e_index}"
            if not isinstance(e_data, dict):
                problems.append(f"{e_where}: expected a mapping.")
                continue
            e_key = e_data.get("key")
            if not isinstance(e_key, str) or not e_key.strip():
                problems.append(f"{e_where}: 'key' is missing.")
            elif len(e_key) > 16:
                problems.append(f"{e_where}: 'key' is longer than 16.")
            elif e_key in element_keys:
                problems.append(f"{e_where}: the key {e_key!r} is used twice.")
            else:
                element_keys.add(e_key)
            question = e_data.get("question")
            if not isinstance(question, str) or not question.strip():
                problems.append(f"{e_where}: 'question' is missing.")
            tags = e_data.get("tags") or []
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                problems.append(f"{e_where}: 'tags' must be a list of tag keys.")
    return problems


@dataclass
class FrameworkPreview:
    """What an import would do, computed without writing."""

    framework_key: str
    framework_exists: bool
    criteria_new: list[str] = dc_field(default_factory=list)
    criteria_changed: list[str] = dc_field(default_factory=list)
    criteria_unchanged: list[str] = dc_field(default_factory=list)
    elements_new: list[str] = dc_field(default_factory=list)
    elements_changed: list[str] = dc_field(default_factory=list)
    elements_unchanged: int = 0
    unknown_tags: list[str] = dc_field(default_factory=list)
    kept: list[str] = dc_field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            len(self.criteria_new)
            + len(self.criteria_changed)
            + len(self.elements_new)
            + len(self.elements_changed)
        )


def framework_preview(*, project: Project, data: dict[str, Any]) -> FrameworkPreview:
    """A dry run of ``framework_load``: what is new, changed, unchanged.

    Call ``framework_validate`` first; this assumes valid data.
    """
    framework = Framework.objects.filter(project=project, key=data["key"]).first()
    preview = FrameworkPreview(
        framework_key=data["key"], framework_exists=framework is not None
    )
    existing: dict[str, Criterion] = {}
    if framework is not None:
        existing = {
            c.key: c for c in framework.criteria.prefetch_related("elements").all()
        }
    tag_keys = set(project.tags.values_list("key", flat=True))
    unknown: set[str] = set()
    seen: set[str] = set()
    for c_order, c_data in enumerate(data["criteria"]):
        key = c_data["key"]
        seen.add(key)
        criterion = existing.get(key)
        label = f"{c_data['code']} {c_data['title']}"
        elements_old = {e.key: e for e in criterion.elements.all()} if criterion else {}
        if criterion is None:
            preview.criteria_new.append(label)
        else:
            fields_now = (
                criterion.code,
                criterion.group,
                criterion.title,
                criterion.instrument,
                criterion.article,
                criterion.paraphrase,
                criterion.order,
            )
            fields_new = (
                c_data["code"],
                c_data.get("group", ""),
                c_data["title"],
                c_data["instrument"],
                c_data.get("article", ""),
                c_data["paraphrase"],
                c_order,
            )
            if fields_now != fields_new:
                preview.criteria_changed.append(label)
            else:
                preview.criteria_unchanged.append(label)
        for e_order, e_data in enumerate(c_data.get("elements") or []):
            unknown.update(t for t in e_data.get("tags") or [] if t not in tag_keys)
            element = elements_old.get(e_data["key"])
            e_label = f"{c_data['code']}-{e_data['key']}: {e_data['question'][:80]}"
            if element is None:
                preview.elements_new.append(e_label)
            elif (element.question, list(element.tags), element.order) != (
                e_data["question"],
                list(e_data.get("tags") or []),
                e_order,
            ):
                preview.elements_changed.append(e_label)
            else:
                preview.elements_unchanged += 1
    preview.kept = [
        f"{c.code} {c.title}" for key, c in existing.items() if key not in seen
    ]
    preview.unknown_tags = sorted(unknown)
    return preview
