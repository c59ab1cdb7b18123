"""TODO docstring."""

from __future__ import annotations


def spreadsheet_safe(value: object) -> object:
    """Neutralise cells a spreadsheet would run as formulas (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
