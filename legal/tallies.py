"""Campaign tallies checked against the incident register.

A tally is a running total (a ``cumulative`` figure, e.g. "at least 57
killed in 14 strikes") with an as-of date: the figure's ``as_of``, else the
day its document was published. Glossa sums the ranges of the incidents
dated up to that day and flags a discrepancy either way:

* the tally is **higher** than the register's maximum: casualties (or
  strikes) are missing from the register; the incidents in scope with no
  figure of that kind are named, and the gap in strikes when the tally
  states a number of strikes;
* the tally is **lower** than the register's minimum: incidents are missing
  from the tally; the latest incidents in scope are named (those first
  reported after the as-of day first), as many as it takes to close the gap,
  since tallies lag behind the newest strikes.

The tally's own wording gives its range (``contradictions.allowed_range``):
"at least 57" is never too high for a register summing to 60.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from legal.contradictions import allowed_range
from legal.incident_selectors import FigureRow, RegisterRow, figure_rows, register_rows
from legal.models import ClaimQuantity, Incident, QuantityCounts
from legal.ranges import CASUALTY_CATEGORIES
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

CONSISTENT = "consistent"
TALLY_HIGHER = "tally_higher"
REGISTER_HIGHER = "register_higher"
NOT_COMPARABLE = "not_comparable"
_LABELS = dict(QuantityCounts.choices)


@dataclass
class TallyCheck:
    """One tally against the sum of the incidents up to its as-of day."""

    figure: FigureRow
    as_of: date
    in_scope: list[RegisterRow]
    sum_low: int
    sum_high: int
    status: str
    message: str
    named: list[Incident] = field(default_factory=list)
    strikes_stated: int | None = None

    @property
    def incident_count(self) -> int:
        return len(self.in_scope)

    @property
    def discrepancy(self) -> bool:
        return self.status in (TALLY_HIGHER, REGISTER_HIGHER)

    @property
    def category_label(self) -> str:
        return _LABELS.get(self.figure.category, self.figure.category)


def _as_of(figure: FigureRow) -> date | None:
    if figure.as_of:
        return figure.as_of
    return figure.reported_at.date() if figure.reported_at else None


def _codes(incidents: list[Incident]) -> str:
    return ", ".join(i.code for i in incidents)


class _Timeline:
    """The register in date order with running sums per category, so each
    tally finds its incidents and sums by bisection, not by a pass over
    the whole register."""

    def __init__(self, rows: list[RegisterRow]) -> None:
        self.rows = sorted(rows, key=lambda r: (r.incident.date, r.incident.number))
        self.days = [r.incident.date for r in self.rows]
        self._running: dict[str, tuple[list[int], list[int]]] = {}
        self._unknown: dict[str, list[int]] = {}

    def upto(self, as_of: date) -> int:
        """How many incidents are dated up to ``as_of``."""
        return bisect_right(self.days, as_of)

    def sums(self, category: str, count: int) -> tuple[int, int]:
        """Sum of floors and of ceilings of the first ``count`` incidents."""
        if category == QuantityCounts.STRIKES:
            return count, count
        if category not in self._running:
            lows, highs = [0], [0]
            for row in self.rows:
                found = row.ranges[category]
                lows.append(lows[-1] + found.floor)
                highs.append(highs[-1] + found.ceiling)
            self._running[category] = (lows, highs)
        lows, highs = self._running[category]
        return lows[count], highs[count]

    def unknown(self, category: str, count: int) -> list[Incident]:
        """The first ``count`` incidents with no figure of ``category``, in
        date order (positions kept per category, so each tally bisects)."""
        if category not in self._unknown:
            self._unknown[category] = [
                i for i, row in enumerate(self.rows) if not row.ranges[category].known
            ]
        positions = self._unknown[category]
        return [
            self.rows[i].incident for i in positions[: bisect_left(positions, count)]
        ]


def _check(
    tally: FigureRow,
    as_of: date,
    timeline: _Timeline,
    strikes: int | None,
) -> TallyCheck:
    category = tally.category
    label = _LABELS.get(category, category).lower()
    count = timeline.upto(as_of)
    in_scope = timeline.rows[:count]
    sum_low, sum_high = timeline.sums(category, count)
    low, high = allowed_range(tally.value, tally.bound)
    check = TallyCheck(
        figure=tally,
        as_of=as_of,
        in_scope=in_scope,
        sum_low=sum_low,
        sum_high=sum_high,
        status=CONSISTENT,
        message=(
            f"The tally ({tally.wording} {label}) agrees with the register: "
            f"{sum_low}\u2013{sum_high} in {len(in_scope)} incidents up to "
            f"{as_of.isoformat()}."
        ),
        strikes_stated=strikes,
    )
    if low > sum_high:
        check.status = TALLY_HIGHER
        gap = low - sum_high
        unknown = (
            []
            if category == QuantityCounts.STRIKES
            else timeline.unknown(category, count)
        )
        check.named = unknown
        parts = [
            f"The tally ({tally.wording} {label} by {as_of.isoformat()}) exceeds "
            f"the register's maximum of {sum_high} by {gap}: incidents or "
            "figures are missing from the register."
        ]
        if strikes is not None and strikes > len(in_scope):
            parts.append(
                f"The tally counts {strikes} strikes, the register "
                f"{len(in_scope)}: {strikes - len(in_scope)} missing."
            )
        if unknown:
            parts.append(f"No figure of {label} yet for {_codes(unknown)}.")
        check.message = " ".join(parts)
    elif high < sum_low:
        check.status = REGISTER_HIGHER
        # Latest first, those first reported after the tally's day before all.
        ordered = sorted(
            in_scope,
            key=lambda r: (
                (r.first_reported or as_of) > as_of,
                r.incident.date,
                r.incident.number,
            ),
            reverse=True,
        )
        named, remaining = [], sum_low
        for row in ordered:
            if remaining <= high:
                break
            floor = (
                1 if category == QuantityCounts.STRIKES else row.ranges[category].floor
            )
            if floor == 0:
                continue
            named.append(row.incident)
            remaining -= floor
        check.named = sorted(named, key=lambda i: (i.date, i.number))
        check.message = (
            f"The register's minimum of {sum_low} {label} up to "
            f"{as_of.isoformat()} exceeds the tally ({tally.wording}) by "
            f"{sum_low - int(high)}: incidents "
            f"are missing from the tally, most likely {_codes(check.named)}."
        )
    return check


def tally_checks(
    *,
    user: User | AnonymousUser,
    project: Project,
    incidents_rows: list[RegisterRow] | None = None,
) -> list[TallyCheck]:
    """Every tally of the project (casualties or strikes) the user may see,
    checked against the incidents up to its as-of day, in as-of order."""
    tallies = figure_rows(
        user=user,
        project=project,
        queryset=ClaimQuantity.objects.filter(claim__project=project, cumulative=True),
    )
    rows: list[RegisterRow] = (
        incidents_rows
        if incidents_rows is not None
        else register_rows(
            user=user, incidents=Incident.objects.filter(project=project)
        )
    )
    strikes_of: dict[tuple[int, date | None], int] = {
        (t.claim_id, _as_of(t)): t.value
        for t in tallies
        if t.category == QuantityCounts.STRIKES
    }
    timeline = _Timeline(rows)
    checks = []
    for tally in tallies:
        if tally.category not in (*CASUALTY_CATEGORIES, QuantityCounts.STRIKES):
            continue
        as_of = _as_of(tally)
        if as_of is None:
            continue
        strikes = strikes_of.get((tally.claim_id, as_of))
        if tally.category == QuantityCounts.STRIKES:
            strikes = None
        checks.append(_check(tally, as_of, timeline, strikes))
    checks.sort(key=lambda c: (c.as_of, c.figure.id))
    return checks
