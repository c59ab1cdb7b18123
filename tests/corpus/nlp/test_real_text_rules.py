"""General rules drawn from real texts (issue 12), on the full pipeline and,
for page furniture, on a blank pipeline: captions and release furniture are
never claims; who speaks (hospital staff, UN experts named again); denials,
police accounts of lethal force, illegality words that judge nothing; and
casualty figures worded as breakdowns, ranges and vague totals. Every text
is written for these tests (fictional names and places)."""

from __future__ import annotations

import pytest

from corpus.nlp.context import DocumentContext

spacy = pytest.importorskip("spacy")

from corpus.nlp import components  # noqa: E402,F401  (registers factories)

OSKARIA = DocumentContext(
    source_kind="outlet",
    source_name="Harbour Times",
    acting_states=("Oskaria", "Freedonia"),
)


# --- page furniture on a blank pipeline (no model needed) -----------------


def furniture_of(text: str) -> dict[str, str]:
    nlp = spacy.blank("en")
    nlp.add_pipe("glossa_sentence_breaks_v1")
    nlp.add_pipe("glossa_voice_v1")
    doc = nlp(text)
    return {span.text.strip(): span.label_ for span in doc.spans["glossa_furniture"]}


def test_photo_captions_are_furniture():
    found = furniture_of(
        "Strike on Port Alder market kills nine\n"
        "Survivors of the raid receive treatment in Port Alder on May 2 "
        "[Harbour Wire]\n"
        "Rescue teams search the rubble of the market hall.\n"
        "\u00a9 2024 Lena Marsh/Harbour Images\n"
        "Medics carry a stretcher near the port. (AP Photo/Ivo Crane)\n"
        "Nine people were killed, the mayor said."
    )
    caption = "Survivors of the raid receive treatment in Port Alder on May 2 "
    assert found[caption + "[Harbour Wire]"] == "caption"
    assert found["Rescue teams search the rubble of the market hall."] == "caption"
    assert (
        found["Medics carry a stretcher near the port. (AP Photo/Ivo Crane)"]
        == "caption"
    )
    assert "Nine people were killed, the mayor said." not in found
    assert "Strike on Port Alder market kills nine" not in found


def test_release_furniture_and_link_lists_are_furniture():
    found = furniture_of(
        "For immediate release\n"
        "Statement:\n"
        "The ministry regrets the loss of life in Port Alder.\n"
        "Media contact: Dana Holt, +44 20 7946 0000, press@ministry.example\n"
        "#PortAlder #Oskaria\n"
        "Read more:\n"
        "Oskaria says 26 bodies found after storm\n"
        "Navy chief visits Port Alder\n"
        "The strikes will be reviewed next week."
    )
    for line in (
        "For immediate release",
        "Statement:",
        "Media contact: Dana Holt, +44 20 7946 0000, press@ministry.example",
        "#PortAlder #Oskaria",
        "Read more:",
        "Oskaria says 26 bodies found after storm",
        "Navy chief visits Port Alder",
    ):
        assert line in found, line
    assert "The ministry regrets the loss of life in Port Alder." not in found
    assert "The strikes will be reviewed next week." not in found


# --- the full pipeline ---------------------------------------------------


@pytest.fixture(scope="module")
def run(nlp):
    """Text and context -> predictions keyed by their first words."""
    from annotations.rules import sentence_predictions
    from corpus.nlp import doc_to_data

    def analyse(text: str, context: DocumentContext | None = OSKARIA):
        doc = nlp.make_doc(text)
        doc._.glossa_context = context
        data = doc_to_data(nlp(doc))
        return {p["text"][:30]: p for p in sentence_predictions(data, text)}

    return analyse


def one(predictions, start: str):
    return next(p for key, p in predictions.items() if key.startswith(start))


def numbers(prediction):
    return sorted(
        (n["value"], n["counts"], n["cumulative"], n["bound"])
        for n in prediction["numbers"]
    )


@pytest.mark.spacy
def test_a_caption_is_no_claim_and_counts_no_one(run):
    got = run(
        "Strike on Port Alder market kills nine\n\n"
        "Survivors of the raid receive treatment in Port Alder, where 40 people "
        "died [Harbour Wire]\n\n"
        "Nine people were killed in the strike, the mayor said."
    )
    caption = one(got, "Survivors of the raid")
    assert caption["tags"] == []
    assert caption["numbers"] == []
    assert "casualty_figure" in one(got, "Nine people were killed")["tags"]


@pytest.mark.spacy
def test_hospital_staff_and_relatives_speak_as_witnesses(run):
    got = run(
        "Twelve women and eight children were among those who died, hospital "
        "officials said. "
        "Doctors at the clinic said 30 children were among the dead. "
        "Relatives and the Oskarian army said the convoy was hit twice."
    )
    officials = one(got, "Twelve women")
    assert officials["claimant_type"] == "witness"
    assert "official_claim" not in officials["tags"]
    assert numbers(officials) == [
        (8, "killed", False, "exact"),
        (12, "killed", False, "exact"),
    ]
    doctors = one(got, "Doctors at the clinic")
    assert doctors["claimant_type"] == "witness"
    assert numbers(doctors) == [(30, "killed", False, "exact")]
    # Beside a party, witnesses give way to it.
    assert one(got, "Relatives and the")["claimant_type"] == "acting_government"


