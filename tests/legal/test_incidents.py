"""Incidents on PostgreSQL: codes, versioning and history, claim links,
casualty ranges from the linked figures, Admiralty grades and tallies."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import HistoryEntry
from corpus.models import Assignment
from legal.incident_selectors import (
    UNGRADED,
    filter_by_grade,
    incident_list,
    incident_overview,
    register_rows,
)
from legal.models import Incident
from legal.ranges import casualty_range
from legal.services.claims import claim_create
from legal.services.grades import (
    claim_grade_set,
    quantity_grade_set,
    source_grade_set,
)
from legal.services.incidents import (
    incident_delete,
    incident_link_claim,
    incident_unlink_claim,
    incident_update,
)
from legal.tallies import CONSISTENT, REGISTER_HIGHER, TALLY_HIGHER, tally_checks
from projects.errors import ApplicationError, ConflictError
from projects.models import Role
from tests.factories import make_annotation
from tests.fixtures_team import member
from tests.legal.incident_support import figure_claim, new_incident, tally

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


# --- Incidents: codes, versions, history -------------------------------------


def test_codes_count_up_per_project_and_creation_is_recorded(project, analyst):
    first = new_incident(project, analyst)
    second = new_incident(project, analyst, place="Off Punta Gris")
    assert (first.code, second.code) == ("STR-0001", "STR-0002")
    entry = HistoryEntry.objects.get(object_type="incident", object_id=second.pk)
    assert entry.action == "create" and entry.after is not None
    assert entry.after["place"] == "Off Punta Gris"


def test_bad_fields_are_named_and_nothing_is_written(project, analyst):
    with pytest.raises(ValidationError) as info:
        new_incident(project, analyst, latitude=12.5)
    assert "longitude" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        new_incident(project, analyst, date_end=date(2025, 9, 1))
    assert "date_end" in info.value.message_dict
    assert not Incident.objects.exists()


def test_update_is_versioned_and_stale_edits_conflict(project, analyst):
    incident = new_incident(project, analyst)
    incident_update(
        incident=incident, user=analyst, expected_version=1, status="acknowledged"
    )
    incident.refresh_from_db()
    assert (incident.version, incident.status) == (2, "acknowledged")
    with pytest.raises(ConflictError, match="now version 2"):
        incident_update(incident=incident, user=analyst, expected_version=1, place="x")
    with pytest.raises(ApplicationError, match="cannot be changed: number"):
        incident_update(incident=incident, user=analyst, expected_version=2, number=9)
    update = HistoryEntry.objects.get(
        object_type="incident", object_id=incident.pk, action="update"
    )
    assert update.before is not None and update.after is not None
    assert (update.before["status"], update.after["status"]) == (
        "alleged",
        "acknowledged",
    )


def test_linking_a_claim_versions_it_and_one_incident_per_claim(
    project, analyst, mentions
):
    first = new_incident(project, analyst)
    second = new_incident(project, analyst)
    claim = claim_create(project=project, user=analyst, proposition="14 killed")
    linked = incident_link_claim(incident=first, claim=claim, user=analyst)
    assert (linked.incident_id, linked.version) == (first.pk, 2)
    # Idempotent: no new version.
    assert incident_link_claim(incident=first, claim=claim, user=analyst).version == 2
    with pytest.raises(ApplicationError, match="already concerns incident STR-0001"):
        incident_link_claim(incident=second, claim=claim, user=analyst)
    history = HistoryEntry.objects.filter(object_type="claim", object_id=claim.pk)
    assert [(e.after or {}).get("incident_id") for e in history.order_by("pk")] == [
        None,
        first.pk,
    ]
    incident_unlink_claim(incident=first, claim=claim, user=analyst)
    with pytest.raises(ApplicationError, match="does not concern incident STR-0001"):
        incident_unlink_claim(incident=first, claim=claim, user=analyst)


def test_claim_of_another_project_cannot_be_linked(
    project, analyst, other_project, outsider
):
    incident = new_incident(project, analyst)
    foreign = claim_create(project=other_project, user=outsider, proposition="x")
    with pytest.raises(ApplicationError, match="another project"):
        incident_link_claim(incident=incident, claim=foreign, user=analyst)


def test_deleting_an_incident_keeps_its_claims_unlinked(project, analyst):
    incident = new_incident(project, analyst)
    claim = claim_create(project=project, user=analyst, proposition="14 killed")
    incident_link_claim(incident=incident, claim=claim, user=analyst)
    incident_delete(incident=incident, user=analyst, expected_version=1)
    claim.refresh_from_db()
    assert claim.incident_id is None
    assert HistoryEntry.objects.filter(
        object_type="incident", object_id=incident.pk, action="delete"
    ).exists()


# --- Ranges -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        ([(1, 14, "exact"), (2, 16, "exact")], "14\u201316"),
        ([(1, 14, "exact"), (2, 14, "at_least")], "14"),
        ([(1, 14, "at_least"), (2, 12, "exact")], "12\u201314+"),
        ([(1, 14, "exact"), (2, 20, "up_to")], "14\u201320"),
        ([(1, 10, "more_than")], "11+"),
        ([(1, 10, "up_to")], "up to 10"),
        ([(1, 12, "about"), (2, 12, "exact")], "12"),
        ([], "\u2014"),
    ],
)
def test_range_rule(figures, expected):
    rows = [(i, v, b, False, "") for i, v, b in figures]
    assert str(casualty_range("killed", rows)) == expected


def test_running_totals_and_improbable_figures_are_left_out():
    result = casualty_range(
        "killed",
        [
            (1, 14, "exact", False, ""),
            (2, 57, "exact", True, ""),
            (3, 90, "exact", False, "5"),
        ],
    )
    assert (result.low, result.high, result.counted, result.excluded) == (14, 14, 1, 2)


def test_overview_lists_each_figure_with_document_quote_and_ranges(
    incident_with_reports, analyst, docs
):
    incident, _ = incident_with_reports
    overview = incident_overview(user=analyst, incident=incident)
    assert str(overview.ranges["killed"]) == "14\u201316+"
    assert str(overview.ranges["survivors"]) == "2"
    assert not overview.ranges["missing"].known
    killed = [f for f in overview.figures if f.category == "killed"]
    assert [(f.source_name, f.wording, f.document_id) for f in killed] == [
        ("Ministry of Defence", "14", docs["statement"].pk),
        ("Harbour Wire", "at least 16", docs["wire"].pk),
    ]
    assert killed[1].quote == "14 people were killed"
    assert {f.grade for f in overview.figures} == {UNGRADED}


def test_blind_analyst_sees_only_the_figures_of_their_own_claims(
    incident_with_reports, project, owner, docs
):
    """Working blind, ben sees the figures of his own claims on the
    incident and none of the analyst's; the owner sees all of them."""
    from legal.services.incidents import incident_link_claim

    incident, _ = incident_with_reports
    ben = member(project, "ben", Role.ANALYST)
    Assignment.objects.create(document=docs["wire"], annotator=ben, assigned_by=owner)
    project.blind_mode = True
    project.save()
    overview = incident_overview(user=ben, incident=incident)
    assert overview.figures == [] and overview.claims == []
    own = make_annotation(docs["wire"], ben, "14 people were killed")
    mine = figure_claim(project, ben, own, 15)
    incident_link_claim(incident=incident, claim=mine, user=ben)
    overview = incident_overview(user=ben, incident=incident)
    assert [f.value for f in overview.figures] == [15]
    assert [c.pk for c in overview.claims] == [mine.pk]
    assert str(overview.ranges["killed"]) == "15"
    # The owner is never blind.
    assert str(incident_overview(user=owner, incident=incident).ranges["killed"]) == (
        "14\u201316+"
    )


