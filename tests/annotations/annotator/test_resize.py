"""Resizing an annotation: an update of the same row (start, end, quote
re-anchored), so its comments, claim links and figures stay with it, and the
history records an update, never a delete and a create."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations.models import Annotation, Comment
from annotations.services.annotations import annotation_create, annotation_update
from audit.models import HistoryAction, HistoryEntry
from legal.models import ClaimMention
from legal.services.claims import claim_create
from projects.errors import ConflictError

pytestmark = pytest.mark.django_db


def tag_phrase(document, user, phrase: str) -> Annotation:
    start = document.text.index(phrase)
    return annotation_create(
        document=document,
        author=user,
        start=start,
        end=start + len(phrase),
        tag_keys=["casualty_figure"],
    )


def test_resize_keeps_comments_claims_and_records_an_update(document, analyst):
    annotation = tag_phrase(document, analyst, "14 people")
    Comment.objects.create(annotation=annotation, author=analyst, body="Check it.")
    claim = claim_create(
        project=document.project,
        user=analyst,
        proposition="14 people were killed.",
        annotation=annotation,
    )
    start = document.text.index("14 people were killed")
    end = start + len("14 people were killed")
    resized = annotation_update(
        annotation=annotation,
        user=analyst,
        expected_version=annotation.version,
        start=start,
        end=end,
    )
    resized.refresh_from_db()
    assert resized.pk == annotation.pk
    assert (resized.start, resized.end) == (start, end)
    assert resized.quote == "14 people were killed"
    assert resized.prefix == document.text[max(0, start - 32) : start]
    assert resized.suffix == document.text[end : end + 32]
    assert resized.version == annotation.version + 1
    assert list(resized.tags.values_list("key", flat=True)) == ["casualty_figure"]
    assert Comment.objects.filter(annotation=resized).count() == 1
    assert ClaimMention.objects.filter(claim=claim, annotation=resized).exists()
    entries = HistoryEntry.objects.filter(
        object_type="annotation", object_id=annotation.pk
    ).order_by("pk")
    assert [e.action for e in entries] == [HistoryAction.CREATE, HistoryAction.UPDATE]
    update = entries.last()
    assert update is not None and update.actor == analyst
    assert update.before is not None and update.after is not None
    assert update.before["quote"] == "14 people"
    assert update.after["quote"] == "14 people were killed"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "outside"), (-1, 4, "outside"), (0, 10_000, "outside"), (3, None, "both")],
)
def test_resize_refuses_bad_spans(document, analyst, start, end, message):
    annotation = tag_phrase(document, analyst, "14 people")
    with pytest.raises(ValidationError, match=message):
        annotation_update(
            annotation=annotation,
            user=analyst,
            expected_version=annotation.version,
            start=start,
            end=end,
        )
    annotation.refresh_from_db()
    assert annotation.quote == "14 people" and annotation.version == 1


def test_resize_on_a_stale_version_is_a_conflict(document, analyst):
    annotation = tag_phrase(document, analyst, "14 people")
    annotation_update(
        annotation=annotation, user=analyst, expected_version=1, note="first"
    )
    with pytest.raises(ConflictError):
        annotation_update(
            annotation=annotation,
            user=analyst,
            expected_version=1,
            start=annotation.start,
            end=annotation.end + 5,
        )


def test_resize_through_the_api(document, analyst, viewer, api):
    annotation = tag_phrase(document, analyst, "14 people")
    url = f"/api/annotations/{annotation.pk}/"
    start = document.text.index("The minister")
    body = {"version": 1, "start": start, "end": annotation.end}
    assert api(viewer).patch(url, body, format="json").status_code == 403
    response = api(analyst).patch(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["quote"] == "The minister said 14 people"
    assert response.json()["version"] == 2
    bad = api(analyst).patch(url, {"version": 2, "start": 4, "end": 2}, format="json")
    assert bad.status_code == 400
    stale = api(analyst).patch(
        url, {"version": 1, "start": start, "end": start + 3}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["extra"]["current"]["quote"] == "The minister said 14 people"
