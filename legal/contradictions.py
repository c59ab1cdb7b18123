"""Which reported figures contradict each other: a plain, tested function.

Two reports contradict when they give figures for the same thing (same
``counts``, e.g. killed) about the same event and the ranges their wording
allows cannot both be true. "At least 57" allows 57 or more, so it does not
contradict 60; "up to 10" does not contradict 8; "about 40" allows +/-10%.

Same event means: the same incident claim, or the same event date. Running
totals (``cumulative``) are compared with running totals only: at the same
``as_of`` date their ranges must overlap, and a total may grow over time but
never shrink, so a later total whose range lies wholly below an earlier
total's range is flagged too. An incident figure and a campaign total are
never compared with each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import cast

#: Relative tolerance of "about"/"around"/"some" figures.
ABOUT_TOLERANCE = 0.10


@dataclass(frozen=True)
class Report:
    """One figure as a source reported it.

    ``bound`` is one of exact, at_least, more_than, up_to, about (the values
    of ``annotations.models.QuantityBound``). ``claim_id`` identifies the
    incident claim; ``event_date`` the day of the event; ``as_of`` the day a
    cumulative figure was current.
    """

    id: int
    value: int
    counts: str
    source: str
    bound: str = "exact"
    cumulative: bool = False
    claim_id: int | None = None
    event_date: date | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class Contradiction:
    first: Report
    second: Report
    reason: str


def allowed_range(value: int, bound: str) -> tuple[float, float]:
    """The closed range of true values a figure's wording allows."""
    if bound == "at_least":
        return (value, math.inf)
    if bound == "more_than":
        return (value + 1, math.inf)
    if bound == "up_to":
        return (0, value)
    if bound == "about":
        spread = max(1, math.ceil(value * ABOUT_TOLERANCE))
        return (max(0, value - spread), value + spread)
    return (value, value)


def describe(report: Report) -> str:
    words = {
        "at_least": "at least ",
        "more_than": "more than ",
        "up_to": "up to ",
        "about": "about ",
    }
    return f"{words.get(report.bound, '')}{report.value} {report.counts}"


def _overlap(a: Report, b: Report) -> bool:
    lo_a, hi_a = allowed_range(a.value, a.bound)
    lo_b, hi_b = allowed_range(b.value, b.bound)
    return lo_a <= hi_b and lo_b <= hi_a


def _same_event(a: Report, b: Report) -> bool:
    if a.claim_id is not None and a.claim_id == b.claim_id:
        return True
    return a.event_date is not None and a.event_date == b.event_date


def _check_pair(a: Report, b: Report) -> str | None:
    """The reason ``a`` and ``b`` contradict, or None."""
    if a.counts != b.counts or a.cumulative != b.cumulative:
        return None
    if not a.cumulative:
        if _same_event(a, b) and not _overlap(a, b):
            return (
                f"{a.source} reports {describe(a)}, {b.source} reports "
                f"{describe(b)} for the same event."
            )
        return None
    # Running totals.
    if a.as_of is None or b.as_of is None:
        return None
    if a.as_of == b.as_of:
        if not _overlap(a, b):
            return (
                f"{a.source} and {b.source} give different totals on "
                f"{a.as_of.isoformat()}: {describe(a)} against {describe(b)}."
            )
        return None
    earlier, later = (a, b) if a.as_of < b.as_of else (b, a)
    # Both dates are set (checked above); the swap hides that from mypy.
    earlier_on, later_on = cast(date, earlier.as_of), cast(date, later.as_of)
    lo_earlier, _ = allowed_range(earlier.value, earlier.bound)
    _, hi_later = allowed_range(later.value, later.bound)
    if hi_later < lo_earlier:
        return (
            f"A running total cannot shrink: {earlier.source} reported "
            f"{describe(earlier)} by {earlier_on.isoformat()}, {later.source} "
            f"{describe(later)} by {later_on.isoformat()}."
        )
    return None


def find_contradictions(reports: list[Report]) -> list[Contradiction]:
    """Every pair of reports that cannot both be true, in input order.

    Reports from the same source are compared too: a source that revises
    its own figure is worth a look. Pairs are only formed within the same
    ``counts``, so the cost is quadratic in the reports per kind of figure.
    """
    by_counts: dict[str, list[Report]] = {}
    for report in reports:
        by_counts.setdefault(report.counts, []).append(report)
    found: list[Contradiction] = []
    for group in by_counts.values():
        for a, b in combinations(group, 2):
            reason = _check_pair(a, b)
            if reason:
                found.append(Contradiction(first=a, second=b, reason=reason))
    return found
