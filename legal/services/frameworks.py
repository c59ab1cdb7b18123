"""Writes on legal frameworks: imports and owners' edits, with history.

A framework import records one history entry for the framework holding
the whole exchange data before and after, so a reviewer can see exactly
what an import changed. Edits of single criteria and elements record
entries for those objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def framework_import(
    *, project: Project, user: User, data: dict[str, Any], dry_run: bool = False
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
def criterion_update(*, criterion: Criterion, user: User, **fields: Any) -> Criterion:
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
    user: User,
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
    user: User,
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
    user: User,
    key: str,
    question: str,
    tags: Sequence[str] | str = (),
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


# What a framework file sets on a criterion: the editable fields and its order.
CRITERION_LOAD_FIELDS = (*CRITERION_FIELDS, "order")
ELEMENT_LOAD_FIELDS = ("question", "tags", "order")
# full_clean skips uniqueness and the parent's existence: the database enforces
# both, and checking them row by row is what made loading the default framework
# take a thousand queries.
NO_UNIQUE = {"validate_unique": False, "validate_constraints": False}


def _criterion_rows(
    data: dict[str, Any],
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Validate the criteria and elements of ``data`` before anything is read.

    Returns, per criterion, its field values (with ``key``) and its elements'
    field values. Raises ``ValidationError`` naming the first problem.
    """
    criteria = _require(data, "criteria", "framework")
    if not isinstance(criteria, list):
        raise ValidationError("framework: 'criteria' must be a list.")
    rows: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    codes: set[str] = set()
    keys: set[str] = set()
    for c_order, c_data in enumerate(criteria):
        c_key = _require(c_data, "key", f"criterion {c_order + 1}")
        where = f"criterion {c_key}"
        values = {
            "key": c_key,
            "code": _require(c_data, "code", where),
            "group": c_data.get("group", ""),
            "title": _require(c_data, "title", where),
            "instrument": _require(c_data, "instrument", where),
            "article": c_data.get("article", ""),
            "paraphrase": _require(c_data, "paraphrase", where),
            "order": c_order,
        }
        if c_key in keys:
            raise ValidationError(f"{where}: the key is used twice.")
        if values["code"] in codes:
            raise ValidationError(f"{where}: code {values['code']} is used twice.")
        keys.add(c_key)
        codes.add(values["code"])
        elements: list[dict[str, Any]] = []
        e_keys: set[str] = set()
        for e_order, e_data in enumerate(c_data.get("elements") or []):
            e_key = _require(e_data, "key", f"{where}, element {e_order + 1}")
            tags = e_data.get("tags") or []
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise ValidationError(
                    f"{where}, element {e_key}: 'tags' must be a list of keys."
                )
            if e_key in e_keys:
                raise ValidationError(
                    f"{where}, element {e_key}: the key is used twice."
                )
            e_keys.add(e_key)
            elements.append(
                {
                    "key": e_key,
                    "question": _require(
                        e_data, "question", f"{where}, element {e_key}"
                    ),
                    "tags": tags,
                    "order": e_order,
                }
            )
        rows.append((values, elements))
    return rows


def _merge(obj: Any, values: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """Set ``fields`` of ``obj`` from ``values``; True if anything changed."""
    changed = False
    for name in fields:
        if getattr(obj, name) != values[name]:
            setattr(obj, name, values[name])
            changed = True
    return changed


@transaction.atomic
def framework_load(*, project: Project, data: dict[str, Any]) -> Framework:
    """Create or update a framework from exchange data, idempotently, in bulk.

    Criteria and elements are matched by key: existing ones are updated,
    missing ones created; nothing is deleted (assessments may point to it).
    Raises ``ValidationError`` naming the first problem; nothing is written
    then. A few queries whatever the size: one read of what exists per level,
    then one bulk write per level (every new project loads the default
    framework, so this is on the path of each ``project_create``).
    """
    key = _require(data, "key", "framework")
    name = _require(data, "name", "framework")
    rows = _criterion_rows(data)
    framework = Framework.objects.filter(project=project, key=key).first()
    if framework is None:
        framework = Framework(project=project, key=key)
    framework.name = name
    framework.description = data.get("description", "")
    framework.version = int(data.get("version", 1))
    framework.full_clean(exclude=["project"], **NO_UNIQUE)
    framework.save()

    existing = {c.key: c for c in Criterion.objects.filter(framework=framework)}
    taken_codes = {c.code: c.key for c in existing.values()}
    new_criteria: list[Criterion] = []
    changed_criteria: list[Criterion] = []
    for values, _elements in rows:
        holder = taken_codes.get(values["code"])
        if holder is not None and holder != values["key"]:
            raise ValidationError(
                f"criterion {values['key']}: code {values['code']} belongs to "
                f"criterion {holder}."
            )
        criterion = existing.get(values["key"])
        if criterion is None:
            criterion = Criterion(framework=framework, **values)
            new_criteria.append(criterion)
        elif _merge(criterion, values, CRITERION_LOAD_FIELDS):
            changed_criteria.append(criterion)
        else:
            continue
        criterion.full_clean(exclude=["framework"], **NO_UNIQUE)
        existing[values["key"]] = criterion
    Criterion.objects.bulk_update(changed_criteria, CRITERION_LOAD_FIELDS)
    Criterion.objects.bulk_create(new_criteria)

    elements = {
        (e.criterion_id, e.key): e
        for e in Element.objects.filter(criterion__framework=framework)
    }
    new_elements: list[Element] = []
    changed_elements: list[Element] = []
    for values, element_rows in rows:
        criterion = existing[values["key"]]
        for e_values in element_rows:
            element = elements.get((criterion.pk, e_values["key"]))
            if element is None:
                element = Element(criterion=criterion, **e_values)
                new_elements.append(element)
            elif _merge(element, e_values, ELEMENT_LOAD_FIELDS):
                changed_elements.append(element)
            else:
                continue
            element.full_clean(exclude=["criterion"], **NO_UNIQUE)
    Element.objects.bulk_update(changed_elements, ELEMENT_LOAD_FIELDS)
    Element.objects.bulk_create(new_elements)
    return framework
