"""Writes on claims, their mentions (linked annotations) and quantities.

A claim is a proposition someone asserted; the same claim is often reported
by many documents, each report an annotation linked as a ``ClaimMention``.
Every write records history; claim edits use optimistic locking through
``Claim.version``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.models import Annotation
from annotations.selectors import annotation_visible
from annotations.services.versioning import (
    delete_at_version,
    locked_at_version,
    save_next_version,
)
from audit.services import history_record, snapshot
from legal.models import (
    Claim,
    ClaimantType,
    ClaimKind,
    ClaimMention,
    ClaimQuantity,
    EvidenceStatus,
    QuantityBound,
)
from legal.models.claims import TRANSLATION_NOTE_MAX
from projects.errors import ApplicationError
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Fields ``claim_update`` may change.
CLAIM_EDITABLE_FIELDS = (
    "proposition",
    "claimant",
    "claimant_type",
    "kind",
    "evidence_status",
    "event_date",
    "note",
    "translation_note",
)


def _check_same_project(*, claim: Claim, annotation: Annotation) -> None:
    if annotation.project_id != claim.project_id:
        raise ApplicationError(
            "The annotation belongs to another project than the claim.",
            extra={"annotation": annotation.pk, "claim": claim.pk},
        )


def _mention_link(*, claim: Claim, annotation: Annotation, user: User) -> ClaimMention:
    _check_same_project(claim=claim, annotation=annotation)
    if not annotation_visible(user=user, annotation=annotation):
        # Blind mode: another analyst's quote is not there for this user.
        raise ApplicationError(
            "No such annotation in this project.",
            extra={"field": "annotation"},
        )
    mention, created = ClaimMention.objects.get_or_create(
        claim=claim, annotation=annotation, defaults={"linked_by": user}
    )
    if created:
        history_record(
            project=claim.project,
            actor=user,
            obj=mention,
            action="create",
            after=snapshot(mention),
        )
    return mention


@transaction.atomic
def claim_create(
    *,
    project: Project,
    user: User,
    proposition: str,
    claimant: str = "",
    claimant_type: str = ClaimantType.REPORTER,
    kind: str = ClaimKind.FACTUAL,
    evidence_status: str = EvidenceStatus.UNKNOWN,
    event_date: date | None = None,
    note: str = "",
    translation_note: str = "",
    annotation: Annotation | None = None,
    quantities: list[dict[str, Any]] | None = None,
) -> Claim:
    """Create a claim, optionally with its first mention and its figures.

    ``quantities`` are ``claim_quantity_add`` keyword sets (value, counts,
    bound, cumulative, as_of), each stated by ``annotation``: the annotator
    pre-fills them from the analysis. Raises ``ValidationError`` for bad
    fields and ``ApplicationError`` if the annotation is in another project;
    nothing is written then.
    """
    claim = Claim(
        project=project,
        proposition=(proposition or "").strip(),
        claimant=(claimant or "").strip(),
        claimant_type=claimant_type,
        kind=kind,
        evidence_status=evidence_status,
        event_date=event_date,
        note=note or "",
        translation_note=(translation_note or "").strip(),
        created_by=user,
    )
    claim.full_clean()
    claim.save()
    history_record(
        project=project, actor=user, obj=claim, action="create", after=snapshot(claim)
    )
    if annotation is not None:
        _mention_link(claim=claim, annotation=annotation, user=user)
    for figure in quantities or []:
        claim_quantity_add(claim=claim, user=user, annotation=annotation, **figure)
    return claim


@transaction.atomic
def claim_update(
    *, claim: Claim, user: User, expected_version: int, **fields: Any
) -> Claim:
    """Change a claim's fields if nobody changed it since ``expected_version``.

    Raises ``ConflictError`` (with the current claim) on a stale version and
    ``ApplicationError`` naming any field that cannot be edited.
    """
    unknown = sorted(set(fields) - set(CLAIM_EDITABLE_FIELDS))
    if unknown:
        raise ApplicationError(
            f"These fields cannot be changed: {', '.join(unknown)}.",
            extra={"fields": unknown},
        )
    current = locked_at_version(
        Claim.objects.all(),
        pk=claim.pk,
        expected_version=expected_version,
        noun="this claim",
    )
    before = snapshot(current)
    for name, value in fields.items():
        if isinstance(value, str) and name != "note":
            value = value.strip()
        setattr(current, name, value)
    current.full_clean()
    return save_next_version(current, user=user, before=before)


@transaction.atomic
def claim_delete(*, claim: Claim, user: User, expected_version: int) -> None:
    """Delete a claim with its mentions, quantities and assessments."""
    delete_at_version(
        Claim.objects.all(),
        pk=claim.pk,
        expected_version=expected_version,
        noun="this claim",
        user=user,
    )


@transaction.atomic
def claim_link_mention(
    *, claim: Claim, annotation: Annotation, user: User
) -> ClaimMention:
    """Record that ``annotation`` reports ``claim`` (idempotent)."""
    return _mention_link(claim=claim, annotation=annotation, user=user)


@transaction.atomic
def claim_mention_translate(
    *, claim: Claim, annotation: Annotation, user: User, translation_note: str
) -> ClaimMention:
    """Set (or clear, with "") the translation note of one quoted mention.

    The quote stays verbatim in its original language; the brief shows the
    note under it. Recorded in history; raises ``ApplicationError`` if the
    annotation is not linked to the claim (or not visible to ``user``).
    """
    mention = (
        ClaimMention.objects.select_for_update()
        .filter(claim=claim, annotation=annotation)
        .first()
    )
    if mention is None or not annotation_visible(user=user, annotation=annotation):
        raise ApplicationError(
            "This annotation is not linked to the claim.",
            extra={"annotation": annotation.pk, "claim": claim.pk},
        )
    note = (translation_note or "").strip()
    if len(note) > TRANSLATION_NOTE_MAX:
        raise ValidationError(
            {
                "translation_note": f"At most {TRANSLATION_NOTE_MAX:,} characters "
                f"({len(note):,} given)."
            }
        )
    if note == mention.translation_note:
        return mention
    before = snapshot(mention)
    mention.translation_note = note
    mention.full_clean()
    mention.save(update_fields=["translation_note"])
    history_record(
        project=claim.project,
        actor=user,
        obj=mention,
        action="update",
        before=before,
        after=snapshot(mention),
    )
    return mention


@transaction.atomic
def claim_unlink_mention(*, claim: Claim, annotation: Annotation, user: User) -> None:
    """Remove the link between a claim and an annotation.

    Raises ``ApplicationError`` if they are not linked.
    """
    mention = ClaimMention.objects.filter(claim=claim, annotation=annotation).first()
    if mention is None:
        raise ApplicationError(
            "This annotation is not linked to the claim.",
            extra={"annotation": annotation.pk, "claim": claim.pk},
        )
    before = snapshot(mention)
    pk = mention.pk
    mention.delete()
    history_record(
        project=claim.project,
        actor=user,
        obj=mention,
        action="delete",
        before=before,
        object_id=pk,
    )


@transaction.atomic
def claim_quantity_add(
    *,
    claim: Claim,
    user: User,
    value: int,
    counts: str,
    bound: str = QuantityBound.EXACT,
    cumulative: bool = False,
    as_of: date | None = None,
    annotation: Annotation | None = None,
) -> ClaimQuantity:
    """Attach a figure to a claim, e.g. at least 57 killed (cumulative).

    The annotation, if given, is the mention stating the figure; it is
    linked to the claim if it was not already.
    """
    if annotation is not None:
        _mention_link(claim=claim, annotation=annotation, user=user)
    try:
        value = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"value": "The figure must be a whole number."}) from exc
    if value < 0:
        raise ValidationError({"value": "The figure cannot be negative."})
    quantity = ClaimQuantity(
        claim=claim,
        value=value,
        counts=counts,
        bound=bound,
        cumulative=bool(cumulative),
        as_of=as_of,
        annotation=annotation,
    )
    quantity.full_clean()
    quantity.save()
    history_record(
        project=claim.project,
        actor=user,
        obj=quantity,
        action="create",
        after=snapshot(quantity),
    )
    return quantity


@transaction.atomic
def claim_quantity_remove(*, quantity: ClaimQuantity, user: User) -> None:
    """Remove a figure from its claim."""
    before = snapshot(quantity)
    pk = quantity.pk
    project = quantity.claim.project
    quantity.delete()
    history_record(
        project=project,
        actor=user,
        obj=quantity,
        action="delete",
        before=before,
        object_id=pk,
    )
