"""Writes on incidents and on which claims concern them.

An incident is versioned like a claim (optimistic locking on ``version``)
and every write records history. Linking a claim to an incident changes
the claim, so it is saved as the claim's next version with its own history
entry; a claim concerns at most one incident.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from annotations.services.versioning import (
    delete_at_version,
    locked_at_version,
    save_next_version,
)
from audit.services import history_record, snapshot
from legal.models import (
    INCIDENT_FIELDS,
    Claim,
    DatePrecision,
    Incident,
    IncidentStatus,
    ProposalKind,
    ProposalRejection,
)
from projects.errors import ApplicationError
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Fields ``incident_update`` may change.
INCIDENT_EDITABLE_FIELDS = (*INCIDENT_FIELDS, "note")


def _next_number(project: Project) -> int:
    """The next free incident number: the project row is locked so two
    analysts creating incidents at once never get the same code."""
    Project.objects.select_for_update().filter(pk=project.pk).first()
    top = Incident.objects.filter(project=project).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    """Strip texts (not the note); coordinates given as numbers become
    decimals of five places (about a metre), as stored."""
    cleaned = {}
    for key, value in fields.items():
        if isinstance(value, str) and key != "note":
            value = value.strip()
        elif key in ("latitude", "longitude") and isinstance(value, int | float):
            value = Decimal(str(round(value, 5)))
        cleaned[key] = value
    return cleaned


@transaction.atomic
def incident_create(
    *,
    project: Project,
    user: User,
    date: date,
    description: str,
    date_precision: str = DatePrecision.DAY,
    date_end: date | None = None,
    time_start: time | None = None,
    time_end: time | None = None,
    place: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    area: str = "",
    acting_forces: str = "",
    targets: str = "",
    target_count: int | None = None,
    status: str = IncidentStatus.ALLEGED,
    note: str = "",
) -> Incident:
    """Create an incident with the next code (``STR-0001``, ``STR-0002``...).

    Raises ``ValidationError`` naming the bad field; nothing is written then.
    """
    fields = _clean_text(
        {
            "date": date,
            "description": description or "",
            "date_precision": date_precision,
            "date_end": date_end,
            "time_start": time_start,
            "time_end": time_end,
            "place": place or "",
            "latitude": latitude,
            "longitude": longitude,
            "area": area or "",
            "acting_forces": acting_forces or "",
            "targets": targets or "",
            "target_count": target_count,
            "status": status,
            "note": note or "",
        }
    )
    incident = Incident(project=project, created_by=user, number=0, **fields)
    incident.full_clean(exclude=["number"])
    incident.number = _next_number(project)
    incident.save()
    history_record(
        project=project,
        actor=user,
        obj=incident,
        action="create",
        after=snapshot(incident),
    )
    return incident


@transaction.atomic
def incident_update(
    *, incident: Incident, user: User, expected_version: int, **fields: Any
) -> Incident:
    """Change an incident if nobody changed it since ``expected_version``.

    Raises ``ConflictError`` on a stale version and ``ApplicationError``
    naming any field that cannot be edited.
    """
    unknown = sorted(set(fields) - set(INCIDENT_EDITABLE_FIELDS))
    if unknown:
        raise ApplicationError(
            f"These fields cannot be changed: {', '.join(unknown)}.",
            extra={"fields": unknown},
        )
    current = locked_at_version(
        Incident.objects.all(),
        pk=incident.pk,
        expected_version=expected_version,
        noun=f"incident {incident.code}",
    )
    before = snapshot(current)
    for name, value in _clean_text(fields).items():
        setattr(current, name, value)
    current.full_clean()
    return save_next_version(current, user=user, before=before)


@transaction.atomic
def incident_delete(*, incident: Incident, user: User, expected_version: int) -> None:
    """Delete an incident; its claims stay, unlinked (each unlink recorded)."""
    for claim in Claim.objects.filter(incident=incident).order_by("pk"):
        _set_incident(claim=claim, incident=None, user=user)
    delete_at_version(
        Incident.objects.all(),
        pk=incident.pk,
        expected_version=expected_version,
        noun=f"incident {incident.code}",
        user=user,
    )


def _set_incident(*, claim: Claim, incident: Incident | None, user: User) -> Claim:
    current = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    before = snapshot(current)
    current.incident = incident
    return save_next_version(current, user=user, before=before)


@transaction.atomic
def incident_link_claim(*, incident: Incident, claim: Claim, user: User) -> Claim:
    """Record that ``claim`` concerns ``incident`` (idempotent).

    Raises ``ApplicationError`` if the claim is in another project or
    already concerns another incident (unlink it there first: moving a
    claim between incidents should be a deliberate step).
    """
    if claim.project_id != incident.project_id:
        raise ApplicationError(
            "The claim belongs to another project than the incident.",
            extra={"claim": claim.pk, "incident": incident.pk},
        )
    current = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if current.incident_id == incident.pk:
        return current
    if current.incident_id is not None:
        other = Incident.objects.get(pk=current.incident_id)
        raise ApplicationError(
            f"This claim already concerns incident {other.code}; unlink it "
            "there first.",
            extra={"claim": claim.pk, "incident": other.pk},
        )
    return _set_incident(claim=current, incident=incident, user=user)


@transaction.atomic
def incident_unlink_claim(*, incident: Incident, claim: Claim, user: User) -> Claim:
    """Remove the link; raises ``ApplicationError`` if there is none."""
    current = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if current.incident_id != incident.pk:
        raise ApplicationError(
            f"This claim does not concern incident {incident.code}.",
            extra={"claim": claim.pk, "incident": incident.pk},
        )
    return _set_incident(claim=current, incident=None, user=user)


@transaction.atomic
def incident_merge(
    *, target: Incident, source: Incident, user: User, expected_version: int
) -> Incident:
    """Merge ``source`` into ``target``: its claims move over (each a new
    claim version), then ``source`` is deleted (both recorded). The target
    keeps its own fields; ``expected_version`` is the source's."""
    if source.pk == target.pk or source.project_id != target.project_id:
        raise ApplicationError(
            "Merge an incident into another incident of the same project.",
            extra={"incident": source.pk},
        )
    for claim in Claim.objects.filter(incident=source).order_by("pk"):
        _set_incident(claim=claim, incident=target, user=user)
    delete_at_version(
        Incident.objects.all(),
        pk=source.pk,
        expected_version=expected_version,
        noun=f"incident {source.code}",
        user=user,
    )
    return target


@transaction.atomic
def incident_from_claims(
    *, project: Project, user: User, day: date, claims: list[Claim]
) -> Incident:
    """A new incident on ``day`` for claims with no incident (a proposal
    accepted), described by the first claim; the analyst refines it."""
    if not claims:
        raise ApplicationError("Choose the claims the incident gathers.")
    incident = incident_create(
        project=project,
        user=user,
        date=day,
        description=claims[0].proposition[:500],
    )
    for claim in claims:
        incident_link_claim(incident=incident, claim=claim, user=user)
    return incident


@transaction.atomic
def proposal_reject(
    *, project: Project, user: User, key: str, reason: str = ""
) -> ProposalRejection:
    """Keep a rejected proposal so it is not proposed again (idempotent)."""
    kind = key.split(":", 1)[0]
    if kind not in ProposalKind.values or len(key) > 120:
        raise ApplicationError(f"Unknown proposal {key[:60]!r}.")
    rejection, created = ProposalRejection.objects.get_or_create(
        project=project,
        key=key,
        defaults={"kind": kind, "reason": reason.strip(), "rejected_by": user},
    )
    if created:
        history_record(
            project=project,
            actor=user,
            obj=rejection,
            action="create",
            after=snapshot(rejection),
        )
    return rejection
