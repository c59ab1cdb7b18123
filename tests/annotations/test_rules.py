"""Suggestion rules over analysis data (pure functions, no spaCy, no DB)."""

from __future__ import annotations

from annotations.defaults import default_tags
from annotations.rules import patterns_validate, sentence_predictions

TEXT = "The ministry said six people died at sea. Experts call it unlawful."


def data(**extra):
    base = {
        "sentences": [
            {
                "start": 0,
                "end": 34,
                "claimant": "the ministry",
                "claimant_type": "official",
                "claimant_via": "attribution",
                "is_claim": True,
            },
            {
                "start": 35,
                "end": 60,
                "claimant": "",
                "claimant_type": "unattributed",
                "claimant_via": "",
                "is_claim": True,
            },
        ],
        "tokens": [],
        "attributions": [
            {
                "sentence": 0,
                "claimant": "the ministry",
                "claimant_type": "official",
                "family": "neutral",
                "platform": "",
                "source": {"text": "The ministry"},
                "cue": {"text": "said"},
                "content": {"text": "six people died at sea", "start": 18, "end": 40},
            },
        ],
        "cues": [],
        "quantities": [
            {
                "sentence": 0,
                "text": "six",
                "value": 6,
                "counts": "killed",
                "bound": "exact",
                "cumulative": False,
            },
        ],
    }
    base.update(extra)
    return base


def test_default_patterns_are_valid():
    for tag in default_tags():
        assert patterns_validate(tag.get("patterns", [])) == [], tag["key"]


def test_validation_names_the_problem():
    errors = patterns_validate([{"cue": ["hedge"], "colour": "red"}, {"confidence": 3}])
    assert "unknown keys: colour" in errors[0]
    assert any("no condition" in e for e in errors)
    assert any("between 0 and 1" in e for e in errors)
    assert patterns_validate({"cue": "x"}) == ["Patterns must be a list of rules."]


def test_official_attribution_and_figure_fire_with_explanations():
    first, second = sentence_predictions(data(), TEXT)
    assert first["tags"] == ["official_claim", "casualty_figure"]
    assert first["numbers"][0]["value"] == 6
    assert "the ministry" in first["fired"]["official_claim"]["explanation"]
    assert first["fired"]["casualty_figure"]["rule"] == "casualty_figure:people-count"
    assert second["tags"] == []


def test_expert_rule_needs_an_independent_claimant():
    cue = {
        "sentence": 1,
        "label": "legal_illegal",
        "rule": "illegal.adjective",
        "text": "unlawful",
        "claimant": "",
        "claimant_type": "unattributed",
    }
    assert sentence_predictions(data(cues=[cue]), TEXT)[1]["tags"] == []
    expert = dict(cue, claimant="Experts", claimant_type="expert")
    assert sentence_predictions(data(cues=[expert]), TEXT)[1]["tags"] == [
        "experts_say_illegal"
    ]


def test_threat_cue_blocks_official_claim_and_zero_is_no_figure():
    threat = {
        "sentence": 0,
        "label": "threat",
        "rule": "threat.will",
        "text": "will hunt",
        "claimant": "x",
        "claimant_type": "official",
    }
    zero = data(cues=[threat])
    zero["quantities"][0]["value"] = 0
    first = sentence_predictions(zero, TEXT)[0]
    assert "official_claim" not in first["tags"]
    assert "casualty_figure" not in first["tags"]
    assert "threat_or_declared_intent" in first["tags"]


def test_lemma_rules_read_token_lemmas():
    rules = [("rescue_or_survivor", [{"lemma": ["survive"], "name": "lem"}])]
    tokens = [{"start": 42, "end": 49, "lemma": "survive"}]
    out = sentence_predictions(data(tokens=tokens), TEXT, rules)
    assert [o["tags"] for o in out] == [[], ["rescue_or_survivor"]]


def test_a_cue_rule_reports_the_cue_claimant_not_the_sentence():
    cue = {
        "sentence": 0,
        "label": "no_evidence",
        "rule": "no_evidence.yet_to",
        "text": "yet to provide",
        "claimant": "",
        "claimant_type": "unattributed",
    }
    fired = sentence_predictions(data(cues=[cue]), TEXT)[0]["fired"]
    # old type names in stored analyses are read under the tags.md names
    assert fired["no_evidence_provided"]["claimant_type"] == "reporter"
    assert fired["official_claim"]["claimant"] == "the ministry"
    assert fired["official_claim"]["claimant_type"] == "acting_government"


def test_a_denial_inside_the_content_is_no_official_claim():
    denial = {
        "sentence": 0,
        "label": "denial",
        "rule": "denial.false",
        "text": "died",
        "start": 29,
        "end": 33,
        "claimant": "the ministry",
        "claimant_type": "official",
    }
    first = sentence_predictions(data(cues=[denial]), TEXT)[0]
    assert "official_claim" not in first["tags"]
    assert "denial_or_rebuttal" in first["tags"]


def test_unidentified_speakers_get_a_low_confidence_illegality_suggestion():
    attributed = {
        "sentence": 1,
        "label": "legal_illegal",
        "rule": "illegal.adjective",
        "text": "unlawful",
        "claimant": "Critics",
        "claimant_type": "",  # a source the pipeline could not type
        "attribution": 0,
    }
    fired = sentence_predictions(data(cues=[attributed]), TEXT)[1]["fired"]
    assert fired["experts_say_illegal"]["confidence"] < 0.5
    assert fired["experts_say_illegal"]["rule"].endswith("unidentified-source")
    reporter = dict(attributed, claimant="", claimant_type="reporter", attribution=None)
    assert sentence_predictions(data(cues=[reporter]), TEXT)[1]["tags"] == []


def test_the_screen_never_skips_a_rule_that_fires(nlp):
    """``_may_fire`` is a shortcut for ``rule_fires``: on every sentence of
    the gold texts, wherever it says a default rule cannot fire, the rule
    indeed does not (and it does skip most rules, or it saves nothing)."""
    import json
    from pathlib import Path

    from annotations.rules import _may_fire, _screen, _views, rule_fires
    from corpus.nlp import doc_to_data

    gold = Path(__file__).resolve().parents[2] / "annotations" / "gold"
    rules = [rule for tag in default_tags() for rule in tag.get("patterns") or []]
    skipped = checked = 0
    for name in ("claims.jsonl", "heldout.jsonl"):
        for line in (gold / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            for view in _views(doc_to_data(nlp(text)), text):
                for rule in rules:
                    checked += 1
                    if not _may_fire(_screen(rule), view):
                        skipped += 1
                        assert rule_fires(rule, view) is None, (rule, view.text)
    assert checked and skipped > checked / 2
