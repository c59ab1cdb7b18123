"""Claims across documents: services, history, proposals and the pages."""

from __future__ import annotations

from typing import Any, cast

import pytest

from audit.models import HistoryEntry
from audit.selectors import history_for
from corpus.models import Document
from legal.linking import (
    propose_claims_for_annotation,
    propose_mentions_for_claim,
    quantities_in,
    tokens,
)
from legal.models import ClaimMention
from legal.selectors import claim_overview
from legal.services.claims import (
    claim_create,
    claim_link_mention,
    claim_quantity_add,
    claim_unlink_mention,
    claim_update,
)
from projects.errors import ApplicationError, ConflictError
from tests.factories import DocumentFactory, ProjectFactory, make_annotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_claim_create_links_first_mention_and_records_history(
    project, analyst, mentions
):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="  14 people were killed on four vessels ",
        claimant="Arlen Vost",
        claimant_type="acting_government",
        evidence_status="not_provided",
        annotation=mentions["minister"],
    )
    assert claim.proposition == "14 people were killed on four vessels"
    assert list(claim.mentions.all()) == [mentions["minister"]]
    entries = list(history_for(claim))
    assert [e.action for e in entries] == ["create"]
    assert entries[0].after is not None
    assert entries[0].after["proposition"] == claim.proposition
    assert HistoryEntry.objects.filter(object_type="claimmention").count() == 1


def test_claim_create_rejects_bad_choice_and_writes_nothing(project, analyst):
    with pytest.raises(Exception, match=r"claimant_type|not a valid choice"):
        claim_create(
            project=project, user=analyst, proposition="x", claimant_type="alien"
        )
    assert not project.claims.exists()
    assert not HistoryEntry.objects.exclude(object_type="tag").exists()


def test_claim_update_uses_optimistic_locking(project, analyst, reviewer):
    claim = claim_create(project=project, user=analyst, proposition="Four boats")
    updated = claim_update(
        claim=claim, user=reviewer, expected_version=1, evidence_status="disputed"
    )
    assert updated.version == 2
    assert updated.evidence_status == "disputed"
    with pytest.raises(ConflictError) as caught:
        claim_update(claim=claim, user=analyst, expected_version=1, note="stale")
    assert caught.value.current.version == 2
    claim.refresh_from_db()
    assert claim.note == ""
    entry = history_for(claim).last()
    assert entry is not None
    assert entry.before is not None and entry.after is not None
    assert entry.before["evidence_status"] == "unknown"
    assert entry.after["evidence_status"] == "disputed"


def test_claim_update_refuses_unknown_fields(project, analyst):
    claim = claim_create(project=project, user=analyst, proposition="x")
    with pytest.raises(ApplicationError, match="project"):
        claim_update(claim=claim, user=analyst, expected_version=1, project=None)


def test_link_across_documents_gives_first_and_latest_report_and_sources(
    project, analyst, mentions
):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="14 people were killed",
        annotation=mentions["wire"],
    )
    claim_link_mention(claim=claim, annotation=mentions["minister"], user=analyst)
    claim_link_mention(claim=claim, annotation=mentions["minister"], user=analyst)
    assert ClaimMention.objects.filter(claim=claim).count() == 2
    overview = claim_overview(claim)
    assert overview.first_report is not None and overview.latest_report is not None
    assert overview.first_report.annotation == mentions["minister"]
    assert overview.latest_report.annotation == mentions["wire"]
    assert overview.sources == ["Ministry of Defence", "Harbour Wire"]

    claim_unlink_mention(claim=claim, annotation=mentions["wire"], user=analyst)
    assert list(claim.mentions.all()) == [mentions["minister"]]
    with pytest.raises(ApplicationError, match="not linked"):
        claim_unlink_mention(claim=claim, annotation=mentions["wire"], user=analyst)


def test_report_date_falls_back_to_capture_date(project, analyst, mentions, docs):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="Two survivors",
        annotation=mentions["rescue"],
    )
    overview = claim_overview(claim)
    assert overview.first_report is not None
    assert overview.first_report.reported_at == docs["other"].captured_at


def test_cannot_link_annotation_of_another_project(project, analyst, owner):
    claim = claim_create(project=project, user=analyst, proposition="x")
    other = ProjectFactory()
    doc = cast(
        Document, DocumentFactory(project=other, text="Some other text about boats.")
    )
    foreign = make_annotation(doc, owner, "other text")
    with pytest.raises(ApplicationError, match="another project"):
        claim_link_mention(claim=claim, annotation=foreign, user=analyst)


