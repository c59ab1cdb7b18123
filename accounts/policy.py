"""Sign-in policy other modules consult (e.g. the API token endpoint)."""

from __future__ import annotations

from django_otp import user_has_device


def second_factor_required(user) -> bool:
    """True if ``user`` turned on two-factor sign-in.

    Any path that trades a password for a credential (a session, an API
    token) must refuse such a user unless it also checks a one-time code;
    otherwise the second factor can be bypassed.
    """
    return user_has_device(user, confirmed=True)
