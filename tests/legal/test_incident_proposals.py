"""Incident proposals on PostgreSQL: links, new incidents and merges, each
with reasons; accepting writes through the services, rejecting is kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.messages import get_messages

from audit.models import HistoryEntry
from legal.incident_proposals import incident_proposals, link_key, merge_key, new_key
from legal.models import Claim, Incident, ProposalRejection
from legal.services.claims import claim_quantity_add, claim_update
from legal.services.incidents import incident_link_claim, proposal_reject
from projects.errors import ApplicationError
from tests.legal.incident_support import figure_claim, new_incident

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DAY = date(2025, 9, 2)


def dated(claim: Claim, user, day: date = DAY) -> Claim:
    return claim_update(claim=claim, user=user, expected_version=1, event_date=day)


@pytest.fixture
def scene(project, analyst, mentions):
    """STR-0001 off Punta Gris on 2 Sep with 4 vessels; an unlinked claim
    of that day stating 4 vessels; one of 9 Sep with no incident."""
    incident = new_incident(project, analyst, place="four vessels", target_count=4)
    near = dated(figure_claim(project, analyst, mentions["minister"], 14), analyst)
    claim_quantity_add(claim=near, user=analyst, value=4, counts="vessels")
    later = dated(
        figure_claim(project, analyst, mentions["rescue"], 2, counts="survivors"),
        analyst,
        date(2025, 9, 9),
    )
    return incident, near, later


def test_proposals_carry_their_reasons(scene, project):
    incident, near, later = scene
    proposals = {p.key: p for p in incident_proposals(project=project)}
    link = proposals[link_key(near.pk, incident.pk)]
    assert link.reasons == [
        "same day as STR-0001 (2025-09-02)",
        "4 vessels, as the incident",
        "a quote names four vessels",
    ]
    new = proposals[new_key(date(2025, 9, 9))]
    assert new.claims == [later]
    assert "1 claim with casualty figures on 2025-09-09" in new.reasons[0]
    assert len(proposals) == 2


def test_rejections_are_kept_recorded_and_not_proposed_again(scene, project, analyst):
    incident, near, _ = scene
    key = link_key(near.pk, incident.pk)
    proposal_reject(project=project, user=analyst, key=key, reason="Other boat.")
    proposal_reject(project=project, user=analyst, key=key)  # idempotent
    assert key not in {p.key for p in incident_proposals(project=project)}
    rejection = ProposalRejection.objects.get()
    assert (rejection.kind, rejection.reason) == ("link", "Other boat.")
    assert HistoryEntry.objects.filter(object_type="proposalrejection").count() == 1
    with pytest.raises(ApplicationError, match="Unknown proposal"):
        proposal_reject(project=project, user=analyst, key="guess:1")


def test_merge_is_proposed_for_the_same_day_and_place(project, analyst):
    first = new_incident(project, analyst, place="Off Punta Gris")
    second = new_incident(project, analyst, place="off punta gris")
    new_incident(project, analyst, place="Isla Brava")
    (proposal,) = incident_proposals(project=project)
    assert proposal.key == merge_key(first.pk, second.pk)
    assert (proposal.incident, proposal.other) == (first, second)


def test_accepting_in_the_page_writes_through_the_services(
    client, scene, project, analyst, viewer
):
    incident, near, later = scene
    url = f"/p/{project.slug}/incidents/proposals/"
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    denied = client.post(url, {"key": new_key(date(2025, 9, 9)), "action": "accept"})
    assert denied.status_code == 403
    assert not Incident.objects.filter(date=date(2025, 9, 9)).exists()
    client.force_login(analyst)
    client.post(url, {"key": link_key(near.pk, incident.pk), "action": "accept"})
    assert Claim.objects.get(pk=near.pk).incident_id == incident.pk
    response = client.post(url, {"key": new_key(date(2025, 9, 9)), "action": "accept"})
    created = Incident.objects.get(date=date(2025, 9, 9))
    assert Claim.objects.get(pk=later.pk).incident_id == created.pk
    assert f"Accepted: see {created.code}." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    linked = link_key(near.pk, incident.pk)
    stale = client.post(url, {"key": linked, "action": "accept"})
    assert "no longer open" in [str(m) for m in get_messages(stale.wsgi_request)][-1]


def test_accepting_a_merge_moves_the_claims_and_deletes_the_duplicate(
    client, project, analyst, mentions
):
    first = new_incident(project, analyst, place="Off Punta Gris")
    second = new_incident(project, analyst, place="Off Punta Gris")
    claim = figure_claim(project, analyst, mentions["minister"], 14)
    incident_link_claim(incident=second, claim=claim, user=analyst)
    client.force_login(analyst)
    client.post(
        f"/p/{project.slug}/incidents/proposals/",
        {"key": merge_key(first.pk, second.pk), "action": "accept"},
    )
    assert list(Incident.objects.filter(project=project)) == [first]
    assert Claim.objects.get(pk=claim.pk).incident_id == first.pk
    assert HistoryEntry.objects.filter(
        object_type="incident", object_id=second.pk, action="delete"
    ).exists()
