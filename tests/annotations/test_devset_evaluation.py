"""Scoring against a real-text dev set (annotations/devset.py, evaluation.py).

The dev set here is a tiny one written for these tests: a manifest, labels
by fingerprint and a cache directory, laid out as corpus/nlp/devset is.
Scoring is checked on predictions built by hand (exact counts), the command
end to end on the real pipeline.
"""

from __future__ import annotations

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.devset import devset_load, fingerprint_find, units_locate
from annotations.evaluation import (
    devset_evaluate,
    devset_text_counts,
    errors_format,
)

NEWS = (
    "Navy strike kills six on boat\n\n"
    "Six people were killed in a navy strike on a boat on Sunday, the defence "
    "ministry said. The ministry declined to comment on who the dead were. "
    "Rights groups said the strike was unlawful."
)
RELEASE = (
    "Statement on the raids of 2019\n\n"
    "At least 40 people have been killed in police raids since January. "
    "The authorities have provided no evidence that the victims were armed.\n\n"
    "1\n\n"
    "Footnote text."
)


def unit(
    fingerprint, segment="body", tags=(), claimant="", kind="reporter", numbers=()
):
    return {
        "fingerprint": fingerprint,
        "segment": segment,
        "tags": list(tags),
        "claimant": claimant,
        "claimant_type": kind,
        "numbers": list(numbers),
    }


def killed(value, cumulative=False):
    return {
        "value": value,
        "counts": "killed",
        "cumulative": cumulative,
        "bound": "exact",
    }


LABELS = {
    "en-news": [
        unit(
            "Navy strike kills six on",
            "headline",
            ["casualty_figure"],
            "",
            "reporter",
            [killed(6)],
        ),
        unit(
            "Six people were killed in a",
            tags=["official_claim", "casualty_figure"],
            claimant="the defence ministry",
            kind="acting_government",
            numbers=[killed(6)],
        ),
        unit(
            "The ministry declined to comment",
            tags=["refusal_or_non_answer"],
            claimant="the ministry",
            kind="acting_government",
        ),
        unit(
            "Rights groups said the strike",
            tags=["experts_say_illegal"],
            claimant="Rights groups",
            kind="rights_group",
        ),
    ],
    "en-release": [
        unit("Statement on the raids of", "headline", kind="rights_group"),
        unit(
            "At least 40 people have been",
            tags=["casualty_figure"],
            kind="rights_group",
            numbers=[killed(40, True)],
        ),
        unit(
            "The authorities have provided no evidence",
            tags=["no_evidence_provided"],
            kind="rights_group",
        ),
        unit("1", kind="rights_group"),
        unit("Footnote text.", kind="rights_group"),
    ],
    "en-absent": [unit("Nothing here at all")],
}


def manifest_line(key, text, source_kind):
    return {
        "id": key,
        "lang": "en",
        "kind": "article",
        "source_kind": source_kind,
        "source_name": "Test Source",
        "acting_state": "Veridia",
        "text_sha256": hashlib.sha256(text.encode()).hexdigest() if text else "0" * 64,
    }


@pytest.fixture
def devset(tmp_path):
    """(devset dir, cache dir): two cached texts, one absent from the cache."""
    directory, cache = tmp_path / "devset", tmp_path / "cache"
    directory.mkdir()
    cache.mkdir()
    manifest = [
        manifest_line("en-news", NEWS, "outlet"),
        manifest_line("en-release", RELEASE, "ngo"),
        manifest_line("en-absent", "", "outlet"),
    ]
    (directory / "manifest.jsonl").write_text(
        "".join(json.dumps(m) + "\n" for m in manifest), encoding="utf-8"
    )
    (directory / "labels.jsonl").write_text(
        "".join(
            json.dumps({"id": k, "sentences": v}) + "\n" for k, v in LABELS.items()
        ),
        encoding="utf-8",
    )
    (cache / "en-news.txt").write_text(NEWS, encoding="utf-8")
    (cache / "en-release.txt").write_text(RELEASE, encoding="utf-8")
    return directory, cache


