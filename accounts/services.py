"""Writes of accounts: two-factor devices, invitations to a project by email,
and the user's own profile."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ProjectInvitation
from projects.errors import ApplicationError
from projects.models import Membership, Project, Role
from projects.permissions import check_role
from projects.services import membership_set

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

audit = logging.getLogger("glossa.audit")


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device, created on first use.

    Kept across page loads so the QR code shown stays the same until the
    user confirms it with a code.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Make ``device`` the user's one confirmed device (its code checked out)."""
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_devices_remove(*, user: User) -> None:
    """Turn two-factor sign-in off: forget every device of the user."""
    TOTPDevice.objects.filter(user=user).delete()


# --- Invitations ----------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *, project: Project, email: str, role: str, inviter: User, request: HttpRequest
) -> ProjectInvitation:
    """Mail a one-time link that makes its holder ``role`` in ``project``.

    A member already in the project is refused (change their role on the
    members page instead). A pending invitation to the same address is
    replaced, so only the newest link works.
    """
    email = get_user_model().objects.normalize_email(email.strip())
    check_role(inviter, project, Role.OWNER)
    if role not in Role.values:
        raise ApplicationError(
            f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.",
            extra={"field": "role"},
        )
    if Membership.objects.filter(project=project, user__email__iexact=email).exists():
        raise ApplicationError(
            f"{email} is already a member of {project.name}.", extra={"field": "email"}
        )
    ProjectInvitation.objects.filter(
        project=project, email__iexact=email, accepted=False, revoked_at__isnull=True
    ).delete()
    invitation = ProjectInvitation.create(
        email, inviter=inviter, project=project, role=role
    )
    invitation.send_invitation(request)
    audit.info(
        "invitation_sent project=%s email=%s role=%s actor=%s",
        project.slug,
        email,
        role,
        inviter.get_username(),
    )
    return invitation


def invitation_for_key(key: str) -> ProjectInvitation | None:
    """The invitation a link names, whatever its state (None if unknown)."""
    invitation: ProjectInvitation | None = (
        ProjectInvitation.objects.select_related("project", "inviter")
        .filter(key=key.lower())
        .first()
    )
    return invitation


def invitation_problem(invitation: ProjectInvitation | None) -> str:
    """Why the link cannot be used, in words; empty when it can."""
    if invitation is None:
        return "This invitation link is not valid. Ask the project owner for a new one."
    if invitation.accepted:
        return "This invitation was already used. Sign in to reach the project."
    if invitation.revoked_at is not None:
        return (
            "This invitation was withdrawn by an owner of "
            f"{invitation.project.name}. Ask them for a new one if you need it."
        )
    if invitation.key_expired():
        return (
            "This invitation has expired. Ask an owner of "
            f"{invitation.project.name} to invite you again."
        )
    return ""


@transaction.atomic
def invitation_revoke(
    *, invitation: ProjectInvitation, actor: User
) -> ProjectInvitation:
    """Withdraw a pending invitation: its link stops working at once.

    Owners only. The row is kept with who withdrew it and when (the members
    page lists it), and the change goes to the ``glossa.audit`` log like
    every access change. A used or already withdrawn invitation is refused.
    """
    check_role(actor, invitation.project, Role.OWNER)
    locked = ProjectInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted:
        raise ApplicationError(
            f"The invitation of {locked.email} was already used: remove the "
            "member on the members page instead."
        )
    if locked.revoked_at is not None:
        raise ApplicationError(f"The invitation of {locked.email} was already revoked.")
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit.info(
        "invitation_revoked project=%s email=%s role=%s actor=%s",
        invitation.project.slug,
        locked.email,
        locked.role,
        actor.get_username(),
    )
    return locked


@transaction.atomic
def invitation_accept(*, invitation: ProjectInvitation, user: User) -> Membership:
    """Use the invitation once: ``user`` joins its project with its role.

    The row is locked, so two clicks on the same link cannot both succeed.
    Someone already in the project keeps their role if it is higher.
    """
    locked = ProjectInvitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(locked)
    if problem:
        raise ApplicationError(problem)
    existing = Membership.objects.filter(project=locked.project, user=user).first()
    if existing is not None and existing.allows(locked.role):
        membership = existing
    else:
        membership = membership_set(
            project=locked.project, user=user, role=locked.role, actor=locked.inviter
        )
    locked.accepted = True
    locked.accepted_by = user
    locked.save(update_fields=["accepted", "accepted_by"])
    audit.info(
        "invitation_accepted project=%s email=%s user=%s",
        locked.project.slug,
        locked.email,
        user.get_username(),
    )
    return membership


@transaction.atomic
def invitation_accept_new_user(
    *,
    invitation: ProjectInvitation,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create the invited person's account (with the invited email) and
    accept the invitation with it, in one transaction."""
    user = get_user_model().objects.create_user(
        username=username,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    invitation_accept(invitation=invitation, user=user)
    return user


# --- Profile ----------------------------------------------------------------------


def profile_update(*, user: User, first_name: str, last_name: str, email: str) -> User:
    """Change the user's name and email (the username, which history cites,
    stays)."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.email = get_user_model().objects.normalize_email(email.strip())
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["first_name", "last_name", "email"])
    audit.info("profile_updated user=%s", user.get_username())
    return user
