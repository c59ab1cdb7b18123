"""Fixtures of the exchange tests: a project with every kind of object.

Annotations and claims are created through the models (``anchor()`` plus
``full_clean()``) and history through ``history_record``, so these tests do
not depend on the services other branches write.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Annotation, Comment, Suggestion
from audit.services import history_record, snapshot
from corpus.models import Source
from corpus.services import document_create
from legal.models import Assessment, Claim, ClaimMention, ClaimQuantity, Element
from tests.factories import UserFactory, make_annotation

STATEMENT = (
    "Admiral Vela Korst said on Monday that the navy of Estrania struck two "
    'boats near the Isle of Marrow, killing 14 "narco-terrorists". The '
    "ministry has yet to provide evidence that the people aboard posed a threat.\n\n"
    "Professor Ines Darrow, a law-of-the-sea scholar, said the strikes were "
    'unlawful killings: "These are extrajudicial executions." At least 3 '
    "survivors were left in the water, according to a rescue charity."
)
SECOND = (
    "Café owners in Port Lusk — a fictional town — reported that 2 fishermen "
    "are missing. Nobody has explained why the navy did not rescue them."
)


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger")


@pytest.fixture
def api(owner):
    client = APIClient()
    client.force_authenticate(owner)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def rich_project(project, owner, analyst, media_root):
    """Two documents (with original files), annotations, a deleted one,
    comments, a suggestion, claims with mentions, quantities and assessments,
    and their history."""
    source = Source.objects.create(project=project, name="Estrania Ministry")
    doc1 = document_create(
        project=project,
        original=STATEMENT.encode(),
        text=STATEMENT,
        original_name="statement.txt",
        captured_by=owner,
        title="Navy strikes two boats",
        url="https://news.example.org/strikes",
        source=source,
        published_at=timezone.now() - timedelta(days=3),
    )
    doc2 = document_create(
        project=project,
        original=SECOND.encode(),
        text=SECOND,
        original_name="second.txt",
        captured_by=analyst,
        title="Missing fishermen",
        kind="report",
    )
    a1 = make_annotation(
        doc1,
        owner,
        'killing 14 "narco-terrorists"',
        tags=["official_claim"],
        note="Figure from the admiral.",
        history=True,
    )
    a2 = make_annotation(
        doc1,
        analyst,
        "has yet to provide evidence",
        tags=["no_evidence_provided"],
        history=True,
    )
    a3 = make_annotation(
        doc1,
        analyst,
        "These are extrajudicial executions.",
        tags=["experts_say_illegal"],
        note='=HYPERLINK("http://evil")',
        history=True,
    )
    a4 = make_annotation(
        doc2,
        owner,
        "2 fishermen are missing",
        tags=[],
        note="Count of the missing.",
        history=True,
    )
    # an update and a deletion, as the services would record them
    before = snapshot(a2)
    a2.status = "submitted"
    a2.version = 2
    a2.save()
    history_record(
        project=project,
        actor=analyst,
        obj=a2,
        action="update",
        before=before,
        after=snapshot(a2),
    )
    gone = make_annotation(
        doc2, analyst, "Nobody has explained", tags=["official_claim"], history=True
    )
    gone_id, gone_snapshot = gone.pk, snapshot(gone)
    gone.delete()
    history_record(
        project=project,
        actor=analyst,
        obj=Annotation(pk=gone_id),
        action="delete",
        before=gone_snapshot,
        object_id=gone_id,
    )
    Comment.objects.create(annotation=a1, author=analyst, body="Check the figure.")
    suggestion = Suggestion(
        project=project,
        document=doc1,
        tag=project.tags.get(key="no_evidence_provided"),
        start=a2.start,
        end=a2.end,
        rule="cue:yet_to_provide",
        confidence=0.8,
    )
    suggestion.anchor()
    suggestion.full_clean()
    suggestion.save()
    claim = Claim.objects.create(
        project=project,
        proposition="The navy killed 14 people in two boat strikes.",
        claimant="Admiral Vela Korst",
        claimant_type="acting_government",
        evidence_status="not_provided",
        event_date=date(2025, 9, 1),
        created_by=owner,
    )
    ClaimMention.objects.create(claim=claim, annotation=a1, linked_by=owner)
    ClaimQuantity.objects.create(claim=claim, value=14, counts="killed", annotation=a1)
    history_record(
        project=project,
        actor=owner,
        obj=claim,
        action="create",
        after=snapshot(claim),
    )
    element = Element.objects.filter(criterion__framework__project=project).first()
    assert element is not None
    assessment = Assessment.objects.create(
        project=project,
        claim=claim,
        element=element,
        criterion=element.criterion,
        finding="undermines",
        rationale="No evidence of an imminent threat was given.",
        author=owner,
    )
    assessment.sources.set([a2])
    history_record(
        project=project,
        actor=owner,
        obj=assessment,
        action="create",
        after=snapshot(assessment),
    )
    unreviewed = Claim.objects.create(
        project=project,
        proposition="Two fishermen are missing.",
        claimant="Café owners",
        created_by=analyst,
    )
    ClaimMention.objects.create(claim=unreviewed, annotation=a4, linked_by=analyst)
    return {
        "project": project,
        "documents": [doc1, doc2],
        "annotations": [a1, a2, a3, a4],
        "claim": claim,
        "assessment": assessment,
        "gone_id": gone_id,
    }
