"""Invitations to a project by email (django-invitations' base model).

The library gives the one-time key, the sent time and the expiry rule
(``INVITATIONS_INVITATION_EXPIRY`` days after sending) and mails through
Django's email backend; Glossa adds which project and which role the link
grants. An email address may hold invitations to several projects, so it
is not unique here as it is in the library's own model.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from invitations.adapters import get_invitations_adapter
from invitations.app_settings import app_settings
from invitations.base_invitation import AbstractBaseInvitation

from projects.models import Project, Role


class ProjectInvitation(AbstractBaseInvitation):
    """An owner's invitation: whoever opens the link joins ``project`` as ``role``."""

    email = models.EmailField(max_length=254)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANALYST)
    created = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An owner withdrew the link before it was used: it no longer works, and
    # the row stays as the record of who withdrew it and when.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A plain manager (typed): Glossa asks for pending invitations by
    # project itself and does not use the library's bulk-expiry helpers.
    # No reverse accessor on Project: the base model comes from an untyped
    # library, which the type checker's Django plugin cannot follow.
    objects = models.Manager["ProjectInvitation"]()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="invitation_role_valid",
            )
        ]

    @classmethod
    def create(
        cls, email: str, inviter: Any = None, **kwargs: Any
    ) -> ProjectInvitation:
        """A new invitation with the library's key: 64 random characters."""
        key = get_random_string(64).lower()
        invitation: ProjectInvitation = cls._default_manager.create(
            email=email, key=key, inviter=inviter, **kwargs
        )
        return invitation

    def expires_at(self) -> datetime.datetime | None:
        if self.sent is None:
            return None
        return self.sent + datetime.timedelta(days=app_settings.INVITATION_EXPIRY)

    def key_expired(self) -> bool:
        expires = self.expires_at()
        return expires is None or expires <= timezone.now()

    def send_invitation(self, request: Any, **kwargs: Any) -> None:
        """Mail the link (through the library's adapter) and start the clock."""
        url = request.build_absolute_uri(
            reverse(app_settings.CONFIRMATION_URL_NAME, args=[self.key])
        )
        context = {
            **kwargs,
            "invite_url": url,
            "site_name": "Glossa",
            "email": self.email,
            "inviter": self.inviter,
            "project": self.project,
            "role": self.get_role_display(),
            "days": app_settings.INVITATION_EXPIRY,
        }
        get_invitations_adapter().send_mail(
            "accounts/email/invitation", self.email, context
        )
        self.sent = timezone.now()
        self.save(update_fields=["sent"])

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.project} as {self.role}"
