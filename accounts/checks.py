"""System checks for the security settings Glossa depends on."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_PASSWORD_LENGTH = 12
REQUIRED_VALIDATORS = {
    "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    "django.contrib.auth.password_validation.MinimumLengthValidator",
    "django.contrib.auth.password_validation.CommonPasswordValidator",
    "django.contrib.auth.password_validation.NumericPasswordValidator",
}


@register(Tags.security, deploy=False)
def check_password_validators(app_configs=None, **kwargs) -> list[Error]:
    """Passwords guard sensitive case files: refuse weak validator settings."""
    errors: list[Error] = []
    configured = {
        v["NAME"]: v.get("OPTIONS", {}) for v in settings.AUTH_PASSWORD_VALIDATORS
    }
    missing = sorted(REQUIRED_VALIDATORS - set(configured))
    if missing:
        errors.append(
            Error(
                f"AUTH_PASSWORD_VALIDATORS lacks {', '.join(missing)}.",
                hint="Keep the four Django validators in glossa/settings.py.",
                id="glossa.E001",
            )
        )
    length = configured.get(
        "django.contrib.auth.password_validation.MinimumLengthValidator", {}
    ).get("min_length", 8)
    if length < MIN_PASSWORD_LENGTH:
        errors.append(
            Error(
                f"Passwords may be {length} characters long; Glossa needs at least "
                f"{MIN_PASSWORD_LENGTH}.",
                id="glossa.E002",
            )
        )
    return errors


@register(Tags.security)
def check_login_throttling(app_configs=None, **kwargs) -> list[Error]:
    """Login throttling must stay in front of the password check."""
    backends = list(settings.AUTHENTICATION_BACKENDS)
    first = backends[0] if backends else ""
    if "axes" not in first and "Throttled" not in first:
        return [
            Error(
                "The first authentication backend is not the login-throttling one.",
                hint="Put accounts.backends.ThrottledLoginBackend first.",
                id="glossa.E003",
            )
        ]
    return []
