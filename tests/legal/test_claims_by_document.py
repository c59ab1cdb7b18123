"""``/api/claims/?document=<id>``: the claim links the annotator's claim panel
shows, served by ``legal`` (the annotation payload carries no claims)."""

from __future__ import annotations

import pytest

from corpus.models import Assignment
from corpus.services import assignment_create, assignment_submit
from legal.services.claims import claim_create, claim_link_mention
from projects.models import Role
from tests.factories import make_annotation
from tests.fixtures_team import member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def claims(project, analyst, mentions):
    """One claim per document: the statement's and the wire's."""
    return {
        "statement": claim_create(
            project=project,
            user=analyst,
            proposition="14 people were killed on four vessels",
            annotation=mentions["minister"],
        ),
        "wire": claim_create(
            project=project,
            user=analyst,
            proposition="The strikes were illegal",
            annotation=mentions["illegal"],
        ),
    }


def listed(api, document) -> list[dict]:
    response = api.get("/api/claims/", {"document": document.pk})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_lists_the_claims_mentioned_in_the_document(
    api, docs, claims, mentions, viewer
):
    api.force_authenticate(viewer)
    rows = listed(api, docs["statement"])
    assert [row["id"] for row in rows] == [claims["statement"].pk]
    assert rows[0]["mentions"] == [mentions["minister"].pk]
    # What the claim panel renders and edits with.
    assert rows[0]["proposition"] == "14 people were killed on four vessels"
    assert {"claimant", "claimant_type", "evidence_status", "version"} <= set(rows[0])
    assert [row["id"] for row in listed(api, docs["wire"])] == [claims["wire"].pk]
    assert listed(api, docs["other"]) == []


def test_a_claim_mentioned_in_two_documents_is_listed_for_both(
    api, docs, claims, mentions, analyst
):
    claim_link_mention(
        claim=claims["statement"], annotation=mentions["wire"], user=analyst
    )
    api.force_authenticate(analyst)
    wire = listed(api, docs["wire"])
    assert sorted(row["id"] for row in wire) == sorted(c.pk for c in claims.values())
    assert len(wire) == 2  # once each, although joined through mentions


def test_outsiders_get_404_and_bad_ids_400(api, docs, claims, outsider):
    api.force_authenticate(outsider)
    response = api.get("/api/claims/", {"document": docs["statement"].pk})
    assert response.status_code == 404
    assert api.get("/api/claims/", {"document": "x"}).status_code == 400
    assert api.get("/api/claims/", {"document": 10**30}).status_code == 400
    assert api.get("/api/claims/", {"document": 999_999}).status_code == 404


def test_blind_mode_hides_claims_linked_to_another_analysts_open_work(
    api, project, owner, docs, claims, mentions, reviewer
):
    """An analyst working blind sees only their own claims, before and after
    submitting (as annotations_visible_to); a reviewer sees all of them."""
    document = docs["statement"]
    ben = member(project, "ben", Role.ANALYST)
    own = make_annotation(
        document, ben, "No evidence was provided.", tags=["no_evidence_provided"]
    )
    own_claim = claim_create(
        project=project, user=ben, proposition="No evidence given", annotation=own
    )
    assignment_create(document=document, annotator=ben, assigned_by=owner)
    project.blind_mode = True
    project.save()

    api.force_authenticate(ben)
    assert [row["id"] for row in listed(api, document)] == [own_claim.pk]
    api.force_authenticate(reviewer)
    assert sorted(row["id"] for row in listed(api, document)) == sorted(
        [own_claim.pk, claims["statement"].pk]
    )

    assignment = Assignment.objects.get(document=document, annotator=ben)
    assignment_submit(assignment=assignment, user=ben)
    api.force_authenticate(ben)
    assert [row["id"] for row in listed(api, document)] == [own_claim.pk]


def test_the_annotation_api_carries_no_claims(api, claims, mentions, analyst):
    api.force_authenticate(analyst)
    body = api.get(f"/api/annotations/{mentions['minister'].pk}/").json()
    assert body["id"] == mentions["minister"].pk
    assert "claims" not in body
