"""The suggestion queue ordered by the model's uncertainty, as Prodigy's
``teach`` asks first about what the model is least sure of: |p - threshold|
ascending (the tag's cross-validated ``add`` threshold of the version that
made the suggestion), the rules' suggestions after them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.models import LearnedModel, Tag, TrainingStatus
from tests.factories import DocumentFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

TEXT = " ".join(f"Sentence number {n} says something." for n in range(10))


@pytest.fixture
def queue(project):
    """Model v1 (add at 0.6 for official_claim, no threshold for
    casualty_figure) and its suggestions, plus one rule suggestion."""
    LearnedModel.objects.create(
        project=project,
        version=1,
        status=TrainingStatus.DONE,
        labels=["casualty_figure", "official_claim"],
        metrics={
            "official_claim": {"add": 0.6, "veto": None},
            "casualty_figure": {"add": None, "veto": None},
        },
    )
    document = DocumentFactory(project=project, text=TEXT)
    claim = Tag.objects.get(project=project, key="official_claim")
    figure = Tag.objects.get(project=project, key="casualty_figure")
    made = []
    for n, (tag, rule, p) in enumerate(
        [
            (claim, "model v1", 0.95),  # |0.95 - 0.6| = 0.35
            (claim, "rules.cue", 0.61),  # a rule: no probability, last
            (claim, "model v1", 0.30),  # 0.30
            (figure, "model v1", 0.55),  # |0.55 - 0.5| = 0.05
            (claim, "model v1", 0.62),  # 0.02: the most uncertain
            (claim, "model v1", 0.50),  # 0.10
        ]
    ):
        start = TEXT.index(f"number {n}")
        made.append(
            SuggestionFactory(
                document=document,
                tag=tag,
                rule=rule,
                confidence=p,
                start=start,
                end=start + len(f"number {n}"),
            )
        )
    return document, made


EXPECTED = [0.62, 0.55, 0.50, 0.30, 0.95, 0.61]


def test_triage_page_orders_the_queue_by_uncertainty(client, project, analyst, queue):
    client.force_login(analyst)
    url = reverse("triage", args=[project.slug])
    shown = client.get(f"{url}?order=uncertainty").content.decode()
    percents = [int(p) for p in re.findall(r"<td>(\d+)%</td>", shown)]
    assert percents == [round(p * 100) for p in EXPECTED]
    assert 'value="uncertainty" selected' in shown
    # Document order stays the default; a bad order is named, not applied.
    plain = client.get(url).content.decode()
    assert [int(p) for p in re.findall(r"<td>(\d+)%</td>", plain)] == [
        95,
        61,
        30,
        55,
        62,
        50,
    ]
    bad = client.get(f"{url}?order=random")
    assert bad.status_code == 400 and "order" in bad.content.decode().lower()


def test_api_lists_suggestions_by_uncertainty(project, analyst, queue):
    document, _ = queue
    api = APIClient()
    api.force_authenticate(analyst)
    url = reverse("suggestion-list")
    response = api.get(url, {"document": document.pk, "order": "uncertainty"})
    assert response.status_code == 200
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [row["confidence"] for row in rows] == EXPECTED
    assert api.get(url, {"document": document.pk, "order": "x"}).status_code == 400
