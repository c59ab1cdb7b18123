"""Writes on assessments: how a claim bears on one element of the law.

An assessment answers an element's question for one claim ("supports" and
"undermines" refer to the question as asked), with a rationale a reader of
a brief can follow and the quotes (annotations) it relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from annotations.models import Annotation
from annotations.services.versioning import (
    delete_at_version,
    locked_at_version,
    save_next_version,
)
from audit.services import history_record, snapshot
from legal.models import Assessment, Claim, Criterion, Element, Finding
from projects.errors import ApplicationError
from projects.models import Membership, Role
from projects.permissions import membership_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def _clean_rationale(rationale: str | None) -> str:
    text = (rationale or "").strip()
    if not text:
        raise ApplicationError(
            "Write a rationale: say in a sentence or two why the claim bears on "
            "this element the way you found.",
            extra={"field": "rationale"},
        )
    return text


def _clean_finding(finding: str) -> str:
    if finding not in Finding.values:
        raise ApplicationError(
            f"Unknown finding {finding!r}; choose one of {', '.join(Finding.values)}.",
            extra={"field": "finding"},
        )
    return finding


def _clean_sources(
    claim: Claim, sources: Iterable[Annotation | int], user: User | None = None
) -> list[int]:
    """Return annotation ids, refusing any from another project (or, for a
    ``user`` working blind, any but their own)."""
    ids = sorted({s.pk if isinstance(s, Annotation) else int(s) for s in sources})
    if not ids:
        return []
    visible = (
        Annotation.objects.all() if user is None else Annotation.objects.for_user(user)
    )
    found = set(
        visible.filter(pk__in=ids, project_id=claim.project_id).values_list(
            "pk", flat=True
        )
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise ApplicationError(
            "Cited sources must be annotations in this claim's project; not found: "
            + ", ".join(str(i) for i in missing)
            + ".",
            extra={"field": "sources", "missing": missing},
        )
    return ids


def assessment_can_edit(
    user: User | AnonymousUser,
    assessment: Assessment,
    membership: Membership | None = None,
) -> bool:
    """Authors edit their own assessments; reviewers and owners any.

    Pass the user's ``membership`` of the project when checking many
    assessments, to save a query each.
    """
    if membership is None:
        membership = membership_for(user, assessment.project)
    if membership is None or not membership.allows(Role.ANALYST):
        return False
    return assessment.author_id == user.pk or membership.allows(Role.REVIEWER)


@transaction.atomic
def assessment_create(
    *,
    claim: Claim,
    user: User,
    finding: str,
    rationale: str,
    element: Element | None = None,
    criterion: Criterion | None = None,
    sources: Iterable[Annotation | int] = (),
) -> Assessment:
    """Record one user's finding for a claim against an element or criterion.

    The element (or criterion) must belong to a framework of the claim's
    project. One assessment per claim, element and author: a second one is
    refused with a message pointing to the first.
    """
    finding = _clean_finding(finding)
    rationale = _clean_rationale(rationale)
    if element is None and criterion is None:
        raise ApplicationError("Choose the element (or criterion) you assess.")
    if element is not None:
        if element.criterion.framework.project_id != claim.project_id:
            raise ApplicationError("The element belongs to another project.")
        criterion = criterion or element.criterion
    if criterion is not None and criterion.framework.project_id != claim.project_id:
        raise ApplicationError("The criterion belongs to another project.")
    source_ids = _clean_sources(claim, sources, user)
    if (
        element is not None
        and Assessment.objects.filter(
            claim=claim, element=element, author=user
        ).exists()
    ):
        existing = Assessment.objects.get(claim=claim, element=element, author=user)
        raise ApplicationError(
            "You have already assessed this claim against this element; edit that "
            "assessment instead.",
            extra={"assessment": existing.pk},
        )
    assessment = Assessment(
        project=claim.project,
        claim=claim,
        element=element,
        criterion=criterion,
        finding=finding,
        rationale=rationale,
        author=user,
    )
    assessment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:  # a concurrent double submit
        raise ApplicationError(
            "You have already assessed this claim against this element."
        ) from exc
    assessment.sources.set(source_ids)
    history_record(
        project=claim.project,
        actor=user,
        obj=assessment,
        action="create",
        after=snapshot(assessment),
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    user: User,
    expected_version: int,
    finding: str | None = None,
    rationale: str | None = None,
    sources: Iterable[Annotation | int] | None = None,
) -> Assessment:
    """Change a finding, rationale or cited sources (optimistic locking)."""
    current = locked_at_version(
        Assessment.objects.select_related("claim", "project"),
        pk=assessment.pk,
        expected_version=expected_version,
        noun="this assessment",
    )
    before = snapshot(current)
    if finding is not None:
        current.finding = _clean_finding(finding)
    if rationale is not None:
        current.rationale = _clean_rationale(rationale)
    if sources is not None:
        current.sources.set(_clean_sources(current.claim, sources, user))
    current.full_clean(validate_constraints=False)
    return save_next_version(current, user=user, before=before)


@transaction.atomic
def assessment_delete(
    *, assessment: Assessment, user: User, expected_version: int
) -> None:
    """Delete an assessment if it is still at ``expected_version``."""
    delete_at_version(
        Assessment.objects.all(),
        pk=assessment.pk,
        expected_version=expected_version,
        noun="this assessment",
        user=user,
    )
