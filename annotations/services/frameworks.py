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

from corpus.models import Project

from annotations.frameworks import FrameworkPreview, framework_dump, framework_load, framework_preview, framework_validate
from annotations.history import history_record, snapshot
from annotations.models import Criterion, Element, Framework


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
