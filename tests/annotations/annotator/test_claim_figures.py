"""Figures with a new claim: the annotator page carries the figures the
analysis found (and every choice list from the server), and
``POST /api/claims/`` stores the figures given with the claim, each stated
by its annotation and recorded in history; a bad figure writes nothing."""

from __future__ import annotations

import json
import re

import pytest

from annotations.selectors import annotation_status_choices, document_quantities
from annotations.services.annotations import annotation_create
from audit.models import HistoryEntry
from legal.models import Claim, ClaimQuantity
from tests.factories import DocumentAnalysisFactory

pytestmark = pytest.mark.django_db

TEXT = "14 people were killed"
FIGURE: dict[str, object] = {
    "start": 0,
    "end": 0,
    "text": "14 people were killed",
    "value": 14,
    "counts": "killed",
    "bound": "exact",
    "cumulative": False,
    "sentence": 0,
    "claimant": "the minister",
    "claimant_type": "acting_government",
}


def script(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</script>', page, re.S)
    assert match is not None, element_id
    return match.group(1)


def analysed(document):
    start = document.text.index(TEXT)
    figure = {**FIGURE, "start": start, "end": start + len(TEXT)}
    broken = {"start": "x", "end": 3, "value": 2}  # skipped, not shown
    DocumentAnalysisFactory(
        document=document,
        data={"sentences": [], "tokens": [], "quantities": [figure, broken]},
    )
    return figure


def test_page_data_has_figures_and_server_choice_lists(client, document, analyst):
    figure = analysed(document)
    assert document_quantities(document=document) == [
        {k: figure[k] for k in ("start", "end", "text", "value", "counts", "bound")}
        | {"cumulative": False}
    ]
    client.force_login(analyst)
    page = client.get(f"/p/{document.project.slug}/d/{document.pk}/").content.decode()
    data = json.loads(script(page, "annotator-data"))
    assert data["quantities"][0]["value"] == 14
    assert data["statusChoices"] == annotation_status_choices(can_review=False)
    assert ["accepted", "Accepted by reviewer"] not in data["statusChoices"]
    choices = json.loads(script(page, "annotator-choices"))
    assert ["killed", "Killed or dead"] in choices["quantity_counts"]
    assert ["at_least", "At least"] in choices["quantity_bounds"]
    assert ["not_provided", "No evidence provided"] in choices["evidence_statuses"]
    assert choices["claimant_types"]["default"] == "reporter"


def test_claim_created_with_its_figures(document, analyst, viewer, api):
    figure = analysed(document)
    annotation = annotation_create(
        document=document,
        author=analyst,
        start=figure["start"],
        end=figure["end"],
        tag_keys=["casualty_figure"],
    )
    body = {
        "project": document.project.slug,
        "proposition": "14 people were killed.",
        "annotation": annotation.pk,
        "quantities": [
            {"value": 14, "counts": "killed", "bound": "at_least", "cumulative": True}
        ],
    }
    assert api(viewer).post("/api/claims/", body, format="json").status_code == 403
    response = api(analyst).post("/api/claims/", body, format="json")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    quantity = claim.quantities.get()
    assert (quantity.value, quantity.counts, quantity.bound, quantity.cumulative) == (
        14,
        "killed",
        "at_least",
        True,
    )
    assert quantity.annotation_id == annotation.pk
    assert response.json()["quantities"][0]["annotation"] == annotation.pk
    assert HistoryEntry.objects.filter(
        object_type="claimquantity", object_id=quantity.pk, actor=analyst
    ).exists()


@pytest.mark.parametrize(
    "figure",
    [
        {"value": -1, "counts": "killed"},
        {"value": 3, "counts": "goats"},
        {"value": 3, "counts": "killed", "bound": "roughly"},
        {"value": "many", "counts": "killed"},
    ],
)
def test_a_bad_figure_writes_nothing(document, analyst, api, figure):
    body = {
        "project": document.project.slug,
        "proposition": "Some were killed.",
        "quantities": [figure],
    }
    response = api(analyst).post("/api/claims/", body, format="json")
    assert response.status_code == 400
    assert not Claim.objects.exists() and not ClaimQuantity.objects.exists()
