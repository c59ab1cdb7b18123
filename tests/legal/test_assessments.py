"""Assessments: validation, permissions, history, and the claim page's forms."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from audit.selectors import history_for
from corpus.models import Document
from legal.models import Assessment, Element
from legal.services.assessments import (
    assessment_can_edit,
    assessment_create,
    assessment_delete,
    assessment_update,
)
from legal.services.claims import claim_create
from projects.errors import ApplicationError, ConflictError
from projects.services import membership_set, project_create
from tests.factories import DocumentFactory, UserFactory, make_annotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def claim(project, analyst, mentions):
    return claim_create(
        project=project,
        user=analyst,
        proposition="14 people were killed",
        annotation=mentions["minister"],
    )


@pytest.fixture
def threat(project):
    """D1-type element: did the people killed pose an imminent threat to life?"""
    return Element.objects.filter(
        criterion__framework__project=project, question__icontains="imminent"
    ).first()


def test_create_records_finding_sources_and_history(claim, analyst, threat, mentions):
    a = assessment_create(
        claim=claim,
        user=analyst,
        element=threat,
        finding="undermines",
        rationale="No evidence of any threat was given.",
        sources=[mentions["no_evidence"]],
    )
    assert a.criterion == threat.criterion
    assert list(a.sources.all()) == [mentions["no_evidence"]]
    entry = history_for(a).get()
    assert entry.action == "create"
    assert entry.after is not None
    assert entry.after["sources"] == [mentions["no_evidence"].pk]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"finding": "maybe"}, "Unknown finding"),
        ({"rationale": "   "}, "Write a rationale"),
        ({"element": None}, "Choose the element"),
    ],
)
def test_create_validates(claim, analyst, threat, kwargs, message):
    args = {"finding": "supports", "rationale": "Because.", "element": threat}
    args.update(kwargs)
    with pytest.raises(ApplicationError, match=message):
        assessment_create(claim=claim, user=analyst, **args)
    assert not Assessment.objects.exists()


def test_sources_and_elements_must_belong_to_the_claims_project(
    claim, analyst, owner, threat
):
    other = project_create(name="Other case", slug="other", created_by=owner)
    doc = cast(
        Document, DocumentFactory(project=other, text="A foreign quote about strikes.")
    )
    foreign = make_annotation(doc, owner, "foreign quote")
    with pytest.raises(ApplicationError, match="not found: "):
        assessment_create(
            claim=claim,
            user=analyst,
            element=threat,
            finding="supports",
            rationale="r",
            sources=[foreign],
        )
    foreign_element = Element.objects.filter(criterion__framework__project=other)[0]
    with pytest.raises(ApplicationError, match="another project"):
        assessment_create(
            claim=claim,
            user=analyst,
            element=foreign_element,
            finding="supports",
            rationale="r",
        )


def test_one_assessment_per_author_and_element(claim, analyst, reviewer, threat):
    assessment_create(
        claim=claim, user=analyst, element=threat, finding="supports", rationale="r"
    )
    with pytest.raises(ApplicationError, match="already assessed"):
        assessment_create(
            claim=claim,
            user=analyst,
            element=threat,
            finding="undermines",
            rationale="r",
        )
    # A second analyst may disagree.
    assessment_create(
        claim=claim, user=reviewer, element=threat, finding="undermines", rationale="r"
    )
    assert Assessment.objects.count() == 2


def test_update_and_delete_with_versions(claim, analyst, threat, mentions):
    a = assessment_create(
        claim=claim, user=analyst, element=threat, finding="supports", rationale="r"
    )
    a = assessment_update(
        assessment=a,
        user=analyst,
        expected_version=1,
        finding="inconclusive",
        sources=[mentions["minister"].pk],
    )
    assert (a.finding, a.version) == ("inconclusive", 2)
    with pytest.raises(ConflictError):
        assessment_update(assessment=a, user=analyst, expected_version=1, finding="x")
    with pytest.raises(ApplicationError, match="rationale"):
        assessment_update(assessment=a, user=analyst, expected_version=2, rationale="")
    assessment_delete(assessment=a, user=analyst, expected_version=2)
    assert not Assessment.objects.exists()
    assert [e.action for e in history_for(a)] == ["create", "update", "delete"]


def test_edit_rights(claim, analyst, reviewer, viewer, threat, project):
    a = assessment_create(
        claim=claim, user=analyst, element=threat, finding="supports", rationale="r"
    )
    other = cast(User, UserFactory(username="analyst2"))
    membership_set(project=project, user=other, role="analyst")
    assert assessment_can_edit(analyst, a)
    assert assessment_can_edit(reviewer, a)
    assert not assessment_can_edit(other, a)
    assert not assessment_can_edit(viewer, a)


def test_viewer_cannot_assess_through_the_page(client, claim, viewer, threat):
    client.force_login(viewer)
    response = client.post(
        f"/p/{claim.project.slug}/claims/{claim.pk}/assessments/",
        {"element": threat.pk, "finding": "supports", "rationale": "r"},
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_htmx_form_saves_and_reports_errors(client, claim, analyst, threat, mentions):
    client.force_login(analyst)
    url = f"/p/{claim.project.slug}/claims/{claim.pk}/assessments/"
    bad = client.post(
        url,
        {"element": threat.pk, "finding": "supports", "rationale": ""},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 400
    assert "Write a rationale" in bad.text
    good = client.post(
        url,
        {
            "element": threat.pk,
            "finding": "undermines",
            "rationale": "Nothing shows a threat to life.",
            "sources": [mentions["minister"].pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert good.status_code == 200
    assert 'id="assessments"' in good.text
    assert "Nothing shows a threat to life." in good.text
    a = Assessment.objects.get()
    edit = client.post(
        f"{url}{a.pk}/",
        {"version": 1, "finding": "inconclusive", "rationale": "Unclear."},
        HTTP_HX_REQUEST="true",
    )
    assert edit.status_code == 200
    a.refresh_from_db()
    assert (a.finding, a.rationale) == ("inconclusive", "Unclear.")
