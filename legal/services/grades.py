"""Admiralty grades, set by analysts with a rationale and kept in history.

A source gets a reliability grade (A-F), a claim or one of its figures a
credibility grade (1-6). A grade without a rationale is refused: the brief
must be able to say why a figure was trusted. An empty grade clears it
(the figure is shown as ungraded again); the clearing is recorded too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from annotations.services.versioning import locked_at_version, save_next_version
from audit.services import history_record, snapshot
from corpus.models import Source
from legal.models import Claim, ClaimQuantity, Credibility, Reliability, SourceGrade
from projects.errors import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _check(value: str, allowed: list[str], rationale: str, what: str) -> str:
    value = (value or "").strip().upper()
    if value and value not in allowed:
        raise ApplicationError(
            f"Unknown {what} grade {value!r}: use one of {', '.join(allowed)}."
        )
    if value and not (rationale or "").strip():
        raise ApplicationError(
            f"Write a rationale for the {what} grade: why this grade, in words "
            "a reader of the brief follows."
        )
    return value


@transaction.atomic
def source_grade_set(
    *, source: Source, user: User, reliability: str, rationale: str = ""
) -> SourceGrade | None:
    """Grade a source's reliability (A-F), or clear it with ``""``."""
    grade = _check(reliability, Reliability.values, rationale, "reliability")
    current = SourceGrade.objects.select_for_update().filter(source=source).first()
    if not grade:
        if current is not None:
            before = snapshot(current)
            pk = current.pk
            current.delete()
            history_record(
                project=source.project,
                actor=user,
                obj=current,
                action="delete",
                before=before,
                object_id=pk,
            )
        return None
    if current is None:
        current = SourceGrade.objects.create(
            source=source,
            project=source.project,
            reliability=grade,
            rationale=rationale.strip(),
            graded_by=user,
        )
        history_record(
            project=source.project,
            actor=user,
            obj=current,
            action="create",
            after=snapshot(current),
        )
        return current
    before = snapshot(current)
    current.reliability = grade
    current.rationale = rationale.strip()
    current.graded_by = user
    return save_next_version(current, user=user, before=before)


@transaction.atomic
def claim_grade_set(
    *,
    claim: Claim,
    user: User,
    expected_version: int,
    credibility: str,
    rationale: str = "",
) -> Claim:
    """Grade a claim's credibility (1-6) as its next version; ``""`` clears."""
    grade = _check(credibility, Credibility.values, rationale, "credibility")
    current = locked_at_version(
        Claim.objects.all(),
        pk=claim.pk,
        expected_version=expected_version,
        noun="this claim",
    )
    before = snapshot(current)
    current.credibility = grade
    current.credibility_rationale = rationale.strip() if grade else ""
    return save_next_version(current, user=user, before=before)


@transaction.atomic
def quantity_grade_set(
    *, quantity: ClaimQuantity, user: User, credibility: str, rationale: str = ""
) -> ClaimQuantity:
    """Grade one figure's credibility (1-6); ``""`` falls back to the claim's."""
    grade = _check(credibility, Credibility.values, rationale, "credibility")
    current = ClaimQuantity.objects.select_for_update().get(pk=quantity.pk)
    before = snapshot(current)
    current.credibility = grade
    current.credibility_rationale = rationale.strip() if grade else ""
    current.save()
    history_record(
        project=quantity.claim.project,
        actor=user,
        obj=current,
        action="update",
        before=before,
        after=snapshot(current),
    )
    return current
