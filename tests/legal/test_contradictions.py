"""The contradiction check: bounds, same event, running totals."""

from __future__ import annotations

from datetime import date

from legal.contradictions import Report, allowed_range, find_contradictions


def r(id, value, source, **kw) -> Report:
    kw.setdefault("counts", "killed")
    kw.setdefault("claim_id", 1)
    return Report(id=id, value=value, source=source, **kw)


def test_different_exact_figures_for_the_same_incident_contradict():
    found = find_contradictions([r(1, 14, "Ministry"), r(2, 11, "Wire")])
    assert len(found) == 1
    assert "Ministry reports 14 killed, Wire reports 11 killed" in found[0].reason


def test_equal_figures_do_not_contradict():
    assert find_contradictions([r(1, 14, "Ministry"), r(2, 14, "Wire")]) == []


def test_at_least_57_does_not_contradict_60_but_does_contradict_50():
    assert find_contradictions([r(1, 57, "A", bound="at_least"), r(2, 60, "B")]) == []
    found = find_contradictions([r(1, 57, "A", bound="at_least"), r(2, 50, "B")])
    assert len(found) == 1
    assert "at least 57 killed" in found[0].reason


def test_more_than_up_to_and_about():
    assert allowed_range(10, "more_than") == (11, float("inf"))
    assert find_contradictions([r(1, 10, "A", bound="more_than"), r(2, 10, "B")])
    assert not find_contradictions([r(1, 10, "A", bound="up_to"), r(2, 8, "B")])
    assert find_contradictions([r(1, 10, "A", bound="up_to"), r(2, 12, "B")])
    assert not find_contradictions([r(1, 40, "A", bound="about"), r(2, 43, "B")])
    assert find_contradictions([r(1, 40, "A", bound="about"), r(2, 50, "B")])
    # Two open ranges always overlap.
    assert not find_contradictions(
        [r(1, 5, "A", bound="at_least"), r(2, 90, "B", bound="at_least")]
    )


def test_other_counts_or_other_events_are_not_compared():
    assert not find_contradictions([r(1, 14, "A"), r(2, 2, "B", counts="survivors")])
    # Different incident claims with no shared event date.
    assert not find_contradictions(
        [r(1, 14, "A", claim_id=1), r(2, 3, "B", claim_id=2)]
    )
    # Different claims on the same event date are the same event.
    day = date(2025, 9, 2)
    found = find_contradictions(
        [
            r(1, 14, "A", claim_id=1, event_date=day),
            r(2, 3, "B", claim_id=2, event_date=day),
        ]
    )
    assert len(found) == 1


def test_running_totals_may_grow_but_not_shrink():
    grow = [
        r(1, 27, "A", cumulative=True, claim_id=None, as_of=date(2025, 10, 1)),
        r(2, 57, "B", cumulative=True, claim_id=None, as_of=date(2025, 11, 1)),
    ]
    assert find_contradictions(grow) == []
    shrink = [
        r(1, 57, "A", cumulative=True, claim_id=None, as_of=date(2025, 11, 1)),
        r(2, 40, "B", cumulative=True, claim_id=None, as_of=date(2025, 11, 20)),
    ]
    found = find_contradictions(shrink)
    assert len(found) == 1 and "cannot shrink" in found[0].reason
    # "Up to 60" later is compatible with "at least 57" earlier.
    bounded = [
        r(1, 57, "A", cumulative=True, bound="at_least", as_of=date(2025, 11, 1)),
        r(2, 60, "B", cumulative=True, bound="up_to", as_of=date(2025, 11, 20)),
    ]
    assert find_contradictions(bounded) == []
    same_day = [
        r(1, 57, "A", cumulative=True, as_of=date(2025, 11, 1)),
        r(2, 61, "B", cumulative=True, as_of=date(2025, 11, 1)),
    ]
    assert "different totals" in find_contradictions(same_day)[0].reason


def test_incident_figures_are_not_compared_with_running_totals():
    reports = [
        r(1, 14, "A", claim_id=1),
        r(2, 57, "B", claim_id=1, cumulative=True, as_of=date(2025, 11, 1)),
    ]
    assert find_contradictions(reports) == []
