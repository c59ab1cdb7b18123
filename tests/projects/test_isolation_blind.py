"""Blind mode holds on every route: the isolation walker's blind pass.

Two analysts work in a blind-mode project. Analyst A annotates, comments,
makes a claim with a figure, assesses it, decides two suggestions, and
records an incident of their own (place, note), then edits it.
Analyst B, a member (so most routes answer 200), then requests every URL
pattern the walker discovers (HTML, API, admin, account) with GET, POST,
PATCH and DELETE, path parameters filled with the ids of every object of
the project, A's included. No response may show A's notes, comment, claim,
claimant, rationale, annotation ids or quotes, and afterwards A's work and
decisions must be unchanged and A's decisions still unknown to B.
"""

from __future__ import annotations

import json
from datetime import date
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.db import connection

from annotations.models import (
    Annotation,
    Comment,
    Suggestion,
    SuggestionDecision,
    SuggestionStatus,
)
from annotations.services.comments import comment_create
from annotations.services.suggestions import suggestion_accept, suggestion_reject
from audit.models import HistoryEntry
from corpus.models import Assignment, Document
from legal.models import Assessment, Claim, Element, Incident
from legal.services.assessments import assessment_create
from legal.services.claims import claim_create, claim_quantity_add
from legal.services.incidents import (
    incident_create,
    incident_link_claim,
    incident_update,
)
from projects.models import Role
from projects.services import project_set_blind_mode
from tests.factories import DocumentFactory, SuggestionFactory, make_annotation
from tests.fixtures_team import member
from tests.projects.isolation import probe_blind

TEXT = (
    "The Zephyrine left port at night. Officials said nine died aboard. "
    "Harbour master Tovald denied any rescue request."
)
A_QUOTE = "Harbour master Tovald"
A_NOTE = "Quillonite note only analyst A wrote"
A_COMMENT = "Marravel comment only analyst A wrote"
A_CLAIM = "Ostrevine proposition only analyst A wrote"
A_CLAIMANT = "Pellacorde the claimant of A"
A_RATIONALE = "Vintermoor rationale only analyst A wrote"
A_INCIDENT = "Brennagh strike only analyst A recorded"
A_PLACE = "Saltquay of analyst A"
A_INCIDENT_NOTE = "Corvallan incident note analyst A added"
SECRETS = [
    A_NOTE,
    A_COMMENT,
    A_CLAIM,
    A_CLAIMANT,
    A_RATIONALE,
    A_INCIDENT,
    A_PLACE,
    A_INCIDENT_NOTE,
]
# A's rows get ids no other object of the test has, so any mention of them
# in a body (as a JSON value, a link, a data attribute) is a finding.
A_IDS_FROM = 7_700_001
A_TABLES = (
    "annotations_annotation",
    "legal_claim",
    "legal_assessment",
    "annotations_comment",
    "annotations_suggestiondecision",
)
#: A's incident: ids of their own, after the owner's incident (which B may
#: see, and whose id must not be taken for one of A's).
A_INCIDENT_IDS_FROM = 7_790_001


def _restart(table: str, start: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s, false)",
            [start],
        )


