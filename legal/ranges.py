"""The casualty range rule: plain functions, no database (docs/incidents.md).

An incident's range for one category (killed, injured, ...) is the minimum
and maximum across the figures that count. What each wording contributes:

* exact ``n`` and "about" ``n``: ``n`` to both the minimum and the maximum;
* "at least" ``n``: ``n`` to both, and the maximum is open-ended ("14+")
  when the largest figure is such a lower bound;
* "more than" ``n``: ``n + 1``, as "at least";
* "up to" ``n``: ``n`` to the maximum only.

Figures graded improbable (credibility 5) are listed but do not count, nor
do running totals (``cumulative``: a campaign's tally, not one incident's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from legal.models import Credibility

#: The categories an incident's ranges are given for, in table order.
CASUALTY_CATEGORIES = ("killed", "injured", "survivors", "missing", "aboard")
#: Credibility grades whose figures are left out of the range.
EXCLUDED_GRADES = frozenset({Credibility.IMPROBABLE.value})

LOWER_BOUNDS = ("at_least", "more_than")


@dataclass(frozen=True)
class Contribution:
    """What one figure adds to the range: a floor and/or a ceiling."""

    low: int | None
    high: int | None
    open_ended: bool


def contribution(value: int, bound: str) -> Contribution:
    """The floor and ceiling one figure's wording gives (see module doc)."""
    if bound == "more_than":
        return Contribution(value + 1, value + 1, True)
    if bound == "at_least":
        return Contribution(value, value, True)
    if bound == "up_to":
        return Contribution(None, value, False)
    return Contribution(value, value, False)


@dataclass
class CasualtyRange:
    """Minimum and maximum of one category; ``None`` when nothing counts."""

    category: str
    low: int | None = None
    high: int | None = None
    high_open: bool = False
    counted: int = 0
    excluded: int = 0
    figure_ids: list[int] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.counted > 0

    @property
    def spread(self) -> bool:
        """True when the sources disagree (minimum and maximum differ)."""
        return self.low is not None and self.high is not None and self.low != self.high

    @property
    def floor(self) -> int:
        """The minimum for sums: 0 when no figure gives a floor."""
        return self.low or 0

    @property
    def ceiling(self) -> int:
        """The maximum for sums: the minimum when only floors are known."""
        if self.high is None:
            return self.floor
        return max(self.high, self.floor)

    def __str__(self) -> str:
        if not self.known:
            return "—"
        high = f"{self.high}+" if self.high_open else str(self.high)
        if self.low is None:
            return f"up to {self.high}"
        if self.low == self.high:
            return high
        return f"{self.low}\u2013{high}"


def counts_toward_range(*, cumulative: bool, grade: str) -> bool:
    """Whether a figure enters its incident's range (module doc)."""
    return not cumulative and grade not in EXCLUDED_GRADES


def casualty_range(
    category: str, figures: list[tuple[int, int, str, bool, str]]
) -> CasualtyRange:
    """The range of ``category`` from ``(id, value, bound, cumulative, grade)``
    figures of that category; the excluded ones are counted, not used."""
    result = CasualtyRange(category=category)
    high_is_open = False
    for figure_id, value, bound, cumulative, grade in figures:
        if not counts_toward_range(cumulative=cumulative, grade=grade):
            result.excluded += 1
            continue
        part = contribution(value, bound)
        result.counted += 1
        result.figure_ids.append(figure_id)
        if part.low is not None and (result.low is None or part.low < result.low):
            result.low = part.low
        if part.high is not None:
            if result.high is None or part.high > result.high:
                result.high = part.high
                high_is_open = part.open_ended
            elif part.high == result.high and not part.open_ended:
                high_is_open = False
    result.high_open = high_is_open
    return result