@pytest.mark.spacy
def test_un_experts_named_again_stay_un(run):
    got = run(
        "Independent UN human rights experts on Friday voiced concern over the deaths. "
        "The experts said the force used appears to have violated international norms. "
        '"Such killings must stop," they said.'
    )
    said = one(got, "The experts said")
    assert said["claimant_type"] == "un"
    assert "experts_say_illegal" in said["tags"]
    assert one(got, '"Such killings must stop')["claimant_type"] == "un"


@pytest.mark.spacy
def test_denials_worded_as_counter_statements(run):
    got = run(
        "The ministry said it was targeting only military sites. "
        "The ministry said the rebels were dumping fake body bags. "
        "Freedonia did not target civilians, the defence minister said. "
        "It was not possible to verify the reports, the army said."
    )
    for start in (
        "The ministry said it was",
        "The ministry said the rebels",
        "Freedonia did not",
    ):
        assert "denial_or_rebuttal" in one(got, start)["tags"], start
    assert "denial_or_rebuttal" not in one(got, "It was not possible")["tags"]


@pytest.mark.spacy
def test_police_accounts_of_lethal_force_are_legal_framing(run):
    got = run(
        "Police said they fired in retaliation after the suspect shot at them. "
        "A police officer said the team returned fire in self-defence. "
        "Police said the suspect was killed in an encounter near the river. "
        "The coalition supports the legitimate government of Marenna, the "
        "ministry said. "
        "The army told residents to stay away from military targets."
    )
    assert (
        "legal_characterization_by_official"
        in one(got, "Police said they fired")["tags"]
    )
    assert "legal_characterization_by_official" in one(got, "A police officer")["tags"]
    assert (
        "legal_characterization_by_official"
        in one(got, "Police said the suspect")["tags"]
    )
    assert (
        "legal_characterization_by_official"
        not in one(got, "The coalition supports")["tags"]
    )
    assert (
        "legal_characterization_by_official"
        not in one(got, "The army told residents")["tags"]
    )


@pytest.mark.spacy
def test_illegality_words_that_judge_no_act(run):
    got = run(
        "Harbour Rights Watch said the officer, aged 23, was charged with murder "
        "in 2019. "
        "Such crimes must never go unpunished, the group said. "
        "Under international law, indiscriminate attacks amount to war crimes, "
        "the group said. "
        "The group said the strikes were unlawful."
    )
    charged = one(got, "Harbour Rights Watch said")
    assert "experts_say_illegal" not in charged["tags"]
    assert charged["numbers"] == []  # an age and a year count no one
    assert "experts_say_illegal" not in one(got, "Such crimes")["tags"]
    assert "experts_say_illegal" not in one(got, "Under international law")["tags"]
    assert "experts_say_illegal" in one(got, "The group said the strikes")["tags"]


@pytest.mark.spacy
def test_ranges_approximations_and_vague_totals(run):
    got = run(
        "The coalition lost 1,200-1,500 personnel, with approximately 1100 troops "
        "killed. "
        "Between 10 and 15 people were killed in the strike on Tuesday. "
        "The war has killed tens of thousands of people. "
        "As of March 2024, the mission had documented the killing of 5,120 civilians."
    )
    assert numbers(one(got, "The coalition lost")) == [
        (1100, "killed", False, "about"),
        (1200, "killed", False, "range"),
    ]
    assert numbers(one(got, "Between 10 and 15")) == [(10, "killed", False, "range")]
    vague = one(got, "The war has killed")
    assert [(n["value"], n["bound"], n["text"]) for n in vague["numbers"]] == [
        (20000, "at_least", "tens of thousands")
    ]
    assert numbers(one(got, "As of March 2024")) == [(5120, "killed", True, "exact")]


@pytest.mark.spacy
def test_an_untyped_inner_source_gives_way_to_the_speaker(run):
    got = run(
        "Coalition spokesman Ilan Varr said: the review found that the vehicle was "
        "a legitimate military target."
    )
    said = one(got, "Coalition spokesman")
    assert said["claimant_type"] == "acting_government"
    assert "legal_characterization_by_official" in said["tags"]


@pytest.mark.spacy
def test_the_statement_in_a_news_report_is_the_last_sources(run):
    got = run(
        "The Oskarian navy said in a press release on Monday that nine people died. "
        '"The boat was operated by a designated terrorist organisation," the '
        "statement said."
    )
    quoted = one(got, '"The boat was operated')
    assert quoted["claimant_type"] == "acting_government"
    assert "legal_characterization_by_official" in quoted["tags"]
