"""Loading legal frameworks from plain data (the YAML/JSON exchange format).

The format is the one of ``annotations/defaults/framework.yaml``: a mapping
with ``key``, ``name``, ``version``, ``description`` and ``criteria``; each
criterion has ``key``, ``code``, ``group``, ``title``, ``instrument``,
``article``, ``paraphrase`` and ``elements``; each element ``key``,
``question`` and ``tags`` (tag keys).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from corpus.models import Project

from .models import Criterion, Element, Framework


def _require(mapping: Any, field: str, where: str) -> Any:
    if not isinstance(mapping, dict):
        raise ValidationError(
            f"{where}: expected a mapping, got {type(mapping).__name__}."
        )
    value = mapping.get(field)
    if value in (None, ""):
        raise ValidationError(f"{where}: '{field}' is missing.")
    return value


@transaction.atomic
def framework_load(*, project: Project, data: dict[str, Any]) -> Framework:
    """Create or update a framework from exchange data, idempotently.

    Criteria and elements are matched by key: existing ones are updated,
    missing ones created; nothing is deleted (assessments may point to it).
    Raises ``ValidationError`` naming the first problem; nothing is written
    then.
    """
    key = _require(data, "key", "framework")
    framework, _ = Framework.objects.update_or_create(
        project=project,
        key=key,
        defaults={
            "name": _require(data, "name", "framework"),
            "description": data.get("description", ""),
            "version": int(data.get("version", 1)),
        },
    )
    framework.full_clean()
    criteria = _require(data, "criteria", "framework")
    if not isinstance(criteria, list):
        raise ValidationError("framework: 'criteria' must be a list.")
    for c_order, c_data in enumerate(criteria):
        c_key = _require(c_data, "key", f"criterion {c_order + 1}")
        where = f"criterion {c_key}"
        criterion, _ = Criterion.objects.update_or_create(
            framework=framework,
            key=c_key,
            defaults={
                "code": _require(c_data, "code", where),
                "group": c_data.get("group", ""),
                "title": _require(c_data, "title", where),
                "instrument": _require(c_data, "instrument", where),
                "article": c_data.get("article", ""),
                "paraphrase": _require(c_data, "paraphrase", where),
                "order": c_order,
            },
        )
        criterion.full_clean()
        for e_order, e_data in enumerate(c_data.get("elements") or []):
            e_key = _require(e_data, "key", f"{where}, element {e_order + 1}")
            tags = e_data.get("tags") or []
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise ValidationError(
                    f"{where}, element {e_key}: 'tags' must be a list of keys."
                )
            Element.objects.update_or_create(
                criterion=criterion,
                key=e_key,
                defaults={
                    "question": _require(
                        e_data, "question", f"{where}, element {e_key}"
                    ),
                    "tags": tags,
                    "order": e_order,
                },
            )
    return framework


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
