"""Writes on projects and memberships: creation (with the owner), roles, settings.

Every write records who did it in the ``glossa.audit`` log; the last owner of
a project can never be removed or demoted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from projects.errors import ApplicationError
from projects.models import Membership, Project, Role
from projects.signals import project_created

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def project_create(
    *, name: str, created_by: User | None = None, slug: str = "", description: str = ""
) -> Project:
    """Create a project, make its creator owner, and announce it.

    Listeners of ``project_created`` (the default taxonomy and framework)
    run inside the same transaction, so a project never exists without them.
    """
    project = Project(
        name=name,
        slug=slug or slugify(name)[:80],
        description=description,
        created_by=created_by,
    )
    project.full_clean()
    project.save()
    if created_by is not None:
        Membership.objects.create(project=project, user=created_by, role=Role.OWNER)
    project_created.send(sender=Project, project=project, created_by=created_by)
    return project


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
    allowed = {"name", "description", "blind_mode"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    blind_before = project.blind_mode
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
