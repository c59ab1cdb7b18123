"""ClaimReview read back the way a search engine's crawler reads it: the
export embedded in a page as JSON-LD and extracted with extruct, then checked
for the fields fact-check consumers require."""

from __future__ import annotations

import json
from datetime import datetime

import extruct
import pytest
from django.utils.html import escape

from legal.models import ClaimMention
from tests.exchange.test_exports import export
from tests.factories import make_annotation

pytestmark = pytest.mark.django_db


def _published_page(reviews: list[dict]) -> str:
    """A publisher's page embedding each review as a JSON-LD script."""
    scripts = "".join(
        '<script type="application/ld+json">'
        + json.dumps(review).replace("</", "<\\/")
        + "</script>"
        for review in reviews
    )
    return (
        f"<!DOCTYPE html><html><head><title>{escape('Reviews')}</title>"
        f"{scripts}</head><body><p>Reviews</p></body></html>"
    )


def _extracted(project) -> list[dict]:
    reviews = json.loads(export(project, "claimreview"))
    page = _published_page(reviews)
    data = extruct.extract(
        page, base_url="https://checks.example.org/", syntaxes=["json-ld"]
    )
    return data["json-ld"]


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_claimreview_extracted_by_extruct_has_what_consumers_require(
    rich_project, owner
):
    claim = rich_project["claim"]
    first = rich_project["annotations"][0]
    # A second quote from the same article: still one appearance for its URL.
    again = make_annotation(first.document, owner, "struck two boats", tags=[])
    ClaimMention.objects.create(claim=claim, annotation=again, linked_by=owner)

    items = _extracted(rich_project["project"])

    assert [item["@type"] for item in items] == ["ClaimReview"]
    review = items[0]
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == claim.proposition
    _iso(review["datePublished"])
    # The reviewer: an organisation with a URL.
    assert review["author"]["@type"] == "Organization"
    assert review["author"]["name"] and review["author"]["url"].startswith("http")
    # The claim: who made it, when it was first published, where it appeared.
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == "Admiral Vela Korst"
    published = first.document.published_at
    assert _iso(item["datePublished"]) == published.replace(microsecond=0)
    urls = [a["url"] for a in item["appearance"]]
    assert urls == sorted(set(urls), key=urls.index), "one appearance per URL"
    assert urls == ["https://news.example.org/strikes"]
    assert item["firstAppearance"]["url"] == urls[0]
    # The rating is the evidence status, and says it is no truth verdict.
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == "No evidence provided"
    assert "not a verdict on whether the claim is true" in rating["ratingExplanation"]
    # Glossa's claim pages need a login: no url, and the export says why.
    assert "url" not in review
    assert "publishes no reviews" in review["_glossa_note"]


def test_claimreview_url_only_where_the_project_publishes_reviews(
    rich_project, settings
):
    claim = rich_project["claim"]
    settings.GLOSSA_CLAIMREVIEW_URLS = {
        "strikes": "https://checks.example.org/reviews/{claim_id}"
    }
    settings.GLOSSA_CLAIMREVIEW_PUBLISHER_URL = "https://checks.example.org/"
    (review,) = _extracted(rich_project["project"])
    assert review["url"] == f"https://checks.example.org/reviews/{claim.pk}"
    assert review["author"]["url"] == "https://checks.example.org/"
    assert "_glossa_note" not in review
    settings.GLOSSA_CLAIMREVIEW_URLS = {
        "another-project": "https://x.example/{claim_id}"
    }
    (review,) = _extracted(rich_project["project"])
    assert "url" not in review
