"""Every POST of the legal pages goes through a form: a bad POST is refused
with a message naming the field, and nothing is written."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from audit.models import HistoryEntry
from legal.models import Assessment, Claim, ClaimQuantity, Criterion, Element
from legal.services.claims import claim_create
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.services import project_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def claim(project, analyst):
    return claim_create(project=project, user=analyst, proposition="14 killed")


def test_claim_create_with_a_bad_date_names_the_field(client, project, analyst):
    client.force_login(analyst)
    history = HistoryEntry.objects.count()
    response = client.post(
        f"/p/{project.slug}/claims/",
        {"proposition": "Boats were struck", "event_date": "yesterday"},
    )
    assert response.status_code == 302
    assert response.url == f"/p/{project.slug}/claims/"
    (message,) = _messages(response)
    assert message.startswith("The claim was not saved: Event date: Enter a valid date")
    assert not Claim.objects.exists()
    assert HistoryEntry.objects.count() == history


def test_claim_create_with_an_unknown_choice_names_the_field(client, project, analyst):
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/",
        {"proposition": "Boats were struck", "claimant_type": "oracle"},
    )
    (message,) = _messages(response)
    assert 'Claimant type: "oracle" is not a claimant type. The types are: ' in message
    assert not Claim.objects.exists()


def test_claim_create_with_an_old_claimant_type_names_the_new_one(
    client, project, analyst
):
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/",
        {"proposition": "Boats were struck", "claimant_type": "journalist"},
    )
    (message,) = _messages(response)
    assert 'Claimant type: "journalist" is an old claimant type; use "reporter".' in (
        message
    )
    assert not Claim.objects.exists()


def test_claim_create_without_proposition_names_the_field(client, project, analyst):
    client.force_login(analyst)
    response = client.post(f"/p/{project.slug}/claims/", {"claimant": "Vost"})
    (message,) = _messages(response)
    assert message == "The claim was not saved: Proposition: This field is required."
    assert not Claim.objects.exists()


def test_claim_edit_with_a_blank_proposition_keeps_the_claim(
    client, project, analyst, claim
):
    """The model's own rule (proposition not blank) comes back on the field."""
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/edit/",
        {"version": 1, "proposition": "  "},
    )
    (message,) = _messages(response)
    assert message.startswith("Not saved: Proposition: ")
    claim.refresh_from_db()
    assert (claim.proposition, claim.version) == ("14 killed", 1)


def test_claim_edit_without_a_version_is_refused(client, project, analyst, claim):
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/edit/", {"proposition": "Changed"}
    )
    (message,) = _messages(response)
    assert message == "Not saved: Version: This field is required."
    claim.refresh_from_db()
    assert claim.proposition == "14 killed"


def test_quantity_with_a_negative_figure_names_the_field(
    client, project, analyst, claim
):
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/quantities/",
        {"value": "-3", "counts": "killed"},
        follow=True,
    )
    (message,) = _messages(response)
    assert message.startswith("Figure not added: Figure: Ensure this value is")
    assert not ClaimQuantity.objects.exists()
    response = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/quantities/",
        {"value": "3", "counts": "sunk"},
        follow=True,
    )
    (message,) = _messages(response)
    assert "Counts: Select a valid choice." in message
    assert not ClaimQuantity.objects.exists()


def test_quantity_from_another_claim_is_not_found(client, project, analyst, claim):
    other = claim_create(project=project, user=analyst, proposition="Other")
    client.force_login(analyst)
    client.post(
        f"/p/{project.slug}/claims/{other.pk}/quantities/",
        {"value": "3", "counts": "killed"},
    )
    quantity = ClaimQuantity.objects.get()
    url = f"/p/{project.slug}/claims/{claim.pk}/quantities/{quantity.pk}/remove/"
    assert client.post(url).status_code == 404
    assert ClaimQuantity.objects.filter(pk=quantity.pk).exists()


def test_assessment_with_an_unknown_finding_names_the_field(
    client, project, analyst, claim
):
    element = Element.objects.filter(criterion__framework__project=project).first()
    assert element is not None
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/assessments/",
        {"element": element.pk, "finding": "maybe", "rationale": "r"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "Finding: Select a valid choice. maybe is not one" in response.text
    # What the analyst typed is kept in the form.
    assert f'value="{element.pk}" selected' in response.text
    assert not Assessment.objects.exists()


def test_service_rule_comes_back_on_its_field(client, project, analyst, claim):
    """``ApplicationError(extra={"field": ...})`` names the field too."""
    element = Element.objects.filter(criterion__framework__project=project).first()
    assert element is not None
    client.force_login(analyst)
    response = client.post(
        f"/p/{project.slug}/claims/{claim.pk}/assessments/",
        {"element": element.pk, "finding": "supports", "rationale": ""},
    )
    assert response.status_code == 302
    (message,) = _messages(response)
    assert message.startswith("Rationale: Write a rationale")
    assert not Assessment.objects.exists()


def test_framework_edit_refuses_unknown_and_incomplete_edits(client, project, owner):
    criterion = Criterion.objects.filter(framework__project=project).first()
    assert criterion is not None
    client.force_login(owner)
    url = f"/p/{project.slug}/framework/edit/"
    response = client.post(url, {"what": "rename-everything"}, follow=True)
    assert _messages(response) == ["Not saved: Edit: Unknown edit."]
    response = client.post(
        url,
        {"what": "element-new", "criterion": criterion.pk, "question": "Why?"},
        follow=True,
    )
    assert _messages(response) == ["Not saved: Key: This field is required."]
    assert not criterion.elements.filter(question="Why?").exists()
    other_project = project_create(name="Other case", slug="other", created_by=owner)
    other = Element.objects.filter(criterion__framework__project=other_project)[0]
    response = client.post(
        url, {"what": "element", "pk": other.pk, "question": "Hijacked?"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.question != "Hijacked?"


def test_form_errors_from_puts_errors_on_fields_and_names_them():
    from django import forms
    from django.core.exceptions import ValidationError

    class Form(forms.Form):
        rationale = forms.CharField(required=False, label="Rationale")

    form = Form({"rationale": ""})
    assert form.is_valid()
    text = form_errors_from(
        form, ApplicationError("Write a rationale.", extra={"field": "rationale"})
    )
    assert text == "Rationale: Write a rationale."
    assert form.errors["rationale"] == ["Write a rationale."]
    form = Form({"rationale": "x"})
    form.is_valid()
    text = form_errors_from(
        form, ValidationError({"event_date": "Bad date.", "__all__": "Stale."})
    )
    assert text == "Event date: Bad date. Stale."
    assert form.non_field_errors() == ["Event date: Bad date.", "Stale."]
