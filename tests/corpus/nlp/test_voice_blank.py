"""The document-voice component and the pattern-data checks on a blank
English pipeline (no model): the voice from the context, the voice inferred
from press-release furniture, page furniture, and clear errors for bad
pattern data. Texts are written for these tests (fictional names)."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from corpus.nlp import components  # noqa: E402,F401  (registers factories)
from corpus.nlp.context import DocumentContext  # noqa: E402
from corpus.nlp.validation import PatternError  # noqa: E402


def blank_voice(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("glossa_sentence_breaks_v1")
    nlp.add_pipe("glossa_voice_v1", config=config)
    return nlp


def voice_of(nlp, text, context=None):
    doc = nlp.make_doc(text)
    doc._.glossa_context = context
    return nlp(doc)._.glossa_voice


@pytest.mark.parametrize(
    ("source_kind", "document_kind", "expected"),
    [
        ("ngo", "", "rights_group"),
        ("un_body", "statement", "un"),
        ("outlet", "article", "reporter"),
        ("wire", "", "reporter"),
        ("outlet", "op_ed", "columnist"),
        ("court", "", "expert"),
        ("academic", "report", "expert"),
    ],
)
def test_voice_follows_the_source_kind(source_kind, document_kind, expected):
    nlp = blank_voice()
    context = DocumentContext(
        source_kind=source_kind,
        source_name="Harbour Desk (via Port Wire)",
        document_kind=document_kind,
    )
    voice = voice_of(nlp, "The boat sank on Monday.", context)
    assert voice["claimant_type"] == expected
    assert voice["claimant"] == "Harbour Desk"  # "(via ...)" is the carrier
    assert voice["inferred"] is False
    assert source_kind in voice["evidence"]


def test_a_government_publisher_is_acting_or_other_by_state():
    nlp = blank_voice()
    own = DocumentContext(
        source_kind="military",
        source_name="Veridian Navy",
        acting_states=("Veridia",),
    )
    foreign = DocumentContext(
        source_kind="government",
        source_name="Marennan Foreign Ministry",
        acting_states=("Veridia",),
    )
    unknown = DocumentContext(source_kind="government", source_name="The Ministry")
    assert voice_of(nlp, "Text.", own)["claimant_type"] == "acting_government"
    assert voice_of(nlp, "Text.", foreign)["claimant_type"] == "other_government"
    assert voice_of(nlp, "Text.", unknown)["claimant_type"] == "acting_government"


def test_legal_commentary_publishers_speak_as_experts():
    nlp = blank_voice()
    context = DocumentContext(
        source_kind="outlet", source_name="Lawfare", document_kind="op_ed"
    )
    assert voice_of(nlp, "Text.", context)["claimant_type"] == "expert"


def test_voice_is_inferred_from_press_release_furniture():
    nlp = blank_voice()
    voice = voice_of(
        nlp,
        "Press release from Tidewatch, a maritime rights group\n\n"
        "Tidewatch condemns the killing of nine fishermen.",
    )
    assert voice["claimant"] == "Tidewatch"
    assert voice["claimant_type"] == "rights_group"
    assert voice["inferred"] is True
    assert "press release" in voice["evidence"]


def test_without_source_or_furniture_the_reporter_speaks():
    nlp = blank_voice()
    voice = voice_of(nlp, "Navy sinks boat\n\nThe navy sank a boat on Monday.")
    assert voice["claimant_type"] == "reporter"
    assert voice["claimant"] == ""
    assert voice["inferred"] is True


def test_an_op_ed_without_source_kind_is_its_columnist():
    nlp = blank_voice()
    context = DocumentContext(document_kind="op_ed")
    voice = voice_of(nlp, "The strikes must stop.", context)
    assert voice["claimant_type"] == "columnist"
    assert voice["inferred"] is True


def test_page_furniture_and_datelines_go_to_the_configured_spans_key():
    nlp = blank_voice(spans_key="page_bits")
    doc = nlp(
        "Navy sinks boat off Lerna\n\n"
        "By Ana Pell and Tomas Greer\n\n"
        "Photo: a patrol boat at the harbour\n\n"
        "PORT ALDER (Harbour Wire) - The navy said it sank a boat.\n\n"
        "Read more: the campaign so far"
    )
    found = [(s.label_, s.text) for s in doc.spans["page_bits"]]
    assert ("furniture", "By Ana Pell and Tomas Greer") in found
    assert ("furniture", "Photo: a patrol boat at the harbour") in found
    assert ("furniture", "Read more: the campaign so far") in found
    assert ("dateline", "PORT ALDER (Harbour Wire) -") in found
    assert not any(t.startswith(("Navy", "The navy")) for _, t in found)
    assert "glossa_furniture" not in doc.spans


def test_components_can_be_listed_in_a_pipeline_config():
    nlp = blank_voice()
    config = nlp.config["components"]["glossa_voice_v1"]
    assert config["spans_key"] == "glossa_furniture"
    assert config["voice"] == {"@misc": "glossa.voice_lexicon.v1"}


def test_bad_voice_data_names_the_entry():
    from corpus.nlp.patterns import claimant_lexicon_v2, voice_lexicon_v1

    nlp = blank_voice()
    voice = nlp.get_pipe("glossa_voice_v1")
    bad = {**voice_lexicon_v1(), "source_kinds": {"ngo": "charity"}}
    with pytest.raises(PatternError, match=r"voice\.source_kinds\.ngo is 'charity'"):
        voice.initialize(data={"voice": bad, "claimants": claimant_lexicon_v2()})
    bad = {**voice_lexicon_v1(), "furniture": ["press release", 7]}
    with pytest.raises(PatternError, match=r"voice\.furniture\[1\]"):
        voice.initialize(data={"voice": bad, "claimants": claimant_lexicon_v2()})


def test_bad_claimant_lexicon_names_the_entry():
    from corpus.nlp.claimants import ClaimantTyper
    from corpus.nlp.patterns import claimant_lexicon_v2

    good = claimant_lexicon_v2()
    roles = {**good["roles"], "un": {"lemmas": ["un", ""]}}
    with pytest.raises(PatternError, match=r"claimants\.roles\.un\.lemmas\[1\]"):
        ClaimantTyper({**good, "roles": roles})
    with pytest.raises(PatternError, match=r"claimants\.order\[0\] is 'official'"):
        ClaimantTyper({**good, "order": ["official", *good["order"]]})
    with pytest.raises(PatternError, match="unknown keys: colour"):
        ClaimantTyper({**good, "colour": "red"})


def test_bad_reporting_verbs_name_the_entry():
    from corpus.nlp.patterns import (
        claimant_lexicon_v2,
        reporting_verbs_v1,
        voice_lexicon_v1,
    )

    nlp = spacy.blank("en")
    attribution = nlp.add_pipe("glossa_attribution_v2")
    bad = {**reporting_verbs_v1(), "negative": "deny"}
    with pytest.raises(PatternError, match=r"reporting_verbs\.negative must be a list"):
        attribution.initialize(
            data={
                "verbs": bad,
                "claimants": claimant_lexicon_v2(),
                "voice": voice_lexicon_v1(),
            }
        )


def test_the_claimant_typer_splits_governments_by_the_acting_state():
    from corpus.nlp.claimants import ClaimantTyper
    from corpus.nlp.patterns import claimant_lexicon_v2

    nlp = spacy.blank("en")
    typer = ClaimantTyper(claimant_lexicon_v2())
    acting = typer.keys_of_names(["United States"])

    def kind(text):
        return typer.type_of(list(nlp(text)), acting)

    assert kind("Washington officials") == "acting_government"
    assert kind("the Pentagon") == "acting_government"
    assert kind("the Russian foreign ministry") == "other_government"
    assert kind("Houthi health officials") == "other_government"
    assert kind("UN special rapporteur") == "un"
    assert kind("Russia's U.N. ambassador") == "other_government"
    assert kind("a former military prosecutor") == "expert"
    assert kind("a senator") == "legislator"
    assert kind("relatives of the dead") == "witness"
    assert kind("a Reuters witness") == "witness"
    assert kind("the news agency") == "media"
    assert kind("Human Rights Council-appointed experts") == "un"
    assert kind("critics") == ""
    # No acting state known: every government is the acting one.
    assert typer.type_of(list(nlp("the Russian ministry")), set()) == (
        "acting_government"
    )
