"""The evidence matrix (counts, gaps, drill-down) and the timeline page."""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legal.matrix import element_counts, matrix_build
from legal.models import Element
from legal.services.assessments import assessment_create
from legal.services.claims import claim_create, claim_quantity_add
from legal.timeline import timeline_build
from projects.services import membership_set
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def elements(project):
    return list(
        Element.objects.filter(criterion__framework__project=project).order_by(
            "criterion__order", "order"
        )
    )


@pytest.fixture
def assessed(project, analyst, reviewer, mentions, elements):
    """Two claims; element 0 has 2 supports + 1 undermines, element 1 one
    inconclusive, element 2 only 'not applicable'."""
    c1 = claim_create(
        project=project, user=analyst, proposition="14 killed",
        annotation=mentions["minister"],
    )  # fmt: skip
    c2 = claim_create(
        project=project, user=analyst, proposition="Strikes illegal",
        annotation=mentions["illegal"],
    )  # fmt: skip
    e0, e1, e2 = elements[:3]
    for user, claim, element, finding in [
        (analyst, c1, e0, "supports"),
        (reviewer, c1, e0, "undermines"),
        (analyst, c2, e0, "supports"),
        (analyst, c1, e1, "inconclusive"),
        (analyst, c2, e2, "not_applicable"),
    ]:
        assessment_create(
            claim=claim,
            user=user,
            element=element,
            finding=finding,
            rationale=f"{finding} because of the quoted text",
            sources=[mentions["minister"]],
        )
    return c1, c2


def test_counts_come_from_one_group_by(project, assessed, elements):
    with CaptureQueriesContext(connection) as ctx:
        counts = element_counts(project=project)
    assert len(ctx.captured_queries) == 1
    assert "GROUP BY" in ctx.captured_queries[0]["sql"]
    e0, e1, e2 = elements[:3]
    assert counts[e0.pk] == {
        "supports": 2, "undermines": 1, "inconclusive": 0, "not_applicable": 0,
        "claims": 2,
    }  # fmt: skip
    assert counts[e1.pk]["inconclusive"] == 1
    assert counts[e2.pk]["not_applicable"] == 1


def test_matrix_rows_cells_and_gaps(project, assessed, elements):
    c1, c2 = assessed
    matrix = matrix_build(project=project)
    rows = {row.element.pk: row for b in matrix.blocks for row in b.rows}
    assert len(rows) == len(elements)
    e0, e1, e2 = elements[:3]
    page_ids = [c.pk for c in matrix.claims_page.object_list]
    assert page_ids[0] == c1.pk  # most assessed first
    assert rows[e0.pk].cells[page_ids.index(c1.pk)] == (c1.pk, "mixed", "±")
    assert rows[e0.pk].cells[page_ids.index(c2.pk)] == (c2.pk, "supports", "+")
    assert rows[e1.pk].cells[page_ids.index(c1.pk)] == (c1.pk, "inconclusive", "?")
    gaps = {e.pk for e in matrix.gaps}
    assert e0.pk not in gaps and e1.pk not in gaps
    assert e2.pk in gaps  # "not applicable" does not address an element
    assert len(gaps) == len(elements) - 2
    assert matrix.totals["supports"] == 2


def test_matrix_query_count_does_not_grow_with_claims(
    client, project, assessed, analyst, elements, django_assert_max_num_queries
):
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        response = client.get(f"/p/{project.slug}/matrix/")
    assert response.status_code == 200
    for i in range(15):
        claim_create(project=project, user=analyst, proposition=f"Extra claim {i}")
    with django_assert_max_num_queries(12):
        response = client.get(f"/p/{project.slug}/matrix/")
    assert "Claims page 1 of 2" in response.text


def test_matrix_page_shows_counts_gaps_and_drilldown(
    client, project, assessed, analyst, elements, mentions, docs
):
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/matrix/")
    assert page.status_code == 200
    assert "Nothing yet on: " + elements[2].question in page.text
    assert f"Nothing yet on: {elements[0].question}" not in page.text
    drill = client.get(
        f"/p/{project.slug}/matrix/element/{elements[0].pk}/", HTTP_HX_REQUEST="true"
    )
    assert drill.status_code == 200
    assert "<html" not in drill.text
    assert mentions["minister"].quote in drill.text
    assert docs["statement"].sha256 in drill.text
    assert "Ministry of Defence" in drill.text
    full = client.get(f"/p/{project.slug}/matrix/element/{elements[0].pk}/")
    assert "<html" in full.text
    c1, c2 = assessed
    cell = client.get(
        f"/p/{project.slug}/matrix/element/{elements[0].pk}/?claim={c2.pk}",
        HTTP_HX_REQUEST="true",
    )
    assert c2.proposition in cell.text and c1.proposition not in cell.text
    assert f"?claim={c1.pk}" in page.text


def test_matrix_permission(client, project, outsider):
    client.force_login(outsider)
    assert client.get(f"/p/{project.slug}/matrix/").status_code == 404


def test_timeline_flags_contradictions_and_draws_chart(
    client, project, analyst, mentions, docs
):
    incident = claim_create(
        project=project, user=analyst, proposition="People killed in the strike",
        annotation=mentions["minister"], event_date=date(2025, 9, 1),
    )  # fmt: skip
    claim_quantity_add(
        claim=incident, user=analyst, value=14, counts="killed",
        annotation=mentions["minister"],
    )  # fmt: skip
    claim_quantity_add(
        claim=incident, user=analyst, value=11, counts="killed",
        annotation=mentions["wire"],
    )  # fmt: skip
    total = claim_create(project=project, user=analyst, proposition="Campaign toll")
    claim_quantity_add(
        claim=total, user=analyst, value=57, counts="killed", bound="at_least",
        cumulative=True, as_of=date(2025, 11, 1),
    )  # fmt: skip
    timeline = timeline_build(project=project)
    sources = {p.source for p in timeline.points}
    assert sources == {"Ministry of Defence", "Harbour Wire", "Unattributed"}
    assert len(timeline.contradictions) == 1
    assert "Ministry of Defence reports 14 killed" in timeline.contradictions[0].reason

    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/timeline/")
    assert page.status_code == 200
    assert "<svg" in page.text and "contradiction-marker" in page.text
    assert (
        "Date reported" in page.text and "Reported figure (killed or dead)" in page.text
    )
    assert "Harbour Wire" in page.text  # legend and table
    assert "at least 57 killed" in page.text
    assert "1 contradiction" in page.text


def test_timeline_empty_state(client, project, analyst):
    client.force_login(analyst)
    assert "No figures yet" in client.get(f"/p/{project.slug}/timeline/").text


def test_chart_escapes_hostile_source_names(client, project, analyst, mentions):
    from corpus.models import Source

    doc = mentions["wire"].document
    Source.objects.filter(pk=doc.source_id).update(name="<script>alert(1)</script>")
    claim = claim_create(project=project, user=analyst, proposition="x")
    claim_quantity_add(
        claim=claim, user=analyst, value=3, counts="killed", annotation=mentions["wire"]
    )
    other = cast(User, UserFactory(username="v2"))
    membership_set(project=project, user=other, role="viewer")
    client.force_login(other)
    page = client.get(f"/p/{project.slug}/timeline/")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
