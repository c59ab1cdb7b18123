"""Who speaks, on the full pipeline: the document's voice, speakers kept
across sentences and paragraphs, claimant types by acting state, furniture
that is never a claimant. Texts written for these tests (fictional names)."""

from __future__ import annotations

import pytest

from corpus.nlp.context import DocumentContext

pytestmark = pytest.mark.spacy


@pytest.fixture(scope="module")
def run(nlp):
    """Text and context -> the analysis' sentences, keyed by their start."""
    from corpus.nlp import doc_to_data

    def analyse(text: str, context: DocumentContext | None = None):
        doc = nlp.make_doc(text)
        doc._.glossa_context = context
        data = doc_to_data(nlp(doc))
        sentences = {text[s["start"] : s["end"]][:24]: s for s in data["sentences"]}
        return data, sentences

    return analyse


def sentence(sentences, start):
    return next(s for key, s in sentences.items() if key.startswith(start))


VERIDIA = ("Veridia",)


def test_an_ngo_release_speaks_as_the_ngo(run):
    data, sentences = run(
        "Tidewatch: the killings at sea must stop\n\n"
        "The Veridian navy has killed 41 people in boat strikes since August. "
        "These killings are unlawful.",
        DocumentContext(
            source_kind="ngo", source_name="Tidewatch", acting_states=VERIDIA
        ),
    )
    assert data["voice"]["claimant_type"] == "rights_group"
    assert data["voice"]["inferred"] is False
    unlawful = sentence(sentences, "These killings")
    assert unlawful["claimant"] == "Tidewatch"
    assert unlawful["claimant_type"] == "rights_group"
    assert unlawful["claimant_via"] == "voice"


def test_a_news_article_speaks_as_its_reporter(run):
    _, sentences = run(
        "The navy sank a boat on Monday. Nine people were aboard.",
        DocumentContext(source_kind="outlet", source_name="Harbour Times"),
    )
    aboard = sentence(sentences, "Nine people")
    assert aboard["claimant_type"] == "reporter"
    assert aboard["claimant_via"] == "voice"


def test_a_quotation_over_paragraphs_keeps_its_speaker(run):
    _, sentences = run(
        "\u201cWe struck a vessel run by a cartel,\u201d the Veridian defence "
        "ministry said in a statement.\n\n"
        "\u201cThe crew were armed. All of them were killed.\n\n"
        "\u201cWe will publish our findings,\u201d the statement added.\n\n"
        "\u201cNo forces were harmed.\u201d",
        DocumentContext(source_kind="outlet", source_name="Harbour Times"),
    )
    for start in ("\u201cThe crew", "All of them", "\u201cWe will", "\u201cNo forces"):
        s = sentence(sentences, start)
        assert s["claimant"] == "Veridian defence ministry", start
        assert s["claimant_type"] == "acting_government", start
    assert sentence(sentences, "All of them")["claimant_via"] == "quotation"


def test_he_added_and_the_statement_said_resolve(run):
    _, sentences = run(
        "Defence Minister Ola Brant said the boat carried drugs. "
        "He added that the crew had fired first. "
        "The statement said the navy acted in self-defence.",
        DocumentContext(
            source_kind="government",
            source_name="Veridian Ministry of Defence",
            acting_states=VERIDIA,
        ),
    )
    added = sentence(sentences, "He added")
    assert added["claimant"] == "Defence Minister Ola Brant"
    assert added["claimant_type"] == "acting_government"
    statement = sentence(sentences, "The statement said")
    assert statement["claimant"] == "Veridian Ministry of Defence"
    assert statement["claimant_type"] == "acting_government"


def test_a_colon_introduces_the_paragraph_that_follows(run):
    _, sentences = run(
        "The navy said in a statement on Sunday:\n\n"
        "Our forces struck a vessel in international waters. "
        "Three people aboard were killed.\n\n"
        "The boat's owner could not be reached.",
        DocumentContext(source_kind="wire", source_name="Port Wire"),
    )
    for start in ("Our forces", "Three people"):
        s = sentence(sentences, start)
        assert s["claimant"] == "navy", start
        assert s["claimant_type"] == "acting_government", start
    assert sentence(sentences, "The boat's owner")["claimant_type"] == "reporter"


def test_officials_of_other_states_are_other_government(run):
    text = (
        "Veridian jets bombed a fishing boat on Monday. "
        "Marenna's foreign minister said the boat carried only fishermen. "
        "Veridia's defence minister said the crew were smugglers."
    )
    _, sentences = run(
        text, DocumentContext(source_kind="outlet", acting_states=VERIDIA)
    )
    assert sentence(sentences, "Marenna's")["claimant_type"] == "other_government"
    assert sentence(sentences, "Veridia's")["claimant_type"] == "acting_government"
    # The same text in a project on Marenna's forces reads the other way.
    _, sentences = run(
        text, DocumentContext(source_kind="outlet", acting_states=("Marenna",))
    )
    assert sentence(sentences, "Marenna's")["claimant_type"] == "acting_government"
    assert sentence(sentences, "Veridia's")["claimant_type"] == "other_government"


