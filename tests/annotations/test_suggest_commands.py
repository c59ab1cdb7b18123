"""The suggest and evaluate_suggestions commands (real pipeline, no DB)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.spacy

GOLD = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "claims.jsonl"


def test_suggest_prints_one_object_per_sentence(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(
        "Six people were killed, the ministry said. The ministry declined to comment.",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("suggest", str(path), "--format", "jsonl", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert set(first) == {
        "start",
        "end",
        "text",
        "tags",
        "claimant",
        "claimant_type",
        "numbers",
    }
    assert first["tags"] == ["official_claim", "casualty_figure"]
    assert first["numbers"][0] | {"bound": "exact"} == {
        "value": 6,
        "counts": "killed",
        "cumulative": False,
        "bound": "exact",
        "text": "Six",
    }
    assert lines[1]["tags"] == ["refusal_or_non_answer"]


def test_suggest_rejects_missing_and_binary_files(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("suggest", str(tmp_path / "nope.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("suggest", str(bad))


def test_evaluate_meets_targets_on_the_shipped_gold():
    out = StringIO()
    call_command("evaluate_suggestions", str(GOLD), stdout=out)
    summary = json.loads(out.getvalue().splitlines()[-1])
    assert summary["documents"] >= 12
    for tag in (
        "no_evidence_provided",
        "experts_say_illegal",
        "official_claim",
        "casualty_figure",
    ):
        assert summary["tags"][tag]["f1"] >= 0.85, tag
    assert summary["claimant_type_accuracy"] >= 0.8
    assert summary["numbers"]["f1"] >= 0.8


def test_evaluate_reports_a_malformed_gold_line(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"text": "A.", "sentences": [{"text": "B."}]}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Line 1, sentence 1"):
        call_command("evaluate_suggestions", str(bad))
