"""Parsing ids from query strings and forms, which are hostile input."""

from __future__ import annotations

import re

_ID_RE = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """An object id from user input, or None for anything else.

    ``str.isdigit`` is not enough: it accepts "²" and other Unicode digits
    that ``int`` refuses, and unbounded lengths overflow bigint columns.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value < 10**18 else None
    if isinstance(value, str) and _ID_RE.fullmatch(value.strip()):
        return int(value.strip())
    return None
