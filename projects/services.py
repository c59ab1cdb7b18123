"""Writes on projects and memberships: creation (with the owner), roles, settings.

Every write records who did it in the ``glossa.audit`` log; the last owner of
a project can never be removed or demoted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from projects.errors import ApplicationError
from projects.models import Membership, Project, Role
from projects.signals import project_created

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def acting_states_clean(states: Iterable[str]) -> list[str]:
    """The acting states as a list of names: trimmed, blanks and repeats dropped
    (case-insensitively), order kept, so ``"United States, , united states"``
    is one state."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for state in states:
        name = " ".join(str(state).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            cleaned.append(name)
    return cleaned


@transaction.atomic
def project_create(
    *,
    name: str,
    created_by: User | None = None,
    slug: str = "",
    description: str = "",
    acting_states: Iterable[str] = (),
    blind_mode: bool = False,
) -> Project:
    """Create a project, make its creator owner, and announce it.

    Listeners of ``project_created`` (the default taxonomy and framework)
    run inside the same transaction, so a project never exists without them.
    The one way projects are made: the "New project" page, the admin, the
    demo and the tests all come through here.
    """
    project = Project(
        name=name,
        slug=slug or _free_slug(slugify(name)[:72]),
        description=description,
        acting_states=acting_states_clean(acting_states),
        blind_mode=blind_mode,
        created_by=created_by,
    )
    if not project.slug:
        raise ValidationError(
            {"name": "The name needs at least one letter or digit (for its URL)."}
        )
    project.full_clean()
    project.save()
    if created_by is not None:
        Membership.objects.create(project=project, user=created_by, role=Role.OWNER)
    project_created.send(sender=Project, project=project, created_by=created_by)
    return project


def _free_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no project has yet: two
    projects may share a name, never a URL."""
    if not base:
        return ""
    taken = set(
        Project.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def membership_set(
    *, project: Project, user: User, role: str, actor: User | None = None
) -> Membership:
    """Give ``user`` the ``role`` in ``project`` (creating or changing it)."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {Role.values}.")
    if role != Role.OWNER:
        _refuse_losing_last_owner(project=project, user=user)
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    audit.info(
        "membership_set project=%s user=%s role=%s actor=%s",
        project.slug,
        user.get_username(),
        role,
        actor.get_username() if actor is not None else "-",
    )
    return membership


@transaction.atomic
def membership_remove(
    *, project: Project, user: User, actor: User | None = None
) -> None:
    """Take ``user`` out of ``project``; a project always keeps one owner."""
    _refuse_losing_last_owner(project=project, user=user)
    Membership.objects.filter(project=project, user=user).delete()
    audit.info(
        "membership_remove project=%s user=%s actor=%s",
        project.slug,
        user.get_username(),
        actor.get_username() if actor is not None else "-",
    )


audit = logging.getLogger("glossa.audit")


def _refuse_losing_last_owner(*, project: Project, user: User) -> None:
    """Raise ApplicationError if ``user`` is the project's only owner.

    Owners are locked (``select_for_update``) so two owners demoting each
    other at once cannot leave the project without one.
    """
    owners = list(
        Membership.objects.select_for_update()
        .filter(project=project, role=Role.OWNER)
        .values_list("user_id", flat=True)
    )
    if owners == [user.pk]:
        raise ApplicationError(
            f"{user.get_username()} is the last owner of {project.name}; "
            "make someone else owner first."
        )


@transaction.atomic
def project_set_blind_mode(
    *, project: Project, blind_mode: bool, actor: User | None = None
) -> Project:
    """Turn independent (blind) annotation on or off for the project."""
    Project.objects.filter(pk=project.pk).update(blind_mode=blind_mode)
    project.blind_mode = blind_mode
    audit.info(
        "blind_mode project=%s on=%s actor=%s",
        project.slug,
        blind_mode,
        actor.get_username() if actor is not None else "-",
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor: User | None = None, **fields: Any
) -> Project:
    """Change a project's name, description or blind mode (not its slug:
    URLs, exports and archives cite it)."""
    allowed = {"name", "description", "blind_mode", "acting_states"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    blind_before = project.blind_mode
    if "acting_states" in fields:
        fields["acting_states"] = acting_states_clean(fields["acting_states"])
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    if project.blind_mode != blind_before:
        audit.info(
            "blind_mode project=%s on=%s actor=%s",
            project.slug,
            project.blind_mode,
            actor.get_username() if actor is not None else "-",
        )
    return project
