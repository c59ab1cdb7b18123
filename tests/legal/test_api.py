"""The legal API: claims, mentions, proposals, assessments, frameworks."""

from __future__ import annotations

import pytest
import yaml

from legal.models import Assessment, Element
from legal.services.claims import claim_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def claim(project, analyst, mentions):
    return claim_create(
        project=project,
        user=analyst,
        proposition="14 people were killed on four vessels",
        annotation=mentions["minister"],
    )


def test_claim_list_is_scoped_and_searchable(api, project, claim, analyst, outsider):
    api.force_authenticate(outsider)
    assert api.get("/api/claims/").json()["count"] == 0
    assert api.get(f"/api/claims/{claim.pk}/").status_code == 404
    api.force_authenticate(analyst)
    body = api.get("/api/claims/", {"project": project.slug, "q": "vessels"}).json()
    assert [c["id"] for c in body["results"]] == [claim.pk]
    assert api.get("/api/claims/", {"q": "zeppelin"}).json()["count"] == 0


def test_claim_create_update_conflict(api, project, analyst, viewer, mentions):
    api.force_authenticate(viewer)
    denied = api.post(
        "/api/claims/", {"project": project.slug, "proposition": "x"}, format="json"
    )
    assert denied.status_code == 403
    api.force_authenticate(analyst)
    created = api.post(
        "/api/claims/",
        {
            "project": project.slug,
            "proposition": "Boats were known to intelligence",
            "claimant_type": "acting_government",
            "annotation": mentions["minister"].pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["mentions"] == [mentions["minister"].pk]
    url = f"/api/claims/{body['id']}/"
    ok = api.patch(url, {"version": 1, "evidence_status": "disputed"}, format="json")
    assert ok.json()["version"] == 2
    stale = api.patch(url, {"version": 1, "note": "late"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["extra"]["current"]["evidence_status"] == "disputed"
    bad = api.patch(url, {"version": 2, "claimant_type": "alien"}, format="json")
    assert bad.status_code == 400
    assert "claimant_type" in bad.json()["extra"]["fields"]


@pytest.mark.parametrize(
    ("old", "new"),
    [("official", "acting_government"), ("ngo", "rights_group"), ("un_body", "un")],
)
def test_old_claimant_type_names_are_refused_with_the_new_one(
    api, project, analyst, claim, old, new
):
    """Clients still sending the types from before issue 12 learn the new name."""
    api.force_authenticate(analyst)
    created = api.post(
        "/api/claims/",
        {"project": project.slug, "proposition": "x", "claimant_type": old},
        format="json",
    )
    assert created.status_code == 400
    (message,) = created.json()["extra"]["fields"]["claimant_type"]
    assert message.startswith(f'"{old}" is an old claimant type; use "{new}".')
    assert "acting_government, other_government, un, rights_group" in message
    edited = api.patch(
        f"/api/claims/{claim.pk}/",
        {"version": claim.version, "claimant_type": old},
        format="json",
    )
    assert edited.status_code == 400
    assert f'use "{new}"' in edited.json()["extra"]["fields"]["claimant_type"][0]
    claim.refresh_from_db()
    assert claim.claimant_type == "reporter"


def test_mentions_link_and_unlink(api, claim, analyst, mentions, viewer):
    api.force_authenticate(viewer)
    url = f"/api/claims/{claim.pk}/mentions/"
    assert api.post(url, {"annotation": mentions["wire"].pk}).status_code == 403
    api.force_authenticate(analyst)
    linked = api.post(url, {"annotation": mentions["wire"].pk}, format="json")
    assert linked.status_code == 200
    assert set(linked.json()["mentions"]) == {
        mentions["minister"].pk,
        mentions["wire"].pk,
    }
    unlinked = api.delete(url, {"annotation": mentions["minister"].pk}, format="json")
    assert unlinked.json()["mentions"] == [mentions["wire"].pk]
    again = api.delete(url, {"annotation": mentions["minister"].pk}, format="json")
    assert again.status_code == 400
    assert "not linked" in again.json()["message"]
    assert api.post(url, {"annotation": 999999}, format="json").status_code == 404


def test_proposals_both_ways(api, claim, analyst, mentions):
    api.force_authenticate(analyst)
    body = api.get(f"/api/claims/{claim.pk}/proposals/").json()
    assert body[0]["annotation"] == mentions["wire"].pk
    assert any("same figures" in r for r in body[0]["reasons"])
    body = api.get("/api/claims/proposals/", {"annotation": mentions["wire"].pk}).json()
    assert body[0]["claim"] == claim.pk


def test_assessments_api(api, project, claim, analyst, viewer, mentions):
    element = Element.objects.filter(criterion__framework__project=project).first()
    assert element is not None
    payload = {
        "claim": claim.pk,
        "element": element.pk,
        "finding": "undermines",
        "rationale": "No evidence was provided.",
        "sources": [mentions["no_evidence"].pk],
    }
    api.force_authenticate(viewer)
    assert api.post("/api/assessments/", payload, format="json").status_code == 403
    api.force_authenticate(analyst)
    blank = api.post("/api/assessments/", {**payload, "rationale": ""}, format="json")
    assert blank.status_code == 400
    assert "rationale" in blank.json()["message"]
    created = api.post("/api/assessments/", payload, format="json")
    assert created.status_code == 201, created.json()
    a = created.json()
    assert a["sources"] == [mentions["no_evidence"].pk]
    listed = api.get("/api/assessments/", {"claim": claim.pk}).json()
    assert listed["count"] == 1
    patched = api.patch(
        f"/api/assessments/{a['id']}/",
        {"version": 1, "finding": "inconclusive"},
        format="json",
    )
    assert patched.json()["finding"] == "inconclusive"
    assert api.delete(f"/api/assessments/{a['id']}/?version=1").status_code == 409
    assert api.delete(f"/api/assessments/{a['id']}/?version=2").status_code == 204
    assert not Assessment.objects.exists()


def test_frameworks_read_and_owner_import(api, project, analyst, owner):
    api.force_authenticate(analyst)
    listed = api.get("/api/frameworks/", {"project": project.slug}).json()
    fw_id = listed["results"][0]["id"]
    dump = api.get(f"/api/frameworks/{fw_id}/").json()
    assert dump["key"] == "glossa-default"
    assert dump["criteria"][0]["elements"]
    text = yaml.safe_dump(
        {
            "key": "clinic",
            "name": "Clinic test",
            "criteria": [
                {
                    "key": "c.one",
                    "code": "Z1",
                    "title": "T",
                    "instrument": "I",
                    "paraphrase": "P",
                    "elements": [{"key": "E1", "question": "Q?", "tags": []}],
                }
            ],
        }
    )
    body = {"project": project.slug, "text": text, "dry_run": False}
    assert api.post("/api/frameworks/import/", body, format="json").status_code == 403
    api.force_authenticate(owner)
    preview = api.post(
        "/api/frameworks/import/", {**body, "dry_run": True}, format="json"
    )
    assert preview.status_code == 200
    assert preview.json()["elements_new"] == ["Z1-E1: Q?"]
    assert not project.frameworks.filter(key="clinic").exists()
    done = api.post("/api/frameworks/import/", body, format="json")
    assert done.status_code == 201
    assert project.frameworks.filter(key="clinic").exists()
    broken = api.post(
        "/api/frameworks/import/",
        {"project": project.slug, "text": "key: x\ncriteria: [", "dry_run": True},
        format="json",
    )
    assert broken.status_code == 400
    assert "not valid YAML" in str(broken.json())


def test_schema_generates(api, owner):
    api.force_authenticate(owner)
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/claims/{id}/mentions/" in response.content


def test_hostile_ids_are_refused_cleanly(api, claim, analyst, project):
    api.force_authenticate(analyst)
    url = f"/api/claims/{claim.pk}/mentions/"
    huge = api.post(url, {"annotation": 10**30}, format="json")
    assert huge.status_code == 400
    assert "annotation" in huge.json()["extra"]["fields"]
    assert api.get("/api/claims/proposals/", {"annotation": "²"}).status_code == 400
    assert api.delete(f"/api/claims/{claim.pk}/?version=abc").status_code == 400
    assert api.get("/api/assessments/", {"claim": "9" * 40}).status_code == 200
    bad = api.post(
        "/api/assessments/",
        {"claim": claim.pk, "element": -1, "finding": "supports", "rationale": "r"},
        format="json",
    )
    assert bad.status_code == 400
