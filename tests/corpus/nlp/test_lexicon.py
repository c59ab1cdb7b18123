"""Word lists that survive case and inflection, and the checks that name a
bad pattern entry (no spaCy model needed: blank pipelines)."""

from __future__ import annotations

import copy

import pytest

spacy = pytest.importorskip("spacy")

from corpus.nlp import components  # noqa: E402,F401  (registers factories)
from corpus.nlp.cues import validate_cue_data  # noqa: E402
from corpus.nlp.lexicon import (  # noqa: E402
    Inflector,
    PatternDataError,
    regular_forms,
)
from corpus.nlp.patterns import cue_patterns_v1, quantity_lexicon_v1  # noqa: E402
from corpus.nlp.quantities import validate_quantity_data  # noqa: E402
from corpus.nlp.validation import PatternError  # noqa: E402


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("militant", {"militant", "militants"}),
        ("dispute", {"disputes", "disputed", "disputing"}),
        ("deny", {"denies", "denied", "denying"}),
        ("target", {"targets", "targeted", "targeting"}),
        ("crash", {"crashes", "crashed"}),
        ("die", {"dies", "died", "dying"}),
    ],
)
def test_regular_inflections(lemma, forms):
    assert forms <= regular_forms(lemma)


def test_irregular_forms_and_multi_part_words():
    inflector = Inflector({"fight": ["fought"], "person": ["people"]})
    assert "fought" in inflector.forms("fight")
    assert "people" in inflector.forms("person")
    assert "narco-terrorists" in inflector.forms("narco-terrorist")
    index = inflector.form_index(["fight", "person"])
    assert index["fought"] == "fight" and index["people"] == "person"


def blank_cues(data):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    cues = nlp.add_pipe("glossa_cues_v1")
    cues.initialize(data=data)
    return nlp


def test_a_lemma_cue_matches_every_case_and_inflection_without_a_tagger():
    nlp = blank_cues(
        {
            "cues": [
                {
                    "label": "legal_official",
                    "id": "t.terrorist",
                    "pattern": [{"LEMMA": "terrorist"}],
                },
                {
                    "label": "denial",
                    "id": "t.dispute",
                    "pattern": [{"LEMMA": "dispute"}, {"LOWER": "the"}],
                },
            ]
        }
    )
    doc = nlp("TERRORISTS or Terrorists? The army disputed the count.")
    found = [(s.text, s.label_) for s in doc.spans["glossa_cues"]]
    assert ("TERRORISTS", "legal_official") in found
    assert ("Terrorists", "legal_official") in found
    assert ("disputed the", "denial") in found


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["cues"].append({"id": "x.y", "pattern": [{"LOWER": "a"}]}), "x.y"),
        (
            lambda d: d["cues"].append(
                {"id": "x.z", "label": "hedge", "pattern": [{"LOWR": "a"}]}
            ),
            "unknown keys LOWR",
        ),
        (lambda d: d["cues"].append(dict(d["cues"][0])), "used twice"),
        (
            lambda d: d["cues"].append(
                {
                    "id": "x.w",
                    "label": "hedge",
                    "pattern": [{"LEMMA": "a", "LOWER": "a"}],
                }
            ),
            "both LEMMA and LOWER",
        ),
        (lambda d: d.update(negations="not"), None),
        (lambda d: d.update(act_nouns=[1, 2]), "act_nouns"),
    ],
)
def test_bad_cue_data_names_the_entry(change, message):
    data = copy.deepcopy(cue_patterns_v1())
    change(data)
    if message is None:  # a single word is accepted as a list of one
        validate_cue_data(data)
        return
    with pytest.raises(PatternError, match=message):
        validate_cue_data(data)


def test_an_invalid_matcher_pattern_fails_when_the_component_is_built():
    with pytest.raises(PatternDataError, match=r"cue x\.bad"):
        blank_cues(
            {
                "cues": [
                    {
                        "label": "hedge",
                        "id": "x.bad",
                        "pattern": [{"LOWER": {"IN": ["a", 3]}}],
                    }
                ]
            }
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("count_nouns"), "missing count_nouns"),
        (lambda d: d["number_words"].update(umpteen="many"), "umpteen"),
        (lambda d: d["vague_words"].update(loads=[5]), "loads"),
        (lambda d: d["event_words"].update(killed="kill"), None),
        (lambda d: d["bounds"].update(about=[[]]), "bounds: about"),
        (lambda d: d.update(person_nouns=[""]), "person_nouns"),
    ],
)
def test_bad_quantity_data_names_the_entry(change, message):
    data = copy.deepcopy(quantity_lexicon_v1())
    change(data)
    if message is None:
        validate_quantity_data(data)
        return
    with pytest.raises(PatternError, match=message):
        validate_quantity_data(data)


def test_the_shipped_data_is_valid_and_holds_no_word_list_in_python():
    validate_cue_data(copy.deepcopy(cue_patterns_v1()))
    validate_quantity_data(copy.deepcopy(quantity_lexicon_v1()))
    nlp = spacy.blank("en")
    quantities = nlp.add_pipe("glossa_quantities_v1")
    data = copy.deepcopy(quantities.data)
    data["count_nouns"]["killed"].append("goner")
    quantities.initialize(data=data)
    assert quantities.noun_counts["goner"] == "killed"
    assert quantities.forms["goners"] == "goner"
