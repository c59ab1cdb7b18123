"""How cues, claimant types and figures make tags, and the span each tag
points at (pure functions over analysis data: no spaCy, no database)."""

from __future__ import annotations

import pytest

from annotations.rules import sentence_predictions

TEXT = 'Officials called the dead "terrorists" and said 12 died in three strikes.'
END = len(TEXT)


def analysis(*, claimant_type="acting_government", via="attribution", cues=(), **extra):
    data = {
        "sentences": [
            {
                "start": 0,
                "end": END,
                "claimant": "Officials",
                "claimant_type": claimant_type,
                "claimant_via": via,
                "is_claim": True,
            }
        ],
        "tokens": [],
        "attributions": [],
        "cues": [
            {
                "sentence": 0,
                "claimant": "Officials",
                "claimant_type": claimant_type,
                "attribution": None,
                **cue,
            }
            for cue in cues
        ],
        "quantities": [],
    }
    data.update(extra)
    return data


def cue(label, word, rule=None, **extra):
    start = TEXT.index(word)
    return {
        "label": label,
        "rule": rule or f"{label}.test",
        "text": word,
        "start": start,
        "end": start + len(word),
        **extra,
    }


def predict(data, text=TEXT):
    (only,) = sentence_predictions(data, text)
    return only


@pytest.mark.parametrize(
    ("kind", "tagged"),
    [
        ("expert", True),
        ("un", True),
        ("rights_group", True),
        ("ngo", True),  # an older analysis's name for a rights group
        ("columnist", False),
        ("reporter", False),
        ("acting_government", False),
        ("other_government", False),
        ("witness", False),
    ],
)
def test_illegality_counts_only_from_an_independent_voice(kind, tagged):
    data = analysis(claimant_type=kind, cues=[cue("legal_illegal", "died")])
    assert ("experts_say_illegal" in predict(data)["tags"]) is tagged


@pytest.mark.parametrize(
    ("label", "kind", "tagged"),
    [
        ("legal_official", "acting_government", True),
        ("legal_official", "military", True),  # old name, same government
        ("legal_official", "other_government", False),
        ("legal_official", "rights_group", False),
        ("legal_official", "reporter", False),
        ("official_account", "acting_government", True),
        ("official_account", "reporter", False),
        ("official_account", "witness", False),
    ],
)
def test_legal_framing_needs_the_acting_government(label, kind, tagged):
    data = analysis(claimant_type=kind, cues=[cue(label, "terrorists")])
    tags = predict(data)["tags"]
    assert ("legal_characterization_by_official" in tags) is tagged


def test_an_official_label_echoed_in_scare_quotes_is_framing_in_any_voice():
    quoted = cue("hedge", '"terrorists"', rule="hedge.quotes")
    label = cue("legal_official", "terrorists")
    data = analysis(claimant_type="reporter", via="voice", cues=[quoted, label])
    fired = predict(data)["fired"]
    assert "legal_characterization_by_official" in fired
    assert fired["legal_characterization_by_official"]["span"] == {
        "start": label["start"],
        "end": label["end"],
    }
    assert "hedged_allegation" in fired


def test_a_counter_statement_is_a_denial_only_from_a_government():
    negation = cue("counter_denial", "died", rule="denial.party_negation")
    tags = predict(analysis(cues=[negation]))["tags"]
    assert "denial_or_rebuttal" in tags and "official_claim" in tags
    tags = predict(analysis(claimant_type="witness", cues=[negation]))["tags"]
    assert tags == []


def test_a_statement_of_intent_or_sympathy_is_no_official_claim():
    data = analysis(via="voice")
    assert "official_claim" in predict(data)["tags"]
    intent = cue("non_assertion", "said", rule="non_assertion.modal")
    assert "official_claim" not in predict(analysis(via="voice", cues=[intent]))["tags"]


def test_a_question_before_closing_quotes_is_no_claim():
    text = '"Will the army say who died?"'
    data = analysis(cues=[])
    data["sentences"][0]["end"] = len(text)
    data["cues"] = [
        {
            "sentence": 0,
            "label": "hedge",
            "rule": "hedge.test",
            "text": "say",
            "start": 14,
            "end": 17,
            "claimant": "",
            "claimant_type": "reporter",
            "attribution": None,
        }
    ]
    assert predict(data, text)["tags"] == []


def test_spans_mark_the_cue_the_figure_and_the_attribution():
    figure_start = TEXT.index("12 died")
    strikes_start = TEXT.index("three strikes")
    data = analysis(
        cues=[cue("hedge", '"terrorists"', rule="hedge.quotes")],
        quantities=[
            {
                "sentence": 0,
                "start": figure_start,
                "end": figure_start + 2,
                "text": "12",
                "value": 12,
                "counts": "killed",
                "bound": "exact",
                "cumulative": False,
            },
            {
                "sentence": 0,
                "start": strikes_start,
                "end": strikes_start + len("three strikes"),
                "text": "three strikes",
                "value": 3,
                "counts": "strikes",
                "bound": "exact",
                "cumulative": False,
            },
        ],
        attributions=[
            {
                "sentence": 0,
                "start": TEXT.index("said"),
                "end": END - 1,
                "claimant": "Officials",
                "claimant_type": "acting_government",
                "family": "neutral",
                "platform": "",
                "source": {"text": "Officials"},
                "cue": {"text": "said"},
                "content": {"text": "12 died in three strikes"},
            }
        ],
    )
    out = predict(data)
    fired = out["fired"]
    assert fired["casualty_figure"]["span"] == {
        "start": figure_start,
        "end": figure_start + 2,
    }
    quote_start = TEXT.index('"terrorists"')
    assert fired["hedged_allegation"]["span"] == {
        "start": quote_start,
        "end": quote_start + len('"terrorists"'),
    }
    assert fired["official_claim"]["span"] == {
        "start": TEXT.index("said"),
        "end": END - 1,
    }
    # every count is recorded with what it counts; only people make a figure
    assert [(n["value"], n["counts"]) for n in out["numbers"]] == [
        (12, "killed"),
        (3, "strikes"),
    ]


def test_no_span_when_only_the_whole_sentence_carries_the_tag():
    out = predict(analysis(via="voice"))
    assert "official_claim" in out["fired"]
    assert "span" not in out["fired"]["official_claim"]
    whole = {**cue("refusal", "Officials"), "start": 0, "end": END}
    out = predict(analysis(cues=[whole]))
    assert "span" not in out["fired"]["refusal_or_non_answer"]


def test_rules_an_owner_wrote_with_old_type_names_still_match():
    rules = [("own_tag", [{"cue": ["legal_official"], "claimant_type": ["official"]}])]
    data = analysis(cues=[cue("legal_official", "terrorists")])
    (only,) = sentence_predictions(data, TEXT, rules)
    assert only["tags"] == ["own_tag"]
    assert only["fired"]["own_tag"]["claimant_type"] == "acting_government"