def prediction(
    text, start_words, tags=(), claimant="", kind="reporter", numbers=(), fired=None
):
    """A predicted sentence covering the text from ``start_words`` to the
    end of that sentence (next '. ' or line end)."""
    start = text.index(start_words)
    ends = [i for i in (text.find(". ", start), text.find("\n", start)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "tags": list(tags),
        "claimant": claimant,
        "claimant_type": kind,
        "numbers": list(numbers),
        "fired": fired
        or {tag: {"rule": f"{tag}:test", "explanation": "test"} for tag in tags},
    }


def test_a_fingerprint_is_found_as_whole_words_in_order():
    text = "In 2019 it began.\n\n1\n\nThen 1 more."
    assert fingerprint_find(text, "1", 0) == text.index("\n1\n") + 1
    # The cursor moves on: the second "1" is the one in "Then 1 more".
    assert fingerprint_find(text, "1", text.index("\n1\n") + 2) == text.index(" 1 ") + 1
    # Glued to the previous sentence: found as a fallback.
    assert fingerprint_find("He said.The end", "The end", 0) == 8
    assert fingerprint_find(text, "Absent words", 0) == -1


def test_units_run_from_fingerprint_to_fingerprint_and_lost_ones_are_reported():
    units, lost = units_locate(
        RELEASE, LABELS["en-release"] + [unit("Not in the text")]
    )
    assert lost == ["Not in the text"]
    assert [RELEASE[u.start : u.end] for u in units] == [
        "Statement on the raids of 2019",
        "At least 40 people have been killed in police raids since January.",
        "The authorities have provided no evidence that the victims were armed.",
        "1",
        "Footnote text.",
    ]
    assert [u.segment for u in units] == ["headline", "body", "body", "body", "body"]


def test_load_skips_texts_missing_from_the_cache_and_flags_changed_ones(devset):
    directory, cache = devset
    (cache / "en-release.txt").write_text(RELEASE + " Added later.", encoding="utf-8")
    loaded = devset_load(directory, cache)
    assert [t.id for t in loaded.texts] == ["en-news", "en-release"]
    assert loaded.missing == ["en-absent"]
    assert loaded.changed == ["en-release"]
    assert any("en-release" in p and "SHA-256" in p for p in loaded.problems)
    news = loaded.texts[0]
    context = news.context()
    assert (context.source_kind, context.source_name) == ("outlet", "Test Source")
    assert context.acting_states == ("Veridia",)
    assert devset_load(directory, cache, lang="es").texts == []


def test_counts_per_segment_tags_claimants_and_numbers(devset):
    directory, cache = devset
    news = devset_load(directory, cache).texts[0]
    predicted = [
        prediction(NEWS, "Navy strike", ["casualty_figure"], numbers=[killed(6)]),
        prediction(
            NEWS,
            "Six people",
            ["official_claim", "casualty_figure", "hedged_allegation"],
            "defence ministry",
            "official",  # an old type name, mapped to acting_government
            [killed(6, cumulative=True), {**killed(3), "counts": "vessels"}],
        ),
        prediction(NEWS, "The ministry declined", [], "the ministry", "reporter"),
        prediction(
            NEWS, "Rights groups", ["experts_say_illegal"], "Rights groups", "ngo"
        ),
    ]
    errors: list[dict] = []
    counts = devset_text_counts(
        news.id, news.text, [u.as_gold() for u in news.units], predicted, errors
    )
    head, body, everything = counts["headline"], counts["body"], counts["all"]
    assert head["casualty_figure:tp"] == 1 and head["official_claim:tp"] == 0
    assert body["casualty_figure:tp"] == 1
    assert body["official_claim:tp"] == 1
    assert body["hedged_allegation:fp"] == 1
    assert body["refusal_or_non_answer:fn"] == 1
    assert everything == head + body
    # Claimant types on the three tagged body units: right, wrong, right.
    assert (body["type:n"], body["type:hit"]) == (3, 2)
    # The vessel count is no casualty figure: not scored. 6 killed is found
    # twice, once with the wrong scope.
    assert (everything["num:tp"], everything["num:fp"], everything["num:fn"]) == (
        2,
        0,
        0,
    )
    assert (everything["scope:n"], everything["scope:hit"]) == (2, 1)
    kinds = {(e["kind"], e["tag"]) for e in errors}
    assert kinds == {
        ("FP", "hedged_allegation"),
        ("FN", "refusal_or_non_answer"),
        ("TYPE", ""),
        ("NUM", ""),
    }
    fn = next(e for e in errors if e["kind"] == "FN")
    lines = errors_format(fn)
    assert lines[0].startswith("FN   refusal_or_non_answer")
    assert (
        "gold: the ministry (acting_government); got: the ministry (reporter)"
        in lines[0]
    )
    assert "The ministry declined to comment on who the dead were." in lines[-1]
    fp = next(e for e in errors if e["kind"] == "FP")
    assert "rule hedged_allegation:test" in errors_format(fp)[1]


def test_bootstrap_intervals_contain_the_point_estimates(devset):
    directory, cache = devset
    loaded = devset_load(directory, cache)
    # Three copies of each text make the resampling non-trivial.
    loaded.texts = loaded.texts * 3
    news, release = loaded.texts[0].text, loaded.texts[1].text
    by_id = {
        "en-news": [
            prediction(
                news,
                "Six people",
                ["official_claim", "casualty_figure"],
                "the ministry",
                "acting_government",
                [killed(6)],
            ),
            prediction(
                news,
                "Rights groups",
                ["official_claim"],
                "Rights groups",
                "rights_group",
            ),
        ],
        "en-release": [
            prediction(
                release,
                "At least 40",
                ["casualty_figure"],
                "",
                "rights_group",
                [killed(40, True)],
            ),
            prediction(
                release,
                "The authorities",
                ["no_evidence_provided", "denial_or_rebuttal"],
                "",
                "reporter",
            ),
        ],
    }
    report = devset_evaluate(
        loaded, [by_id[t.id] for t in loaded.texts], bootstrap=300, seed=4
    )
    assert report["texts"] == 6 and report["missing"] == ["en-absent"]
    checked = 0

    def contains(figures):
        nonlocal checked
        for key, value in figures.items():
            if isinstance(value, dict):
                contains(value)
            elif key.endswith("_ci") and value is not None:
                point = figures[key[:-3]]
                assert value[0] <= point <= value[1], (key, point, value)
                checked += 1

    for segment in ("all", "headline", "body"):
        contains(report["segments"][segment])
    assert checked > 20
    figures = report["segments"]["all"]
    # 4 right tags of 6 predicted, of 7 gold (exact counts, not sampled).
    assert figures["micro"]["precision"] == round(4 / 6, 3)
    assert figures["micro"]["recall"] == round(4 / 7, 3)
    assert figures["tags"]["official_claim"]["fp"] == 3
    # Headlines: nothing predicted there, so precision is undefined, recall 0.
    head = report["segments"]["headline"]["tags"]["casualty_figure"]
    assert head["precision"] is None and head["recall"] == 0.0
    # An interval is wider than a point when the texts disagree.
    lo, hi = figures["tags"]["casualty_figure"]["recall_ci"]
    assert lo < hi


@pytest.mark.spacy
def test_command_scores_the_pipeline_and_lists_errors(devset):
    directory, cache = devset
    out, err = StringIO(), StringIO()
    call_command(
        "evaluate_suggestions",
        "--devset",
        str(directory),
        "--cache",
        str(cache),
        "--errors",
        "--json",
        "--bootstrap",
        "200",
        stdout=out,
        stderr=err,
    )
    assert "en-absent" in err.getvalue()
    text = out.getvalue()
    for heading in ("== all segments ==", "== headlines ==", "== bodies =="):
        assert heading in text
    summary = json.loads(text.splitlines()[-1])
    assert summary["texts"] == 2 and summary["units"] == 9
    assert summary["units_by_segment"] == {"headline": 2, "body": 7}
    assert summary["missing"] == ["en-absent"]
    assert set(summary["pipeline"]) >= {"model", "patterns_sha256"}
    figures = summary["segments"]["all"]
    tags = figures["tags"]
    gold = sum(
        len(u["tags"])
        for units in LABELS.values()
        for u in units
        if units is not LABELS["en-absent"]
    )
    assert sum(m["tp"] + m["fn"] for m in tags.values()) == gold
    # "Six people were killed" is found by any pipeline worth scoring.
    assert tags["casualty_figure"]["tp"] >= 1
    assert figures["numbers"]["tp"] >= 1
    # Every miss is listed with its sentence.
    misses = sum(m["fn"] for m in tags.values())
    listed = [line for line in text.splitlines() if line.startswith("FN ")]
    assert len(listed) == misses


def test_command_needs_a_cache_and_one_mode(devset, tmp_path):
    directory, _ = devset
    with pytest.raises(CommandError, match="No dev-set cache"):
        call_command(
            "evaluate_suggestions",
            "--devset",
            str(directory),
            "--cache",
            str(tmp_path / "none"),
        )
    with pytest.raises(CommandError, match="either a gold JSONL file or --devset"):
        call_command("evaluate_suggestions")