def test_quantity_add_links_its_mention_and_validates(project, analyst, mentions):
    claim = claim_create(project=project, user=analyst, proposition="14 killed")
    q = claim_quantity_add(
        claim=claim,
        user=analyst,
        value=14,
        counts="killed",
        annotation=mentions["wire"],
    )
    assert q.bound == "exact"
    assert mentions["wire"] in claim.mentions.all()
    with pytest.raises(Exception, match="counts"):
        claim_quantity_add(claim=claim, user=analyst, value=3, counts="unicorns")
    with pytest.raises(Exception, match="whole number"):
        claim_quantity_add(
            claim=claim, user=analyst, value=cast(Any, "many"), counts="killed"
        )


def test_tokens_and_quantities_understand_number_words():
    assert quantities_in("Fourteen people were killed on four vessels") == {
        (14, "killed"),
        (4, "vessels"),
    }
    assert quantities_in("at least 57 have died, 2 survivors") == {
        (57, "killed"),
        (2, "survivors"),
    }
    assert "14" in tokens("fourteen dead")
    # Hostile text: superscripts, other scripts' digits, absurd lengths.
    assert quantities_in("² killed, ٣ dead, " + "9" * 5000 + " killed") == {
        (3, "killed")
    }


def test_proposals_rank_the_same_claim_first_with_reasons(project, analyst, mentions):
    killed = claim_create(
        project=project,
        user=analyst,
        proposition="Fourteen people were killed on four vessels",
        annotation=mentions["minister"],
    )
    claim_quantity_add(claim=killed, user=analyst, value=14, counts="killed")
    claim_create(
        project=project,
        user=analyst,
        proposition="The coast guard rescued two survivors",
        annotation=mentions["rescue"],
    )
    proposals = propose_claims_for_annotation(mentions["wire"])
    assert proposals[0].target == killed
    reasons = " ".join(proposals[0].reasons)
    assert "same figures: 4 vessels, 14 killed" in reasons
    assert "similar wording" in reasons

    for_claim = propose_mentions_for_claim(killed)
    assert for_claim[0].target == mentions["wire"]
    assert mentions["minister"] not in [p.target for p in for_claim]


def test_proposals_skip_unrelated_text(project, analyst, mentions):
    claim = claim_create(
        project=project, user=analyst, proposition="Harbour rescue of two survivors"
    )
    targets = [p.target for p in propose_mentions_for_claim(claim)]
    assert targets[0] == mentions["rescue"]
    assert mentions["no_evidence"] not in targets


# --- Pages ------------------------------------------------------------------


def test_claim_pages_show_quotes_sources_and_hashes(
    client, project, analyst, mentions, docs
):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="14 people were killed",
        annotation=mentions["minister"],
    )
    client.force_login(analyst)
    listing = client.get(f"/p/{project.slug}/claims/?q=killed")
    assert listing.status_code == 200
    assert "14 people were killed" in listing.text
    assert "2 Sep 2025" in listing.text  # first report
    empty = client.get(f"/p/{project.slug}/claims/?q=zeppelin")
    assert "No claim matches" in empty.text
    page = client.get(f"/p/{project.slug}/claims/{claim.pk}/")
    assert page.status_code == 200
    assert mentions["minister"].quote in page.text
    assert docs["statement"].sha256 in page.text
    assert "Ministry of Defence" in page.text
    # The wire mention is proposed with an accept button.
    assert mentions["wire"].quote in page.text
    linked = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/link/",
        {"annotation": mentions["wire"].pk},
    )
    assert linked.status_code == 302
    assert mentions["wire"] in claim.mentions.all()


def test_claim_create_and_edit_through_forms(client, project, analyst):
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/",
        {
            "proposition": "Boats were known to intelligence",
            "claimant_type": "acting_government",
        },
    )
    claim = project.claims.get()
    assert response.url == f"/p/{project.slug}/claims/{claim.pk}/"
    client.post(
        f"/p/{project.slug}/claims/{claim.pk}/edit/",
        {"version": 1, "proposition": "Boats known to intelligence", "event_date": ""},
    )
    claim.refresh_from_db()
    assert (claim.proposition, claim.version) == ("Boats known to intelligence", 2)
    stale = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/edit/",
        {"version": 1, "proposition": "Overwritten"},
        follow=True,
    )
    assert "Someone else saved this claim" in stale.text
    claim.refresh_from_db()
    assert claim.proposition == "Boats known to intelligence"


