"""Incident pages and API: membership on every route, roles on writes,
blind mode on figures, and bad input refused with the field named."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages

from corpus.models import Assignment
from legal.models import Claim, Incident, SourceGrade
from legal.services.claims import claim_create
from legal.services.incidents import incident_link_claim
from projects.models import Role
from tests.factories import make_annotation
from tests.fixtures_team import member
from tests.legal.incident_support import figure_claim, new_incident, tally

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def incident_urls(slug: str, pk: int) -> list[tuple[str, str]]:
    base = f"/p/{slug}/incidents/"
    return [
        ("get", base),
        ("post", base),
        ("get", f"{base}tallies/"),
        ("get", f"{base}export.csv"),
        ("get", f"{base}proposals/"),
        ("post", f"{base}proposals/"),
        ("get", f"{base}export.geojson"),
        ("get", f"{base}{pk}/"),
        ("post", f"{base}{pk}/edit/"),
        ("post", f"{base}{pk}/delete/"),
        ("post", f"{base}{pk}/claims/link/"),
        ("post", f"{base}{pk}/grade/source/"),
        ("get", f"/api/incidents/?project={slug}"),
        ("post", f"/api/incidents/?project={slug}"),
        ("get", f"/api/incidents/{pk}/"),
        ("patch", f"/api/incidents/{pk}/"),
        ("delete", f"/api/incidents/{pk}/?version=1"),
        ("post", f"/api/incidents/{pk}/claims/"),
        ("post", f"/api/incidents/{pk}/grades/"),
        ("get", f"/api/incidents/tallies/?project={slug}"),
    ]


def test_outsiders_get_nothing_on_any_incident_route(
    client, project, analyst, outsider, incident_with_reports
):
    incident, _ = incident_with_reports
    client.force_login(outsider)
    for method, url in incident_urls(project.slug, incident.pk):
        response = getattr(client, method)(url, content_type="application/json")
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"
        assert b"Four vessels" not in response.content
    client.logout()
    for method, url in incident_urls(project.slug, incident.pk):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 401, 403), f"{method} {url}"
    assert Incident.objects.get().version == 1


def test_viewers_read_but_cannot_write(client, project, viewer, incident_with_reports):
    incident, _ = incident_with_reports
    client.force_login(viewer)
    page = client.get(f"/p/{project.slug}/incidents/")
    assert page.status_code == 200
    assert "STR-0001" in page.text and "14\u201316+" in page.text
    assert "New incident" not in page.text
    for method, url in incident_urls(project.slug, incident.pk):
        if method != "get":
            response = getattr(client, method)(url, content_type="application/json")
            assert response.status_code == 403, f"{method} {url}"


def test_analyst_creates_an_incident_and_bad_input_names_the_field(
    client, project, analyst
):
    client.force_login(analyst)
    url = f"/p/{project.slug}/incidents/"
    response = client.post(url, {"date": "2025-09-02", "latitude": "12.1"})
    (message,) = _messages(response)
    assert "Description: This field is required." in message
    response = client.post(
        url, {"date": "2025-09-02", "description": "A boat was hit.", "latitude": "1"}
    )
    assert "Give both latitude and longitude" in _messages(response)[-1]
    assert not Incident.objects.exists()
    response = client.post(
        url,
        {
            "date": "2025-09-02",
            "description": "A boat was hit.",
            "latitude": "12.5",
            "longitude": "-70.25",
            "status": "acknowledged",
        },
    )
    incident = Incident.objects.get()
    assert response.url == f"/p/{project.slug}/incidents/{incident.pk}/"
    assert (incident.code, incident.status) == ("STR-0001", "acknowledged")


def test_incident_page_links_a_claim_and_grades_with_a_rationale(
    client, project, analyst, sources, incident_with_reports
):
    incident, _ = incident_with_reports
    loose = claim_create(project=project, user=analyst, proposition="Nine survivors")
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/incidents/{incident.pk}/")
    assert "Nine survivors" in page.text  # offered for linking
    client.post(
        f"/p/{project.slug}/incidents/{incident.pk}/claims/link/", {"claim": loose.pk}
    )
    assert Claim.objects.get(pk=loose.pk).incident_id == incident.pk
    url = f"/p/{project.slug}/incidents/{incident.pk}/grade/source/"
    response = client.post(url, {"source": sources["wire"].pk, "reliability": "B"})
    assert "Write a rationale" in _messages(response)[-1]
    assert not SourceGrade.objects.exists()
    client.post(
        url,
        {"source": sources["wire"].pk, "reliability": "B", "rationale": "Checked."},
    )
    page = client.get(f"/p/{project.slug}/incidents/{incident.pk}/?reliability=B")
    assert page.context["figures"][0].source_name == "Harbour Wire"
    assert [f.grade for f in page.context["figures"]] == ["B?"]


def test_foreign_claim_cannot_be_linked(
    client, project, analyst, other_project, outsider, incident_with_reports
):
    incident, _ = incident_with_reports
    foreign = claim_create(project=other_project, user=outsider, proposition="x")
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/incidents/{incident.pk}/claims/link/", {"claim": foreign.pk}
    )
    assert response.status_code == 404
    assert Claim.objects.get(pk=foreign.pk).incident_id is None


def test_blind_analyst_sees_no_quote_of_anothers_open_work(
    client, api, project, owner, docs, incident_with_reports
):
    incident, _ = incident_with_reports
    ben = member(project, "ben", Role.ANALYST)
    Assignment.objects.create(document=docs["wire"], annotator=ben, assigned_by=owner)
    project.blind_mode = True
    project.save()
    client.force_login(ben)
    # Working blind, ben sees only the incidents he recorded: the analyst's
    # is not found, on the page, in the register, its export and the API.
    page = client.get(f"/p/{project.slug}/incidents/{incident.pk}/")
    assert page.status_code == 404
    assert "14 people were killed" not in page.text
    register = client.get(f"/p/{project.slug}/incidents/")
    assert incident.code not in register.text
    assert incident.description not in register.text
    export = client.get(f"/p/{project.slug}/incidents/export.csv")
    assert incident.code not in export.content.decode()
    api.force_authenticate(ben)
    assert api.get(f"/api/incidents/{incident.pk}/").status_code == 404
    listed = api.get(f"/api/incidents/?project={project.slug}").json()
    assert listed["results"] == []
    # His own incident, with his own figure, he sees.
    own = make_annotation(docs["wire"], ben, "14 people were killed")
    mine = new_incident(project, ben)
    incident_link_claim(
        incident=mine, claim=figure_claim(project, ben, own, 15), user=ben
    )
    body = api.get(f"/api/incidents/{mine.pk}/").json()
    assert [f["value"] for f in body["figures"]] == [15]
    listed = api.get(f"/api/incidents/?project={project.slug}").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    api.force_authenticate(owner)
    body = api.get(f"/api/incidents/{incident.pk}/").json()
    assert body["ranges"]["killed"]["text"] == "14\u201316+"


def test_tallies_page_flags_the_discrepancy(
    client, project, analyst, docs, incident_with_reports
):
    quote = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, quote, 57, "at_least", date(2025, 9, 12))
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/incidents/tallies/")
    assert page.context["discrepancies"] == 1
    assert "exceeds the register&#x27;s maximum of 16 by 41" in page.text


# --- API ------------------------------------------------------------------------


def test_api_register_create_edit_conflict_and_link(
    api, project, analyst, incident_with_reports
):
    first, _ = incident_with_reports
    api.force_authenticate(analyst)
    assert api.get("/api/incidents/").status_code == 400
    body = api.get("/api/incidents/", {"project": project.slug, "sort": "-killed"})
    (row,) = body.json()["results"]
    assert row["code"] == "STR-0001"
    assert row["ranges"]["killed"]["low"] == 14 and row["sources"] == 3
    created = api.post(
        "/api/incidents/",
        {"project": project.slug, "date": "2025-09-20", "description": "Skiff hit."},
        format="json",
    )
    assert created.status_code == 201, created.json()
    new = created.json()
    assert new["code"] == "STR-0002"
    bad = api.patch(
        f"/api/incidents/{new['id']}/",
        {"version": 1, "date_end": "2025-09-01"},
        format="json",
    )
    assert bad.status_code == 400
    edited = api.patch(
        f"/api/incidents/{new['id']}/", {"version": 1, "place": "Cayo Norte"}
    )
    assert edited.json()["place"] == "Cayo Norte"
    assert edited.json()["description"] == "Skiff hit."
    stale = api.patch(f"/api/incidents/{new['id']}/", {"version": 1, "place": "x"})
    assert stale.status_code == 409
    assert stale.json()["extra"]["current"]["place"] == "Cayo Norte"
    claim = claim_create(project=project, user=analyst, proposition="A skiff")
    linked = api.post(f"/api/incidents/{new['id']}/claims/", {"claim": claim.pk})
    assert linked.json()["claims"] == [claim.pk]
    moved = api.post(f"/api/incidents/{first.pk}/claims/", {"claim": claim.pk})
    assert moved.status_code == 400
    assert "already concerns incident STR-0002" in str(moved.json())


def test_api_grades_and_tallies(api, project, analyst, docs, incident_with_reports):
    incident, claims = incident_with_reports
    api.force_authenticate(analyst)
    figure = claims["ministry"].quantities.get()
    url = f"/api/incidents/{incident.pk}/grades/"
    assert api.post(url, {"figure": figure.pk, "grade": "7"}).status_code == 400
    graded = api.post(url, {"figure": figure.pk, "grade": "2", "rationale": "Seen."})
    assert graded.status_code == 200
    mine = [f for f in graded.json()["figures"] if f["id"] == figure.pk]
    assert mine[0]["grade"] == "?2"
    filtered = api.get(f"/api/incidents/{incident.pk}/", {"credibility": "ungraded"})
    assert figure.pk not in [f["id"] for f in filtered.json()["figures"]]
    quote = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, quote, 57, "at_least", date(2025, 9, 12))
    (check,) = api.get("/api/incidents/tallies/", {"project": project.slug}).json()
    assert check["status"] == "tally_higher" and check["discrepancy"] is True
    assert (check["sum_low"], check["sum_high"]) == (14, 16)


def test_exports_carry_ranges_and_coordinates(
    client, project, analyst, incident_with_reports
):
    new_incident(
        project,
        analyst,
        day=date(2025, 9, 20),
        place="=HYPERLINK(1)",
        latitude=12.5,
        longitude=-70.25,
    )
    client.force_login(analyst)
    body = client.get(f"/p/{project.slug}/incidents/export.csv").content.decode()
    lines = body.lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    first = dict(zip(header, lines[1].split(","), strict=False))
    assert (first["code"], first["killed_min"], first["killed_max"]) == (
        "STR-0001",
        "14",
        "16",
    )
    assert first["killed_max_open"] == "True" and first["survivors_min"] == "2"
    assert "'=HYPERLINK(1)" in lines[2]  # no formula reaches a spreadsheet
    geo = client.get(f"/p/{project.slug}/incidents/export.geojson").json()
    (feature,) = geo["features"]
    assert feature["id"] == "STR-0002"
    assert feature["geometry"]["coordinates"] == [-70.25, 12.5]
    assert client.get(f"/p/{project.slug}/incidents/export.xml").status_code == 404


def test_campaign_page_draws_bars_tallies_and_the_map(
    client, project, analyst, docs, incident_with_reports
):
    new_incident(project, analyst, day=date(2025, 9, 9), latitude=12, longitude=-70)
    quote = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, quote, 57, "at_least", date(2025, 9, 12))
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/incidents/tallies/").text
    assert page.count('class="incident-bar"') == 1  # the other has no figure
    assert page.count('class="tally"') == 1
    assert "STR-0001 2025-09-02: 14\u201316+" in page
    assert page.count('class="incident-point"') == 1


def test_brief_carries_the_incident_table_and_tally_checks(
    project, analyst, docs, incident_with_reports
):
    from legal.reports import brief_html

    quote = make_annotation(docs["wire"], analyst, "At least 57 people have died")
    tally(project, analyst, quote, 57, "at_least", date(2025, 9, 12))
    html = brief_html(project=project, user=analyst)
    section = html[html.index("<h2>Incidents</h2>") : html.index("<h2>Claims</h2>")]
    assert "STR-0001" in section and "14\u201316+" in section
    assert 'class="incident-bar"' in section
    assert "Discrepancy:" in section
    assert "exceeds the register&#x27;s maximum of 16 by 41" in section


def test_one_grade_form_per_row_with_its_target_and_current_grade(
    client, project, analyst, viewer, sources, incident_with_reports
):
    """Figures, claims and sources each get a grade form drawn by the one
    template: its own action, hidden ids, field and the saved grade chosen."""
    incident, _ = incident_with_reports
    base = f"/p/{project.slug}/incidents/{incident.pk}/"
    client.force_login(analyst)
    client.post(
        f"{base}grade/source/",
        {"source": sources["wire"].pk, "reliability": "B", "rationale": "Checked."},
    )
    html = client.get(base).text
    wire = sources["wire"].pk
    assert f'action="{base}grade/figure/"' in html
    assert f'action="{base}grade/claim/"' in html
    assert f'action="{base}grade/source/"' in html
    assert f'<input type="hidden" name="source" value="{wire}">' in html
    assert f'<select id="sg-{wire}" name="reliability">' in html
    assert '<option value="B" selected>' in html
    assert 'value="Checked."' in html
    assert "Grade this figure" in html and "Grade this claim" in html
    client.force_login(viewer)
    assert "Grade this" not in client.get(base).text
