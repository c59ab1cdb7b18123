"""Glossa's spaCy components on a blank English pipeline (no model needed):
matching from data, replacing data, and serialisation round trips."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from corpus.nlp import components  # noqa: E402,F401  (registers factories)
from corpus.nlp.components import CUES_KEY  # noqa: E402


def labels(doc):
    return [(s.text, s.label_) for s in doc.spans[CUES_KEY]]


def surface_only(data):
    """The shipped cue data minus patterns needing a tagger (POS, LEMMA),
    which a blank pipeline cannot match."""
    keep = {"LOWER", "ORTH", "IS_PUNCT", "OP"}
    cues = [c for c in data["cues"] if all(set(t) <= keep for t in c["pattern"])]
    return {**data, "cues": cues}


def blank_with_cues():
    from corpus.nlp.patterns import cue_patterns_v1

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    cues = nlp.add_pipe("glossa_cues_v1")
    cues.initialize(data=surface_only(cue_patterns_v1()))
    return nlp


def test_cues_match_lowercase_patterns_from_the_data_file():
    nlp = blank_with_cues()
    doc = nlp("The boat was allegedly armed. The navy could not be reached.")
    found = labels(doc)
    assert ("allegedly", "hedge") in found
    assert ("could not be reached", "refusal") in found
    assert all(s.id_ for s in doc.spans[CUES_KEY])  # every cue names its rule


def test_initialize_replaces_the_patterns():
    nlp = blank_with_cues()
    cues = nlp.get_pipe("glossa_cues_v1")
    cues.initialize(
        data={
            "cues": [
                {"label": "hedge", "id": "t.x", "pattern": [{"LOWER": "ostensibly"}]}
            ]
        }
    )
    doc = nlp("It was allegedly and ostensibly armed.")
    assert labels(doc) == [("ostensibly", "hedge")]


def test_scare_quotes_around_a_label_are_a_hedge():
    nlp = blank_with_cues()
    doc = nlp('Officials said six "narco-terrorists" died.')
    assert any(s.id_ == "hedge.quotes" for s in doc.spans[CUES_KEY])
    doc = nlp('He spoke of "various countries" at the summit.')
    assert not any(s.id_ == "hedge.quotes" for s in doc.spans[CUES_KEY])


@pytest.mark.parametrize("via", ["bytes", "disk"])
def test_cue_component_round_trips_its_data(tmp_path, via):
    nlp = blank_with_cues()
    cues = nlp.get_pipe("glossa_cues_v1")
    cues.initialize(
        data={
            "cues": [
                {"label": "denial", "id": "t.y", "pattern": [{"LOWER": "hogwash"}]}
            ]
        }
    )
    if via == "bytes":
        other = blank_with_cues()
        other.from_bytes(nlp.to_bytes())
    else:
        nlp.to_disk(tmp_path / "pipe")
        other = spacy.load(tmp_path / "pipe")
    doc = other("That story is hogwash, allegedly.")
    assert labels(doc) == [("hogwash", "denial")]


def test_quantity_and_attribution_components_round_trip(tmp_path):
    nlp = spacy.blank("en")
    quantities = nlp.add_pipe("glossa_quantities_v1")
    attribution = nlp.add_pipe("glossa_attribution_v2")
    quantities.data["number_words"]["umpteen"] = 99
    nlp.to_disk(tmp_path / "pipe")
    other = spacy.load(tmp_path / "pipe")
    assert other.get_pipe("glossa_quantities_v1").words["umpteen"] == 99
    assert other.get_pipe("glossa_attribution_v2").data == attribution.data


def test_line_breaks_start_sentences_and_closing_quotes_do_not():
    nlp = spacy.blank("en")
    nlp.add_pipe("glossa_sentence_breaks_v1")
    doc = nlp('Navy kills six\nThe navy said "they were armed." He added more.')
    starts = {t.text for t in doc if t.is_sent_start}
    assert "The" in starts
    closing = [t for t in doc if t.text == '"'][-1]
    assert closing.is_sent_start is False


def test_scare_quotes_can_be_switched_off_in_the_config():
    from corpus.nlp.patterns import cue_patterns_v1

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    cues = nlp.add_pipe("glossa_cues_v1", config={"scare_quotes": False})
    cues.initialize(data=surface_only(cue_patterns_v1()))
    doc = nlp('Officials said six "narco-terrorists" died.')
    assert not any(s.id_ == "hedge.quotes" for s in doc.spans[CUES_KEY])
    assert nlp.config["components"]["glossa_cues_v1"]["scare_quotes"] is False