# --- Grades -------------------------------------------------------------------


def test_grades_need_a_rationale_are_recorded_and_shown_per_figure(
    incident_with_reports, analyst, sources
):
    incident, claims = incident_with_reports
    with pytest.raises(ApplicationError, match="Write a rationale"):
        source_grade_set(source=sources["wire"], user=analyst, reliability="B")
    with pytest.raises(ApplicationError, match="Unknown reliability grade 'Q'"):
        source_grade_set(
            source=sources["wire"], user=analyst, reliability="Q", rationale="x"
        )
    source_grade_set(
        source=sources["wire"],
        user=analyst,
        reliability="b",
        rationale="Wire with a record of corrections.",
    )
    claim_grade_set(
        claim=claims["wire"],
        user=analyst,
        expected_version=claims["wire"].version + 1,  # linked: one version more
        credibility="2",
        rationale="Matches the harbour log.",
    )
    figures = incident_overview(user=analyst, incident=incident).figures
    grades = {f.source_name: f.grade for f in figures}
    assert grades == {
        "Ministry of Defence": UNGRADED,
        "Harbour Wire": "B2",
        "Coastal Gazette": UNGRADED,
    }
    assert [f.source_name for f in filter_by_grade(figures, reliability="B")] == [
        "Harbour Wire"
    ]
    assert len(filter_by_grade(figures, credibility=UNGRADED)) == 2
    assert HistoryEntry.objects.filter(object_type="sourcegrade").count() == 1
    claim_entry = HistoryEntry.objects.filter(
        object_type="claim", object_id=claims["wire"].pk
    ).latest("pk")
    assert claim_entry.after is not None
    assert claim_entry.after["credibility"] == "2"