def test_claim_pages_permissions(client, project, analyst, viewer, outsider):
    claim = claim_create(project=project, user=analyst, proposition="x")
    client.force_login(outsider)
    assert client.get(f"/p/{project.slug}/claims/").status_code == 404
    assert client.get(f"/p/{project.slug}/claims/{claim.pk}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/p/{project.slug}/claims/{claim.pk}/").status_code == 200
    assert (
        client.post(f"/p/{project.slug}/claims/", {"proposition": "y"}).status_code
        == 403
    )
    client.logout()
    assert client.get(f"/p/{project.slug}/claims/").status_code == 302


def test_claims_page_from_a_quote_proposes_claims_and_creates_with_mention(
    client, project, analyst, mentions
):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="Fourteen people were killed on four vessels",
        annotation=mentions["minister"],
    )
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/claims/?annotation={mentions['wire'].pk}")
    assert "Which claim does this quote report?" in page.text
    assert f'action="/p/{project.slug}/claims/{claim.pk}/link/"' in page.text
    assert "same figures" in page.text
    created = client.post(
        f"/p/{project.slug}/claims/",
        {"proposition": "Strikes were illegal", "annotation": mentions["illegal"].pk},
    )
    new = project.claims.get(proposition="Strikes were illegal")
    assert created.url.endswith(f"/claims/{new.pk}/")
    assert list(new.mentions.all()) == [mentions["illegal"]]
    by_doc = client.get(
        f"/p/{project.slug}/claims/?document={mentions['illegal'].document_id}"
    )
    assert "Strikes were illegal" in by_doc.text
    assert "Fourteen people" not in by_doc.text


def test_claim_delete_page_keeps_history(client, project, analyst, viewer):
    claim = claim_create(project=project, user=analyst, proposition="To delete")
    client.force_login(viewer)
    url = f"/p/{project.slug}/claims/{claim.pk}/delete/"
    assert client.post(url, {"version": 1}).status_code == 403
    client.force_login(analyst)
    stale = client.post(url, {"version": 7}, follow=True)
    assert "Someone else saved this claim" in stale.text
    assert client.post(url, {"version": 1}).status_code == 302
    assert not project.claims.exists()
    actions = list(
        HistoryEntry.objects.filter(object_type="claim", object_id=claim.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]


def test_hostile_ids_get_404_not_500(client, project, analyst, mentions):
    claim = claim_create(project=project, user=analyst, proposition="x")
    client.force_login(analyst)
    base = f"/p/{project.slug}"
    for value in ["abc", "²", "9" * 40, ""]:
        assert (
            client.post(f"{base}/claims/{claim.pk}/link/", {"annotation": value})
        ).status_code == 404
        assert (
            client.post(f"{base}/claims/", {"proposition": "y", "annotation": value})
        ).status_code in (302, 404)
        assert client.get(f"{base}/matrix/?criterion={value}").status_code == 200
        assert client.get(f"{base}/claims/?annotation={value}").status_code == 200
    response = client.post(
        f"{base}/claims/{claim.pk}/assessments/",
        {"element": "²", "finding": "supports", "rationale": "r"},
    )
    assert response.status_code == 404


def test_claim_detail_queries_do_not_grow_with_mentions(
    client, project, analyst, mentions
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from legal.models import Element
    from legal.services.assessments import assessment_create

    claim = claim_create(
        project=project, user=analyst, proposition="14 killed",
        annotation=mentions["minister"],
    )  # fmt: skip
    elements = list(Element.objects.filter(criterion__framework__project=project)[:3])
    assessment_create(
        claim=claim, user=analyst, element=elements[0], finding="supports",
        rationale="r", sources=[mentions["minister"]],
    )  # fmt: skip
    client.force_login(analyst)
    url = f"/p/{project.slug}/claims/{claim.pk}/"
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for key in ("wire", "illegal", "rescue", "no_evidence"):
        claim_link_mention(claim=claim, annotation=mentions[key], user=analyst)
    for element in elements[1:]:
        assessment_create(
            claim=claim, user=analyst, element=element, finding="undermines",
            rationale="r", sources=[mentions["wire"], mentions["illegal"]],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
