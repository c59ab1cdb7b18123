"""Casualty numbers worded every way, their scope and bound, and counts that
are never casualties. Sentences written for these tests; real model."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.spacy


def figures(nlp, text):
    doc = nlp(text)
    return [
        (q["value"], q["counts"], q["cumulative"], q["bound"])
        for q in doc._.glossa_quantities
    ]


def casualties(nlp, text):
    return [f for f in figures(nlp, text) if f[1] not in ("strikes", "vessels")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TWELVE FISHERMEN KILLED IN NAVY STRIKE", (12, "killed")),
        ("Eleven Dead After Troops Open Fire On Market", (11, "killed")),
        ("The flooding of the camp caused the loss of 14 lives.", (14, "killed")),
        ("Rescuers recovered 9 bodies from the river on Monday.", (9, "killed")),
        ("Villagers buried 23 people the next morning.", (23, "killed")),
        ("Nineteen people died when the shell hit the school.", (19, "killed")),
        ("One hundred and five civilians were killed in the bombing.", (105, "killed")),
        ("The blast left 40 people wounded.", (40, "injured")),
        ("Thirty migrants are still unaccounted for.", (30, "missing")),
        ("Two fishermen survived the sinking.", (2, "survivors")),
        ("The dead were ten villagers from the valley.", (10, "killed")),
        ("Gunmen fired on the bus, killing and injuring dozens.", (24, "killed")),
    ],
)
def test_casualties_in_any_wording(nlp, text, expected):
    assert expected in [(v, c) for v, c, _, _ in casualties(nlp, text)]


@pytest.mark.parametrize(
    ("text", "value", "bound"),
    [
        ("Nearly forty people died when the boat was hit.", 40, "up_to"),
        ("As many as 30 people were killed in the raid.", 30, "up_to"),
        ("About 25 people were killed in the attack.", 25, "about"),
        ("At least 57 people were killed on Friday.", 57, "at_least"),
        ("More than 60 civilians were wounded.", 60, "more_than"),
        ("Between 20 and 30 civilians were wounded in the shelling.", 20, "range"),
        ("Dozens of people were killed in the raid.", 24, "at_least"),
        ("Hundreds were injured in the stampede.", 200, "at_least"),
    ],
)
def test_bounds_and_vague_words(nlp, text, value, bound):
    assert (value, bound) in [(v, b) for v, _, _, b in casualties(nlp, text)]


@pytest.mark.parametrize(
    "text",
    [
        "The strikes have killed 115 people to date.",
        "So far, 57 people have been killed in the campaign.",
        "Since September, police have killed 230 people in the province.",
        "In total, 80 people died across 14 strikes.",
        "The latest strike brought the death toll to at least 90.",
        "Air raids killed 300 civilians in six months.",
        "Fighting has raged since May, which has left at least 900 deaths.",
        "The number of people killed by the police rose to 112.",
        "Attacks on the camps killed thousands of people.",
    ],
)
def test_campaign_totals_are_cumulative(nlp, text):
    found = casualties(nlp, text)
    assert found and all(cumulative for _, _, cumulative, _ in found)


@pytest.mark.parametrize(
    "text",
    [
        "The navy killed 12 people in two strikes on Sunday.",
        "The bombing killed 4 people on 12 March.",
        "The attack killed 36 people, including an 8-year-old boy.",
        "Four men were shot dead last week.",
    ],
)
def test_single_events_are_not_cumulative(nlp, text):
    found = casualties(nlp, text)
    assert found and not any(cumulative for _, _, cumulative, _ in found)


def test_subsets_and_coordinated_numbers_share_what_and_scope(nlp):
    found = casualties(
        nlp, "At least 108 civilians have been killed and 75 others injured since May."
    )
    assert (108, "killed", True, "at_least") in found
    assert (75, "injured", True, "exact") in found
    found = casualties(nlp, "The strike killed 10 civilians, including seven children.")
    assert {(10, "killed"), (7, "killed")} <= {(v, c) for v, c, _, _ in found}
    found = casualties(
        nlp,
        "One hundred civilians were killed, 90 of them in the market and ten nearby.",
    )
    assert {(100, "killed"), (90, "killed"), (10, "killed")} <= {
        (v, c) for v, c, _, _ in found
    }


@pytest.mark.parametrize(
    "text",
    [
        "The navy destroyed four ships and carried out six strikes over 36 hours.",
        "The region has seen fighting for 12 years.",
        "Police held 300 detainees at the stadium.",
        "The unit carried over 97 open reports from last month.",
        "Police conducted 420 encounters in the state.",
        "Another one killed in the strike was a teacher.",
        "His brother, one of the dead, was a farmer.",
        "There were no civilian casualties, the army said.",
        "2.5 million people have fled the fighting.",
    ],
)
def test_counts_that_are_never_casualties(nlp, text):
    assert casualties(nlp, text) == []


def test_a_figure_spans_the_number_and_what_it_counts(nlp):
    doc = nlp("Officials said at least 14 fishermen were killed.")
    (item,) = doc._.glossa_quantities
    assert doc[item["start"] : item["end"]].text == "at least 14 fishermen"
