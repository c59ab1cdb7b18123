"""Writes on legal frameworks: imports and owners' edits, with history.

A framework import records one history entry for the framework holding
the whole exchange data before and after, so a reviewer can see exactly
what an import changed. Edits of single criteria and elements record
entries for those objects.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record, snapshot
from legal.framework_format import (
    FrameworkPreview,
    framework_dump,
    framework_preview,
    framework_validate,
)
from legal.models import Criterion, Element, Framework
from projects.models import Project


def framework_import(
    *, project: Project, user, data: dict[str, Any], dry_run: bool = False
) -> tuple[FrameworkPreview, Framework | None]:
    """Validate, preview and (unless ``dry_run``) load a framework.

    Raises ``ValidationError`` listing every problem; nothing is written
    then. Criteria and elements are merged by key and never deleted, since
    assessments may point at them.
    """
    problems = framework_validate(data)
    if problems:
        raise ValidationError(problems)
    preview = framework_preview(project=project, data=data)
    if dry_run:
        return preview, None
    with transaction.atomic():
        existing = Framework.objects.filter(project=project, key=data["key"]).first()
        before = framework_dump(existing) if existing else None
        framework = framework_load(project=project, data=data)
        history_record(
            project=project,
            actor=user,
            obj=framework,
            action="update" if existing else "create",
            before=before,
            after=framework_dump(framework),
        )
    return preview, framework


CRITERION_FIELDS = ("code", "group", "title", "instrument", "article", "paraphrase")


@transaction.atomic
def criterion_update(*, criterion: Criterion, user, **fields: Any) -> Criterion:
    unknown = set(fields) - set(CRITERION_FIELDS)
    if unknown:
        raise ValidationError(f"Cannot change: {', '.join(sorted(unknown))}.")
    before = snapshot(criterion)
    for name, value in fields.items():
        setattr(criterion, name, (value or "").strip())
    criterion.full_clean()
    criterion.save()
    history_record(
        project=criterion.framework.project,
        actor=user,
        obj=criterion,
        action="update",
        before=before,
        after=snapshot(criterion),
    )
    return criterion


@transaction.atomic
def criterion_create(
    *,
    framework: Framework,
    user,
    key: str,
    code: str,
    title: str,
    instrument: str,
    paraphrase: str,
    group: str = "",
    article: str = "",
) -> Criterion:
    order = framework.criteria.count()
    criterion = Criterion(
        framework=framework,
        key=key.strip(),
        code=code.strip(),
        title=title.strip(),
        instrument=instrument.strip(),
        paraphrase=paraphrase.strip(),
        group=group.strip(),
        article=article.strip(),
        order=order,
    )
    criterion.full_clean()
    criterion.save()
    history_record(
        project=framework.project,
        actor=user,
        obj=criterion,
        action="create",
        after=snapshot(criterion),
    )
    return criterion


def _clean_tags(tags: list[str] | str) -> list[str]:
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.replace(",", " ").split()]
    return [t for t in tags if t]


@transaction.atomic
def element_update(
    *,
    element: Element,
    user,
    question: str | None = None,
    tags: list[str] | str | None = None,
) -> Element:
    before = snapshot(element)
    if question is not None:
        if not question.strip():
            raise ValidationError({"question": "An element needs a question."})
        element.question = question.strip()
    if tags is not None:
        element.tags = _clean_tags(tags)
    element.full_clean()
    element.save()
    history_record(
        project=element.criterion.framework.project,
        actor=user,
        obj=element,
        action="update",
        before=before,
        after=snapshot(element),
    )
    return element


@transaction.atomic
def element_create(
    *,
    criterion: Criterion,
    user,
    key: str,
    question: str,
    tags: list[str] | str = (),
) -> Element:
    if not (question or "").strip():
        raise ValidationError({"question": "An element needs a question."})
    element = Element(
        criterion=criterion,
        key=key.strip(),
        question=question.strip(),
        tags=_clean_tags(list(tags) if not isinstance(tags, str) else tags),
        order=criterion.elements.count(),
    )
    element.full_clean()
    element.save()
    history_record(
        project=criterion.framework.project,
        actor=user,
        obj=element,
        action="create",
        after=snapshot(element),
    )
    return element


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
