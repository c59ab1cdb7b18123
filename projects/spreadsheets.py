"""Values made safe to open in a spreadsheet (CSV and XLSX exports).

A cell starting with ``= + - @``, TAB or CR is read as a formula by Excel and
LibreOffice; every export of user text goes through ``spreadsheet_safe``.
"""

from __future__ import annotations


def spreadsheet_safe(value: object) -> object:
    """Neutralise cells a spreadsheet would run as formulas (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
