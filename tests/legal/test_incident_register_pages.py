"""The register is sorted and paged on the server: every column sorts the
whole register (not one page), filters survive the pager and the sort
links, and a page's queries do not grow with the register."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legal.incident_selectors import SORTS, _aggregates, incident_list, register_rows
from legal.models import ClaimQuantity, Incident, IncidentStatus
from tests.factories import make_annotation
from tests.legal.incident_support import figure_claim, new_incident

pytestmark = pytest.mark.django_db

PAGE = 100
CODES = re.compile(r'<tr data-code="(STR-\d{4})">')


def _grow(project, user, start: int, count: int) -> None:
    """``count`` more incidents, straight into the table (as the archive
    import does): varied places, dates and statuses, some with coordinates."""
    statuses = IncidentStatus.values
    Incident.objects.bulk_create(
        Incident(
            project=project,
            number=start + i,
            date=date(2025, 9, 1) + timedelta(days=(start + i) * 7 % 40),
            place=["Ábaco", "bahía", "Cayo", "delta", ""][(start + i) % 5],
            description=f"Generated strike {start + i}.",
            status=statuses[(start + i) % len(statuses)],
            created_by=user,
        )
        for i in range(count)
    )


@pytest.fixture
def register(project, analyst, docs):
    """130 incidents; five carry figures that differ in killed, survivors,
    sources and grade, so the aggregate sorts have something to order."""
    first = new_incident(project, analyst, day=date(2025, 9, 3), place="Zeta")
    _grow(project, analyst, 2, 129)
    incidents = list(Incident.objects.filter(project=project).order_by("number"))
    for n, incident in enumerate([first, *incidents[10:14]]):
        for value, counts, doc in (
            (3 + n * 4, "killed", "statement"),
            (5 + n * 3, "killed", "wire"),
            (n, "survivors", "other"),
        )[: 1 + n % 3]:
            annotation = make_annotation(
                docs[doc], analyst, docs[doc].text[:20], tags=["casualty_figure"]
            )
            claim = figure_claim(project, analyst, annotation, value, counts=counts)
            claim.incident = incident
            claim.save(update_fields=["incident"])
    ClaimQuantity.objects.filter(value=7).update(credibility="2")
    return incidents


def _codes(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return CODES.findall(response.content.decode())


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_the_whole_register_across_pages(
    client, project, analyst, register, sort, descending
):
    client.force_login(analyst)
    key = f"-{sort}" if descending else sort
    base = f"/p/{project.slug}/incidents/?sort={key}"
    shown = _codes(client, base) + _codes(client, f"{base}&page=2")
    expected = [
        r.incident.code
        for r in register_rows(
            user=analyst,
            incidents=incident_list(project=project),
            sort=sort,
            descending=descending,
        )
    ]
    assert len(shown) == len(expected) == 130
    assert shown == expected
    assert len(_codes(client, base)) == PAGE


def test_the_sort_uses_every_incident_not_only_the_first_page(
    client, project, analyst, register
):
    """The deadliest incident comes first even when the date order puts it
    on the last page."""
    client.force_login(analyst)
    deadliest = max(
        register_rows(user=analyst, incidents=incident_list(project=project)),
        key=lambda r: (r.killed.floor, r.killed.ceiling),
    )
    assert _codes(client, f"/p/{project.slug}/incidents/?sort=-killed")[0] == (
        deadliest.incident.code
    )


def test_filters_survive_the_pager_and_the_sort_links(
    client, project, analyst, register
):
    client.force_login(analyst)
    url = f"/p/{project.slug}/incidents/?q=Generated&status=alleged&sort=-place"
    html = client.get(url).content.decode()
    matching = Incident.objects.filter(
        project=project, status="alleged", description__icontains="Generated"
    ).count()
    assert f"{matching} incident" in html
    assert matching > PAGE or "page=2" not in html
    for link in re.findall(r'href="\?([^"]*sort=[^"]*)"', html):
        assert "q=Generated" in link and "status=alleged" in link, link
    unfiltered = _codes(client, f"/p/{project.slug}/incidents/?sort=-place") + _codes(
        client, f"/p/{project.slug}/incidents/?sort=-place&page=2"
    )
    assert (
        _codes(client, url)
        == [
            code
            for code in unfiltered
            if code
            in {
                i.code
                for i in Incident.objects.filter(
                    project=project,
                    status="alleged",
                    description__icontains="Generated",
                )
            }
        ][:PAGE]
    )


def test_grade_filter_keeps_incidents_with_a_figure_of_that_grade(
    client, project, analyst, register
):
    client.force_login(analyst)
    graded = set(
        ClaimQuantity.objects.filter(credibility="2").values_list(
            "claim__incident__number", flat=True
        )
    )
    shown = _codes(client, f"/p/{project.slug}/incidents/?credibility=2&sort=-killed")
    assert {int(code[4:]) for code in shown} == graded


@pytest.mark.parametrize("sort", ["date", "-killed", "place"])
def test_a_register_page_takes_the_same_queries_at_30_or_330_incidents(
    client, project, analyst, register, sort
):
    client.force_login(analyst)
    url = f"/p/{project.slug}/incidents/?sort={sort}&page=2"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(project, analyst, 200, 200)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(CODES.findall(page.content.decode())) == PAGE
    assert len(many) <= len(few)


def test_kept_aggregates_follow_each_recorded_change_as_a_fresh_count_does(
    project, analyst, owner, register, docs, sources
):
    """The register keeps every incident's aggregates and, when the history
    moves, aggregates again only the incidents the new entries touch: after
    each kind of change the kept ones equal a count from scratch."""
    from annotations.models import Annotation
    from annotations.services.annotations import annotation_delete
    from corpus.services import document_source_set
    from legal.incident_selectors import _figures_of, _project_aggregates
    from legal.services.claims import claim_quantity_remove
    from legal.services.grades import quantity_grade_set, source_grade_set
    from legal.services.incidents import incident_unlink_claim

    def kept_equals_fresh() -> None:
        figures = _figures_of(owner, project)
        kept = _project_aggregates(owner, project, figures, compute=True)
        fresh = _aggregates(figures)
        assert kept is not None
        assert {k: _plain(v) for k, v in kept.items()} == {
            k: _plain(v) for k, v in fresh.items()
        }

    kept_equals_fresh()
    quantity = ClaimQuantity.objects.filter(claim__project=project).first()
    assert quantity is not None
    quantity_grade_set(quantity=quantity, user=analyst, credibility="5", rationale="x")
    kept_equals_fresh()
    source_grade_set(
        source=sources["wire"], user=analyst, reliability="A", rationale="y"
    )
    kept_equals_fresh()
    document_source_set(
        document=docs["statement"], user=analyst, source=sources["gazette"]
    )
    kept_equals_fresh()
    linked = ClaimQuantity.objects.filter(claim__incident__isnull=False).last()
    assert linked is not None and linked.claim.incident is not None
    incident_unlink_claim(
        incident=linked.claim.incident, claim=linked.claim, user=analyst
    )
    kept_equals_fresh()
    other = ClaimQuantity.objects.filter(claim__incident__isnull=False).first()
    assert other is not None
    claim_quantity_remove(quantity=other, user=analyst)
    kept_equals_fresh()
    stated = Annotation.objects.filter(
        pk__in=ClaimQuantity.objects.filter(claim__incident__isnull=False).values(
            "annotation_id"
        )
    ).first()
    assert stated is not None
    annotation_delete(annotation=stated, user=analyst, expected_version=stated.version)
    kept_equals_fresh()


def _plain(aggregate) -> tuple:
    return (
        {
            c: (r.low, r.high, r.high_open, r.counted, r.excluded)
            for c, r in aggregate.ranges.items()
        },
        aggregate.source_count,
        aggregate.best_grade,
        aggregate.figure_count,
        aggregate.first_reported,
    )


def test_api_register_pages_sorts_and_filters_as_the_page_does(
    api, client, project, analyst, register
):
    api.force_authenticate(analyst)
    client.force_login(analyst)
    codes: list[str] = []
    url: str | None = "/api/incidents/"
    params: dict[str, str] | None = {"project": project.slug, "sort": "-killed"}
    while url:
        body = api.get(url, params).json()
        codes += [row["code"] for row in body["results"]]
        url, params = body.get("next"), None
    page = f"/p/{project.slug}/incidents/?sort=-killed"
    assert codes == _codes(client, page) + _codes(client, f"{page}&page=2")
    graded = api.get(
        "/api/incidents/",
        {"project": project.slug, "credibility": "2", "to": "2025-12-31"},
    ).json()["results"]
    assert [row["code"] for row in graded] == _codes(
        client, f"/p/{project.slug}/incidents/?credibility=2&to=2025-12-31"
    )
    assert graded
    nothing = api.get(
        "/api/incidents/", {"project": project.slug, "from": "2030-01-01"}
    ).json()
    assert nothing["results"] == []


def test_kept_incidents_give_way_to_an_edit_on_the_register_and_campaign(
    client, project, analyst, register
):
    """Incidents kept between requests are reused only while their version
    holds: an edit shows at once on both pages."""
    from legal.services.incidents import incident_update

    client.force_login(analyst)
    campaign_url = f"/p/{project.slug}/incidents/tallies/"

    def whole_register() -> str:
        base = f"/p/{project.slug}/incidents/?sort=place"
        return "".join(
            client.get(url).content.decode() for url in (base, f"{base}&page=2")
        )

    assert "Quebrada" not in whole_register()
    incident = register[0]  # it carries figures, so the campaign draws it
    moved = f"{incident.code} 2025-10-31"
    assert moved not in client.get(campaign_url).content.decode()
    incident_update(
        incident=incident,
        user=analyst,
        expected_version=incident.version,
        place="Quebrada",
        date=date(2025, 10, 31),
    )
    assert "Quebrada" in whole_register()
    assert moved in client.get(campaign_url).content.decode()
