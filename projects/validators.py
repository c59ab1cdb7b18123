"""Validators shared by the apps' models: keys (tags, frameworks) and colours."""

from __future__ import annotations

from django.core.validators import RegexValidator

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_.\-]*$",
    "Use lowercase letters, digits, '_', '.' or '-', starting with a letter.",
)


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Use a hex colour such as #1f77b4."
)
