"""The full pipeline on sentences written for these tests (fictional names),
shaped like wire reports on lethal strikes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.spacy

REPORT = (
    "Navy kills 12 in strikes on suspected smuggling boats\n\n"
    "The Oskarian navy killed 12 people in two strikes on Sunday, Interior Minister "
    "Dara Voss said, bringing the death toll from the campaign to at least 63. "
    'In a post on X, Voss said 12 "narco-terrorists" were killed and one person '
    "survived. "
    '"The boats were known to our intelligence services," he said. '
    "The government has yet to offer any proof that the vessels carried drugs, and "
    "legal scholars say the attacks are unlawful even if the crews were smugglers. "
    "A navy spokesperson declined to comment. "
    "Voss did not specify where the survivor was taken."
)


@pytest.fixture(scope="module")
def report(analyse):
    data, predictions = analyse(REPORT)
    return data, {p["text"][:20]: p for p in predictions}, predictions


def find(predictions, start):
    return next(p for p in predictions if p["text"].startswith(start))


def test_analysis_keeps_old_keys_and_adds_new_ones(report):
    data, _, _ = report
    for key in (
        "sentences",
        "tokens",
        "entities",
        "attributions",
        "cues",
        "quantities",
    ):
        assert key in data
    assert data["tokens"][0] == {"start": 0, "end": 4, "lemma": "Navy"} or (
        data["tokens"][0]["start"] == 0 and "lemma" in data["tokens"][0]
    )
    for sentence in data["sentences"]:
        text = REPORT[sentence["start"] : sentence["end"]]
        assert text == text.strip() and text
        assert "claimant_type" in sentence


def test_headline_is_its_own_sentence(report):
    _, _, predictions = report
    assert predictions[0]["text"] == (
        "Navy kills 12 in strikes on suspected smuggling boats"
    )
    assert "hedged_allegation" in predictions[0]["tags"]


def test_no_evidence_and_experts_in_one_sentence(report):
    _, _, predictions = report
    p = find(predictions, "The government has yet")
    assert "no_evidence_provided" in p["tags"]
    assert "experts_say_illegal" in p["tags"]
    assert "official_claim" not in p["tags"]


def test_minister_post_is_an_official_claim_with_figures(report):
    data, _, predictions = report
    p = find(predictions, "In a post on X")
    assert "official_claim" in p["tags"] and "casualty_figure" in p["tags"]
    assert "legal_characterization_by_official" in p["tags"]
    assert "hedged_allegation" in p["tags"]  # the scare quotes
    assert "Voss" in p["claimant"] and p["claimant_type"] == "acting_government"
    numbers = {(n["value"], n["counts"]) for n in p["numbers"]}
    assert {(12, "killed"), (1, "survivors")} <= numbers
    platforms = [a["platform"] for a in data["attributions"]]
    assert "X" in platforms


def test_running_total_is_cumulative_and_bounded(report):
    _, _, predictions = report
    p = find(predictions, "The Oskarian navy")
    numbers = {
        (n["value"], n["counts"], n["cumulative"], n["bound"]) for n in p["numbers"]
    }
    assert (63, "killed", True, "at_least") in numbers
    assert (12, "killed", False, "exact") in numbers
    assert (2, "strikes", False, "exact") in numbers
    assert p["claimant"] == "Interior Minister Dara Voss"


def test_pronoun_source_resolves_to_the_minister(report):
    _, _, predictions = report
    p = find(predictions, '"The boats were known')
    assert p["claimant"] == "Interior Minister Dara Voss"
    assert "official_claim" in p["tags"]


def test_refusals_and_withheld_details(report):
    _, _, predictions = report
    assert find(predictions, "A navy spokesperson")["tags"] == ["refusal_or_non_answer"]
    withheld = find(predictions, "Voss did not specify")["tags"]
    assert "no_evidence_provided" in withheld and "refusal_or_non_answer" in withheld
    assert "rescue_or_survivor" in withheld


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "The minister said the fleet would stop illegal fishing near the coast.",
            "experts_say_illegal",
        ),
        (
            "There were no civilian casualties, a navy spokesperson said.",
            "casualty_figure",
        ),
        (
            "The navy said it had destroyed three boats in two strikes.",
            "casualty_figure",
        ),
        (
            '"We will hunt them down and kill them," the minister said.',
            "official_claim",
        ),
        (
            "A columnist wrote that the killings were plain murder.",
            "experts_say_illegal",
        ),
        ("It is unclear whether the boats carried drugs.", "no_evidence_provided"),
    ],
)
def test_exceptions_from_the_conventions(analyse, text, absent):
    _, predictions = analyse(text)
    assert all(absent not in p["tags"] for p in predictions)


def test_other_government_and_un_claimants(analyse):
    text = (
        "Oskarian jets bombed a fishing boat on Monday. "
        "Marenna's foreign minister said the boat carried only fishermen. "
        "A UN special rapporteur said the strike may amount to an extrajudicial "
        "execution."
    )
    _, predictions = analyse(text)
    assert predictions[1]["claimant_type"] == "other_government"
    assert predictions[2]["claimant_type"] == "un"
    assert "experts_say_illegal" in predictions[2]["tags"]


def test_denial_and_rescue(analyse):
    _, predictions = analyse(
        "The coast guard rejected the account as fake news. "
        "Rescuers pulled 14 survivors from the water after the boat capsized."
    )
    assert "denial_or_rebuttal" in predictions[0]["tags"]
    assert "rescue_or_survivor" in predictions[1]["tags"]
    assert {(n["value"], n["counts"]) for n in predictions[1]["numbers"]} == {
        (14, "survivors")
    }


def test_a_quotation_over_several_sentences_keeps_its_speaker(analyse):
    text = (
        '"We sank a boat run by narco-terrorists. Four of them were killed," '
        "Defence Minister Ola Brant said on Tuesday."
    )
    _, predictions = analyse(text)
    assert len(predictions) == 2
    first, second = predictions
    assert first["text"].startswith('"We sank')
    assert first["claimant"] == second["claimant"] == "Defence Minister Ola Brant"
    assert "legal_characterization_by_official" in first["tags"]
    assert "official_claim" in first["tags"]
    assert {(n["value"], n["counts"]) for n in second["numbers"]} == {(4, "killed")}


def test_running_totals_phrased_without_a_toll(analyse):
    _, predictions = analyse(
        "Police killings in the province rose to 230 this year, a monitoring "
        "group said. The raids bring to 41 the number of people killed since June."
    )
    first = {
        (n["value"], n["counts"], n["cumulative"]) for n in predictions[0]["numbers"]
    }
    second = {
        (n["value"], n["counts"], n["cumulative"]) for n in predictions[1]["numbers"]
    }
    assert (230, "killed", True) in first
    assert (41, "killed", True) in second
    assert predictions[0]["claimant_type"] == "rights_group"


def test_nothing_is_attributed_under_a_refusal(analyse):
    _, predictions = analyse(
        "Defence Minister Ola Brant spoke on Monday. "
        "Officials have not said how they determined that the boat carried drugs. "
        "He declined to say whether the crew was armed."
    )
    for p in predictions[1:]:
        assert "official_claim" not in p["tags"], p["text"]
        assert "refusal_or_non_answer" in p["tags"], p["text"]
    assert "no_evidence_provided" in predictions[1]["tags"]


def test_bare_demands_are_not_claims_but_embedded_illegality_counts(analyse):
    _, predictions = analyse(
        "We call on all states to make sure search and rescue is never delayed. "
        "Amnesty International urged Oskaria to end its unlawful killings at sea. "
        "A strike killed a family of five, residents said."
    )
    assert predictions[0]["tags"] == []
    assert predictions[1]["tags"] == ["experts_say_illegal"]
    assert {(n["value"], n["counts"]) for n in predictions[2]["numbers"]} == {
        (5, "killed")
    }


def test_passive_reporting_with_a_by_phrase(analyse):
    _, predictions = analyse(
        "The strikes have been condemned as unlawful by UN human rights experts."
    )
    assert predictions[0]["tags"] == ["experts_say_illegal"]
    assert predictions[0]["claimant_type"] == "un"


def test_it_resolves_to_the_state_named_as_an_earlier_subject(analyse):
    """ "It said" takes the nearest earlier subject naming a state or body."""
    data, _ = analyse(
        "Veridia launched a strike on Sunday. It said the navy killed nine "
        "smugglers aboard the boat."
    )
    assert data["sentences"][1]["claimant"] == "Veridia"