def test_an_improbable_figure_grade_leaves_the_range(incident_with_reports, analyst):
    incident, claims = incident_with_reports
    quantity = claims["wire"].quantities.get()
    quantity_grade_set(
        quantity=quantity,
        user=analyst,
        credibility="5",
        rationale="Counts the crew of another boat.",
    )
    overview = incident_overview(user=analyst, incident=incident)
    assert str(overview.ranges["killed"]) == "14"
    assert overview.ranges["killed"].excluded == 1
    entry = HistoryEntry.objects.get(object_type="claimquantity", action="update")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["credibility"], entry.after["credibility"]) == ("", "5")


# --- Register -----------------------------------------------------------------


def test_register_sorts_and_filters(incident_with_reports, project, analyst):
    big, _ = incident_with_reports
    small = new_incident(project, analyst, day=date(2025, 9, 20), place="Isla Brava")
    rows = register_rows(
        user=analyst, incidents=incident_list(project=project), sort="killed"
    )
    assert [r.incident.code for r in rows] == [small.code, big.code]
    assert rows[1].source_count == 3 and rows[0].source_count == 0
    found = incident_list(project=project, q="str-0002")
    assert list(found) == [small]
    assert list(incident_list(project=project, q="brava")) == [small]
    assert list(incident_list(project=project, date_to=date(2025, 9, 10))) == [big]
    assert [
        r.incident
        for r in register_rows(
            user=analyst, incidents=incident_list(project=project), credibility="3"
        )
    ] == []


# --- Tallies ------------------------------------------------------------------


def test_tally_checks_flag_discrepancies_either_way(
    incident_with_reports, project, analyst, docs
):
    _first, _ = incident_with_reports  # 14-16+ killed on 2 Sep
    later = new_incident(project, analyst, day=date(2025, 9, 10))
    note = make_annotation(docs["other"], analyst, "a harbour official said")
    later_claim = figure_claim(project, analyst, note, 9)
    incident_link_claim(incident=later, claim=later_claim, user=analyst)
    quote = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, quote, 57, "at_least", date(2025, 9, 12), strikes=4)
    tally(project, analyst, quote, 15, "exact", date(2025, 9, 5))
    tally(project, analyst, quote, 15, "exact", date(2025, 9, 11))

    checks = {
        (c.as_of, c.figure.category): c
        for c in tally_checks(user=analyst, project=project)
    }
    consistent = checks[(date(2025, 9, 5), "killed")]
    assert consistent.status == CONSISTENT
    assert (consistent.sum_low, consistent.sum_high) == (14, 16)

    higher = checks[(date(2025, 9, 12), "killed")]
    assert higher.status == TALLY_HIGHER
    assert (higher.sum_low, higher.sum_high) == (23, 25)
    assert "The tally counts 4 strikes, the register 2: 2 missing." in higher.message

    lower = checks[(date(2025, 9, 11), "killed")]
    assert lower.status == REGISTER_HIGHER
    assert [i.code for i in lower.named] == [later.code]
    assert "exceeds the tally (15) by 8" in lower.message

    strikes = checks[(date(2025, 9, 12), "strikes")]
    assert strikes.status == TALLY_HIGHER


def test_tally_names_incidents_without_a_figure(project, analyst, docs):
    silent = new_incident(project, analyst, day=date(2025, 9, 1))
    quote = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, quote, 57, "at_least", date(2025, 9, 12))
    [check] = tally_checks(user=analyst, project=project)
    assert check.status == TALLY_HIGHER
    assert check.named == [silent]
    assert f"No figure of killed or dead yet for {silent.code}." in check.message


def test_register_cache_follows_every_recorded_change(
    incident_with_reports, project, analyst
):
    incident, claims = incident_with_reports

    def killed() -> str:
        rows = register_rows(user=analyst, incidents=incident_list(project=project))
        return str(rows[0].killed)

    assert killed() == "14\u201316+"
    quantity = claims["wire"].quantities.get()
    quantity_grade_set(
        quantity=quantity, user=analyst, credibility="5", rationale="Wrong boat."
    )
    assert killed() == "14"
    incident_unlink_claim(incident=incident, claim=claims["ministry"], user=analyst)
    assert killed() == "\u2014"
