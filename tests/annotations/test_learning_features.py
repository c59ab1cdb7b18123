"""corpus.nlp.learning.features: what the model sees besides the words.

Pure functions, no database: the same features for the training snapshot,
the merge at suggestion time and the benchmark.
"""

from __future__ import annotations

from annotations.learning.examples import document_features, sentence_features
from corpus.nlp.learning.features import (
    feature_name,
    predictions_features,
    unit_features,
)


def prediction(text: str, fired: dict[str, str], **extra) -> dict:
    return {
        "text": text,
        "start": 0,
        "end": len(text),
        "fired": {tag: {"rule": rule} for tag, rule in fired.items()},
        "numbers": extra.get("numbers", []),
        "claimant_type": extra.get("claimant_type", ""),
    }


def test_rule_ids_become_single_tokens():
    assert (
        feature_name("official_claim:official-attribution")
        == "official_claim_official_attribution"
    )
    found = unit_features(
        fired={"official_claim": "official_claim:official-attribution"},
        claimant_type="acting_government",
        text="The ministry said the raid was lawful.",
    )
    assert "rule_official_claim" in found
    assert "rid_official_claim_official_attribution" in found
    assert "claimant_acting_government" in found
    assert all(" " not in f and ":" not in f and "-" not in f for f in found)


def test_neighbours_and_shape_are_features():
    predictions = [
        prediction("Ministry denies strike on market", {}),
        prediction(
            "The ministry said its forces struck a depot.",
            {"official_claim": "official_claim:official-statement"},
            claimant_type="acting_government",
        ),
        prediction(
            "Five people were killed, residents said.",
            {"casualty_figure": "casualty_figure:people-count"},
            numbers=[{"counts": "killed"}],
        ),
    ]
    headline, claim, count = predictions_features(predictions)
    # A headline: first, no final stop, the next sentence's tags as context.
    assert {"shape_first", "shape_noend", "next_official_claim"} <= set(headline)
    assert "claimant_none" in headline
    # The middle sentence sees both neighbours.
    assert "prev_official_claim" not in claim
    assert "next_casualty_figure" in claim
    assert "shape_noend" not in claim
    # The last one: the previous sentence's tag, its own count.
    assert {"prev_official_claim", "count_killed", "rule_casualty_figure"} <= set(count)
    assert not any(f.startswith("next_") for f in count)


def test_quotes_are_a_feature():
    text = "\u201cWe struck only fighters,\u201d he said."
    found = unit_features(fired={}, text=text)
    assert "shape_quote" in found


def test_features_are_sorted_and_deterministic():
    first = unit_features(
        fired={"b": "b:x", "a": "a:y"}, counts=["killed", "injured"], text="x."
    )
    again = unit_features(
        fired={"a": "a:y", "b": "b:x"}, counts=["injured", "killed"], text="x."
    )
    assert first == again == tuple(sorted(first))


def test_the_snapshot_and_the_merge_use_the_same_features():
    predictions = [
        prediction("Officials said the convoy carried arms.", {"official_claim": "r"}),
        prediction("Witnesses said three died.", {}),
    ]
    assert document_features(predictions) == [
        list(f) for f in predictions_features(predictions)
    ]
    # Alone, a sentence has no context features.
    alone = sentence_features(predictions[1])
    assert not any(f.startswith(("prev_", "next_")) for f in alone)
    with_context = sentence_features(predictions[1], previous=predictions[0])
    assert "prev_official_claim" in with_context
