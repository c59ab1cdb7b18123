"""Tag colours that can be told apart: CIEDE2000 against the published test
pairs, the palette and the defaults distinct, and the service that
reassigns near-identical colours (in history)."""

from __future__ import annotations

import itertools

import pytest

from annotations.colours import (
    DISTINCT_PALETTE,
    MIN_DISTANCE,
    ciede2000,
    colour_clashes,
    colour_distance,
    distinct_colours,
)
from annotations.defaults import default_tags
from annotations.models import Tag
from annotations.services.taxonomy import tag_colours_make_distinct, tag_update
from audit.models import HistoryAction, HistoryEntry

# Sharma, Wu and Dalal (2005), table 1: L*a*b* pairs and their CIEDE2000.
SHARMA_PAIRS = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_PAIRS)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_palette_and_default_tags_are_distinct():
    closest = min(
        colour_distance(a, b) for a, b in itertools.combinations(DISTINCT_PALETTE, 2)
    )
    assert closest >= MIN_DISTANCE
    defaults = [(tag["key"], tag["colour"]) for tag in default_tags()]
    assert colour_clashes(defaults) == []


def test_clashes_name_near_identical_pairs():
    clashes = colour_clashes(
        [("Blue", "#2b6cb0"), ("Other blue", "#3182ce"), ("Red", "#c53030")]
    )
    assert [(a, b) for a, b, _ in clashes] == [("Blue", "Other blue")]
    assert clashes[0][2] < MIN_DISTANCE
    # The first keeps its colour; the clashing one gets a distinct one.
    fixed = distinct_colours(["#2b6cb0", "#3182ce", "#c53030"])
    assert fixed[0] == "#2b6cb0" and fixed[2] == "#c53030"
    assert fixed[1] in DISTINCT_PALETTE
    assert colour_clashes(list(zip("abc", fixed, strict=True))) == []


@pytest.mark.django_db
def test_service_reassigns_clashing_colours_in_history(project, owner):
    tags = list(project.tags.order_by("order", "pk"))
    first, second = tags[0], tags[1]
    tag_update(tag=second, user=owner, colour="#2e6db3")  # next to the first's
    assert colour_clashes([(t.key, t.colour) for t in project.tags.all()])
    changed = tag_colours_make_distinct(project=project, user=owner)
    assert [tag.pk for tag in changed] == [second.pk]
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.colour in DISTINCT_PALETTE
    assert colour_clashes([(t.key, t.colour) for t in project.tags.all()]) == []
    entry = HistoryEntry.objects.filter(
        object_type="tag", object_id=second.pk, action=HistoryAction.UPDATE
    ).latest("pk")
    assert entry.actor == owner
    assert entry.before is not None and entry.after is not None
    assert entry.before["colour"] == "#2e6db3"
    assert entry.after["colour"] == second.colour
    # Distinct already: nothing changes, nothing recorded.
    assert tag_colours_make_distinct(project=project, user=owner) == []
    assert Tag.objects.get(pk=first.pk).colour == first.colour


@pytest.mark.django_db
def test_tags_page_shows_clashes_and_fixes_them(client, project, owner, analyst):
    tag = project.tags.order_by("order", "pk")[1]
    tag_update(
        tag=tag, user=owner, colour=project.tags.order_by("order", "pk")[0].colour
    )
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/tags/")
    assert b"Colours that look alike" in page.content
    url = f"/p/{project.slug}/tags/distinct-colours/"
    client.force_login(analyst)
    assert client.post(url).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert b"New colours for 1 tags" in response.content
    assert b"Colours that look alike" not in response.content
