"""Writes on two-factor devices: set one up, confirm it, remove them all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