@pytest.fixture
def blind_pair(project, owner, analyst, media_root):
    """A blind project where analyst A (``analyst``) has done some of
    everything and analyst B has one annotation of their own."""
    bea = member(project, "bea", Role.ANALYST)
    # Sequences outlive the rolled-back rows of earlier tests: start low, so
    # nothing made before A's work reaches A's ids.
    for table in (*A_TABLES, "legal_incident"):
        _restart(table, 1000)
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    for user in (analyst, bea):
        Assignment.objects.create(document=document, annotator=user, assigned_by=owner)
    own = make_annotation(document, bea, "left port at night", tags=["official_claim"])
    rejected = cast(
        Suggestion,
        SuggestionFactory(
            project=project,
            document=document,
            tag=project.tags.get(key="casualty_figure"),
            start=TEXT.index("nine died aboard"),
            end=TEXT.index("nine died aboard") + len("nine died aboard"),
        ),
    )
    accepted = cast(
        Suggestion,
        SuggestionFactory(
            project=project,
            document=document,
            tag=project.tags.get(key="official_claim"),
            start=TEXT.index("Officials said"),
            end=TEXT.index("Officials said") + len("Officials said"),
        ),
    )
    project_set_blind_mode(project=project, blind_mode=True, actor=owner)
    document.refresh_from_db()

    for table in A_TABLES:
        _restart(table, A_IDS_FROM)
    a_annotation = make_annotation(
        document, analyst, A_QUOTE, tags=["denial_or_rebuttal"], note=A_NOTE
    )
    comment_create(annotation=a_annotation, author=analyst, body=A_COMMENT)
    claim = claim_create(
        project=project,
        user=analyst,
        proposition=A_CLAIM,
        claimant=A_CLAIMANT,
        annotation=a_annotation,
    )
    claim_quantity_add(
        claim=claim, user=analyst, value=9, counts="killed", annotation=a_annotation
    )
    element = Element.objects.filter(criterion__framework__project=project).first()
    assert element is not None
    assessment_create(
        claim=claim,
        user=analyst,
        finding="supports",
        rationale=A_RATIONALE,
        element=element,
        sources=[a_annotation],
    )
    incident = incident_create(
        project=project,
        user=owner,
        date=date(2025, 9, 2),
        description="A strike near the harbour.",
    )
    incident_link_claim(incident=incident, claim=claim, user=analyst)
    # A's own incident, with A's claim and figure on it, edited once (so its
    # history has a create and an update by A).
    _restart("legal_incident", A_INCIDENT_IDS_FROM)
    a_incident = incident_create(
        project=project,
        user=analyst,
        date=date(2025, 9, 3),
        description=A_INCIDENT,
        place=A_PLACE,
    )
    a_incident = incident_update(
        incident=a_incident,
        user=analyst,
        expected_version=a_incident.version,
        note=A_INCIDENT_NOTE,
    )
    a_claim = claim_create(
        project=project,
        user=analyst,
        proposition=A_CLAIM + " (second)",
        claimant=A_CLAIMANT,
        annotation=a_annotation,
    )
    claim_quantity_add(
        claim=a_claim, user=analyst, value=4, counts="killed", annotation=a_annotation
    )
    incident_link_claim(incident=a_incident, claim=a_claim, user=analyst)
    suggestion_reject(suggestion=rejected, user=analyst)
    from_suggestion = suggestion_accept(suggestion=accepted, user=analyst)
    a_ids = sorted(
        {a_annotation.pk, from_suggestion.pk, claim.pk, a_claim.pk, a_incident.pk}
        | set(Assessment.objects.filter(author=analyst).values_list("pk", flat=True))
        | set(Comment.objects.filter(author=analyst).values_list("pk", flat=True))
        | set(
            SuggestionDecision.objects.filter(annotator=analyst).values_list(
                "pk", flat=True
            )
        )
    )
    assert min(a_ids) >= A_IDS_FROM
    ids = {
        "project": project.pk,
        "document": document.pk,
        "own": own.pk,
        "rejected": rejected.pk,
        "accepted": accepted.pk,
        "element": element.pk,
        "incident": incident.pk,
        "tag": project.tags.get(key="official_claim").pk,
        "framework": project.frameworks.first().pk,
        "membership": project.memberships.get(user=bea).pk,
        "history": HistoryEntry.objects.filter(project=project).first().pk,  # type: ignore[union-attr]
        **{f"a{i}": pk for i, pk in enumerate(a_ids)},
    }
    for assignment in Assignment.objects.filter(document=document):
        ids[f"assignment{assignment.pk}"] = assignment.pk
    return bea, ids, a_ids, a_annotation, claim


def _values(project, ids) -> dict[str, list[str]]:
    every = sorted({str(v) for v in ids.values()})
    return {
        "slug": [project.slug],
        "document": [str(ids["document"])],
        "object_type": [
            "annotation",
            "claim",
            "assessment",
            "suggestiondecision",
            "incident",
        ],
        "action": ["submit", "reopen", "withdraw"],
        "fmt": ["csv", "jsonl"],
        "format": ["json"],
        "app_label": ["annotations"],
        "url": ["x/"],
        "path": ["css/glossa.css"],
        "what": ["claim", "source", "figure"],
        "version": ["1"],
        "*int*": every,
        "*": every,
    }


