"""Glossa's attribute ruler (corpus.nlp.attributes) gives the model's results.

``add_components`` swaps the model's ``attribute_ruler`` for a subclass that
looks one-token rules up in tables; every token's POS, MORPH and LEMMA must
be what the model's own ruler gives, and its match list the same, on the
repository's texts and on the rules' special cases (several-token rules,
regular expressions, NOT_IN, spaces), in English and in Spanish.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.nlp import get_nlp, load_model, model_for
from corpus.nlp.attributes import GlossaAttributeRuler

ROOT = Path(__file__).resolve().parents[3]

SPECIAL = [
    "I ain't gonna wait, let's go. Gotta see it, y'all; c'mon, nothin' else.",
    "There is a boat and there are two more; there's no warning, there were none.",
    "He has been told. It will be done, and they were given nothing.",
    "Which ones? That one, those vessels, all of them.\n\n  \n\t Line two.",
    "“We did not,” the minister said — “never.”",
]


def texts() -> list[str]:
    gold = ROOT / "annotations/gold/claims.jsonl"
    found = [
        json.loads(line)["text"]
        for line in gold.read_text().splitlines()
        if line.strip()
    ]
    found += [p.read_text() for p in sorted((ROOT / "samples").glob("*.txt"))]
    return found + SPECIAL


@pytest.mark.parametrize("lang", ["en", "es"])
def test_same_tokens_and_matches_as_the_model_ruler(lang):
    ours = get_nlp(lang)
    ruler = ours.get_pipe("attribute_ruler")
    assert isinstance(ruler, GlossaAttributeRuler)
    model = load_model(str(model_for(lang)))
    theirs = model.get_pipe("attribute_ruler")
    assert type(theirs) is not GlossaAttributeRuler
    assert ruler.patterns == theirs.patterns
    names = list(model.pipe_names)
    for text in texts():
        expected = model(text)
        with ours.select_pipes(enable=names):
            got = ours(text)
        assert ruler.match(expected) == theirs.match(expected)
        for a, b in zip(expected, got, strict=True):
            assert (a.pos_, str(a.morph), a.lemma_, a.tag_) == (
                b.pos_,
                str(b.morph),
                b.lemma_,
                b.tag_,
            ), (text, a.i, a.text)


def test_rules_added_later_are_used():
    nlp = load_model(str(model_for("en")))
    from corpus.nlp.attributes import speed_up_attribute_ruler

    speed_up_attribute_ruler(nlp)
    ruler = nlp.get_pipe("attribute_ruler")
    nlp("A first call builds the tables.")
    ruler.add([[{"LOWER": "vessel"}]], {"LEMMA": "VESSEL-X"})
    ruler.add([[{"LOWER": "two"}, {"LOWER": "boats"}]], {"LEMMA": "PAIR"}, index=-1)
    doc = nlp("The vessel sank and two boats left.")
    assert [t.lemma_ for t in doc if t.lower_ in ("vessel", "boats")] == [
        "VESSEL-X",
        "PAIR",
    ]