def test_a_city_police_force_is_the_acting_state(run):
    _, sentences = run(
        "Port Alder police said the man had resisted arrest.",
        DocumentContext(source_kind="outlet", acting_states=VERIDIA),
    )
    assert sentence(sentences, "Port Alder")["claimant_type"] == "acting_government"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A rights group said the strikes were unlawful.", "rights_group"),
        ("Senator Ada Mory said the strikes were unlawful.", "legislator"),
        ("A law professor said the strikes were unlawful.", "expert"),
        ("Relatives of the dead said the boat carried fishermen.", "witness"),
        ("The Harbour Gazette reported that the boat carried fishermen.", "media"),
    ],
)
def test_sources_with_a_verb_of_saying_are_not_the_government(run, text, expected):
    _, sentences = run(
        text, DocumentContext(source_kind="outlet", acting_states=VERIDIA)
    )
    assert next(iter(sentences.values()))["claimant_type"] == expected


def test_an_outlet_citing_an_official_gives_the_official(run):
    _, sentences = run(
        "The boat carried two tonnes of cocaine, the Harbour Gazette reported, "
        "according to a Veridian official.",
        DocumentContext(source_kind="outlet", acting_states=VERIDIA),
    )
    first = next(iter(sentences.values()))
    assert first["claimant"] == "Veridian official"
    assert first["claimant_type"] == "acting_government"


def test_bylines_and_datelines_are_never_claimants(run):
    data, sentences = run(
        "Navy sinks boat\n\n"
        "By Ana Pell\n\n"
        "PORT ALDER (Harbour Wire) - It said nine people were killed.",
        DocumentContext(source_kind="wire", source_name="Harbour Wire"),
    )
    byline = sentence(sentences, "By Ana Pell")
    assert byline["is_claim"] is False
    assert {f["label"] for f in data["furniture"]} == {"furniture", "dateline"}
    assert all("PORT ALDER" not in a["claimant"] for a in data["attributions"])
    assert all("Ana Pell" not in a["claimant"] for a in data["attributions"])


def test_without_context_the_acting_state_is_inferred(run):
    _, sentences = run(
        "Veridian jets bombed a fishing boat on Monday. "
        "Marenna's foreign minister said the boat carried only fishermen."
    )
    assert sentence(sentences, "Marenna's")["claimant_type"] == "other_government"


def test_the_stored_analysis_is_what_the_pipeline_produced(nlp, run):
    """doc_to_data decides nothing: its claimants are the claims
    component's, and the claims spans carry the same types."""
    from corpus.nlp import doc_to_data

    text = (
        "Defence Minister Ola Brant said the boat carried drugs. "
        "The strikes are unlawful, a UN rapporteur said."
    )
    doc = nlp(text)
    data = doc_to_data(doc)
    claims = doc._.glossa_claims["sentences"]
    assert [s["claimant_type"] for s in data["sentences"]] == [
        c["claimant_type"] for c in claims
    ]
    assert [s.label_ for s in doc.spans["glossa_claims"]] == [
        "acting_government",
        "un",
    ]
    assert len(doc.spans["glossa_attributions"]) == len(data["attributions"])


def test_citing_names_the_original_source_and_he_refers_to_it(run):
    _, sentences = run(
        '"The navy will inform the families," the state news agency said, '
        "citing a navy spokesman. "
        "He said the boat had ignored three warnings.",
        DocumentContext(source_kind="wire", acting_states=VERIDIA),
    )
    first = sentence(sentences, '"The navy will')
    assert first["claimant"] == "navy spokesman"
    assert first["claimant_type"] == "acting_government"
    he = sentence(sentences, "He said")
    assert he["claimant"] == "navy spokesman"
    assert he["claimant_type"] == "acting_government"


def test_a_word_inside_the_quotation_is_never_the_speaker(nlp):
    """When the parser takes a word of the quotation for the subject of the
    verb after it, the speaker is the name between the quotation and the
    verb."""
    from corpus.nlp.attribution import _name_before, _quoted_apart

    doc = nlp(
        "\u201cA crossfire means nothing but a staged killing,\u201d Ilan Sobar, "
        "a local journalist, told the Harbour Gazette."
    )
    told = next(t for t in doc if t.lemma_ == "tell")
    nothing = next(t for t in doc if t.text == "nothing")
    sobar = next(t for t in doc if t.text == "Sobar")
    assert _quoted_apart(nothing, told)
    assert not _quoted_apart(sobar, told)
    assert _name_before(told).text == "Sobar"


def test_the_one_asked_to_act_is_not_a_speaker(run):
    data, _ = run(
        "The UN urged Veridia to acknowledge responsibility for the deaths. "
        "The president asked commanders to consider new rules.",
        DocumentContext(source_kind="un_body", source_name="UN Human Rights Office"),
    )
    cues = {a["cue"]["text"] for a in data["attributions"]}
    assert "acknowledge" not in cues and "consider" not in cues


def test_dated_lines_and_bars_are_furniture_not_claims(run):
    _, sentences = run(
        "Statement | Aug. 29, 2031\n\n"
        "Tuesday 2031/03/07\n\n"
        "The navy struck a vessel carrying explosives.",
        DocumentContext(source_kind="military", source_name="Veridian Navy"),
    )
    assert sentence(sentences, "Statement |")["is_claim"] is False
    assert sentence(sentences, "Tuesday")["is_claim"] is False
    assert sentence(sentences, "The navy struck")["is_claim"] is True
