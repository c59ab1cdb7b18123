"""The claims component on a blank pipeline (no model): its decisions from
attributions and the voice given to it, its spans key and its data checks.
Texts written for these tests (fictional names)."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from corpus.nlp import components  # noqa: E402,F401  (registers factories)
from corpus.nlp.validation import PatternError  # noqa: E402

VOICE = {
    "claimant": "Harbour Times",
    "claimant_type": "reporter",
    "source_kind": "outlet",
    "inferred": False,
    "evidence": "source kind outlet",
}


def blank_claims(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("glossa_claims_v1", config=config)
    return nlp


def attribution(doc, cue, source, content, claimant, kind, how="direct"):
    """An attribution as glossa_attribution_v2 records it, by words."""

    def find(word):
        return next(t.i for t in doc if t.text == word)

    cue_i, source_i = find(cue), find(source)
    lo, hi = content
    return {
        "kind": how,
        "cue": (cue_i, cue_i + 1),
        "source": (source_i, source_i + 1),
        "source_full": (source_i, source_i + 1),
        "source_token": source_i,
        "content": (lo, hi),
        "claimant": claimant,
        "claimant_type": kind,
        "cue_lemma": cue,
        "family": "neutral",
        "platform": "",
    }


def run(nlp, text, make_attributions):
    doc = nlp.make_doc(text)
    doc._.glossa_voice = VOICE
    doc._.glossa_attributions = make_attributions(doc)
    return nlp(doc)


def types(doc):
    return [
        (s["claimant"], s["claimant_type"], s["via"])
        for s in doc._.glossa_claims["sentences"]
    ]


def test_a_quotation_keeps_its_speaker_and_the_next_quote_continues_it():
    nlp = blank_claims()
    text = (
        "\u201cWe sank the boat. Nine were aboard,\u201d Brant said. "
        "\u201cNone survived.\u201d "
        "The sea was calm."
    )
    doc = run(
        nlp,
        text,
        lambda d: [
            attribution(d, "said", "Brant", (0, 10), "Ola Brant", "acting_government")
        ],
    )
    assert types(doc) == [
        ("Ola Brant", "acting_government", "quotation"),
        ("Ola Brant", "acting_government", "attribution"),
        ("Ola Brant", "acting_government", "quotation"),
        ("Harbour Times", "reporter", "voice"),
    ]


def test_an_untyped_source_keeps_its_name_and_takes_the_voice_type():
    nlp = blank_claims()
    doc = run(
        nlp,
        "Critics said the strike was reckless.",
        lambda d: [
            attribution(d, "said", "Critics", (2, 6), "Critics", "", "indirect")
        ],
    )
    assert types(doc) == [("Critics", "reporter", "attribution")]


def test_an_outlet_gives_way_to_the_source_it_cites():
    nlp = blank_claims()
    doc = run(
        nlp,
        "The boat was armed, the Gazette reported, according to an official.",
        lambda d: [
            attribution(
                d, "reported", "Gazette", (0, 4), "Gazette", "media", "indirect"
            ),
            attribution(
                d,
                "according",
                "official",
                (0, 4),
                "official",
                "acting_government",
                "according_to",
            ),
        ],
    )
    assert types(doc) == [("official", "acting_government", "attribution")]


def test_claim_spans_go_to_the_configured_key_and_default_to_the_voice():
    nlp = blank_claims(spans_key="who_claims")
    doc = run(nlp, "Nine people died. Brant said so.", lambda d: [])
    assert "who_claims" in doc.spans
    assert "glossa_claims" not in doc.spans
    claims = doc._.glossa_claims
    assert claims["voice"] == VOICE
    assert [s["via"] for s in claims["sentences"]] == ["voice", "voice"]


def test_bad_claim_rules_name_the_entry():
    nlp = blank_claims()
    claims = nlp.get_pipe("glossa_claims_v1")
    with pytest.raises(PatternError, match=r"claims\.demand_verbs\[0\]"):
        claims.initialize(
            data={"demand_verbs": [3], "demand_preps": ["on"], "min_chars": 12}
        )
    with pytest.raises(PatternError, match=r"claims\.min_chars"):
        claims.initialize(
            data={"demand_verbs": ["urge"], "demand_preps": ["on"], "min_chars": "x"}
        )