def _patterns(a_ids: list[int]) -> list[bytes]:
    quote = json.dumps(A_QUOTE).encode()
    return [
        *(rb"\b%d\b" % pk for pk in a_ids),
        rb'"quote":\s*' + quote,
        b">" + A_QUOTE.encode() + b"<",
    ]


def _state(analyst: User) -> list:
    """A's work as stored: every row and version, every decision."""
    return [
        sorted(
            Annotation.objects.filter(author=analyst).values_list(
                "pk", "version", "note"
            )
        ),
        sorted(Comment.objects.filter(author=analyst).values_list("pk", "body")),
        sorted(
            Claim.objects.filter(created_by=analyst).values_list(
                "pk", "version", "proposition"
            )
        ),
        sorted(Assessment.objects.filter(author=analyst).values_list("pk", "version")),
        sorted(
            Incident.objects.filter(created_by=analyst).values_list(
                "pk", "version", "description", "note"
            )
        ),
        sorted(
            SuggestionDecision.objects.filter(annotator=analyst).values_list(
                "suggestion_id", "status"
            )
        ),
    ]


SHARDS = 4


@pytest.mark.postgres
@pytest.mark.parametrize("part", range(SHARDS))
def test_an_analyst_working_blind_finds_nothing_of_anothers_work(
    client, project, analyst, blind_pair, part
):
    bea, ids, a_ids, _, _ = blind_pair
    before = _state(analyst)
    client.force_login(bea)

    def relogin():
        if "_auth_user_id" not in client.session:
            client.force_login(bea)

    problems = probe_blind(
        client,
        _values(project, ids),
        SECRETS,
        _patterns(a_ids),
        relogin=relogin,
        shard=(part, SHARDS),
    )
    assert problems == [], "\n".join(problems[:40])
    # Nothing B sent changed A's work or A's decisions.
    assert _state(analyst) == before


@pytest.mark.postgres
def test_decisions_stay_each_analysts_own(client, project, analyst, blind_pair):
    """B sees both suggestions A decided as still pending (the suggestions
    themselves are undecided), and decides them differently, on their own."""
    bea, ids, *_ = blind_pair
    client.force_login(bea)
    for pk in (ids["rejected"], ids["accepted"]):
        body = client.get(f"/api/suggestions/{pk}/").json()
        assert (body["status"], body["annotation"]) == ("pending", None)
    listed = client.get(f"/api/suggestions/?document={ids['document']}").json()
    assert {row["id"] for row in listed["results"]} == {
        ids["rejected"],
        ids["accepted"],
    }
    decided = client.get("/api/suggestions/?status=rejected").json()
    assert decided["results"] == []
    response = client.post(f"/api/suggestions/{ids['rejected']}/accept/")
    assert response.status_code == 200, response.content
    assert client.get(f"/api/suggestions/{ids['rejected']}/").json()["status"] == (
        "accepted"
    )
    assert Suggestion.objects.get(pk=ids["rejected"]).status == SuggestionStatus.PENDING
    assert set(
        SuggestionDecision.objects.filter(suggestion_id=ids["rejected"]).values_list(
            "annotator__username", "status"
        )
    ) == {("analyst", "rejected"), ("bea", "accepted")}
    # A still sees their own rejection.
    client.force_login(analyst)
    assert client.get(f"/api/suggestions/{ids['rejected']}/").json()["status"] == (
        "rejected"
    )


@pytest.mark.postgres
def test_the_blind_pass_catches_a_leak(client, project, blind_pair, monkeypatch):
    """The pass finds A's work where a page shows it: the reviewer's view of
    the same routes (not blind) is full of it."""
    _, ids, a_ids, _, _ = blind_pair
    reviewer = member(project, "rita", Role.REVIEWER)
    client.force_login(reviewer)
    values = _values(project, ids)
    values["*int*"] = values["*"] = [str(ids["document"]), str(a_ids[0])]
    from tests.projects import isolation

    routes = [
        r
        for r in isolation.walk()
        if r.name in {"annotation-list", "claim-list", "annotation-detail"}
    ]
    monkeypatch.setattr(isolation, "walk", lambda *a, **k: routes)
    problems = probe_blind(client, values, SECRETS, _patterns(a_ids))
    assert any(A_NOTE in p for p in problems)
    assert any(A_CLAIM in p for p in problems)
    assert any(str(a_ids[0]) in p for p in problems)
