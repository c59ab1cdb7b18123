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
        "text": "Six people",  # the figure with what it counts
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


REPORT = "Six people were killed, the ministry said. The ministry declined to comment."
RELEASE = "Police shot dead two men in a raid on Friday, the rights group said."


def test_suggest_runs_many_files_in_one_batch_with_one_context(tmp_path, monkeypatch):
    """One call of the pipeline for all files, each given the same context."""
    from corpus import nlp
    from corpus.nlp.context import DocumentContext

    calls = []
    real = nlp.analyse_texts

    def recording(texts, *, contexts=None, **kwargs):
        texts = list(texts)
        calls.append((texts, contexts))
        return real(texts, contexts=contexts, **kwargs)

    monkeypatch.setattr(nlp, "analyse_texts", recording)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(REPORT, encoding="utf-8")
    b.write_text(RELEASE, encoding="utf-8")
    out = StringIO()
    call_command(
        "suggest",
        str(a),
        str(b),
        "--source-kind",
        "ngo",
        "--source-name",
        " Rights Watch ",
        "--acting-state",
        "Veridia",
        "--acting-state",
        "Ostland",
        stdout=out,
    )
    assert len(calls) == 1
    texts, contexts = calls[0]
    assert texts == [REPORT, RELEASE]
    expected = DocumentContext(
        source_kind="ngo",
        source_name="Rights Watch",
        acting_states=("Veridia", "Ostland"),
        lang="en",
    )
    assert contexts == [expected, expected]
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    # Several files on stdout: each object names its file, in order.
    assert [line["file"] for line in lines] == [str(a), str(a), str(b)]
    assert lines[2]["text"] == RELEASE
    assert lines[0]["tags"] == ["official_claim", "casualty_figure"]


def test_suggest_writes_one_output_per_file_and_reports_bad_ones(tmp_path):
    good, other = tmp_path / "good.txt", tmp_path / "sub" / "other.txt"
    other.parent.mkdir()
    good.write_text(REPORT, encoding="utf-8")
    other.write_text(RELEASE, encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ", encoding="utf-8")
    twin = tmp_path / "sub" / "good.txt"  # same stem as good.txt
    twin.write_text(RELEASE, encoding="utf-8")
    out_dir = tmp_path / "out"
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "suggest",
            str(good),
            str(tmp_path / "missing.txt"),
            str(binary),
            str(empty),
            str(other),
            str(twin),
            "--output-dir",
            str(out_dir),
            stdout=StringIO(),
            stderr=err,
        )
    message = str(failed.value)
    assert message.startswith("4 of 6 file(s) failed")
    for name in (
        "missing.txt",
        "binary.txt is not UTF-8",
        "empty.txt contains no text",
    ):
        assert name in message
    assert "would overwrite that of" in message and str(twin) in message
    assert sorted(p.name for p in out_dir.iterdir()) == ["good.jsonl", "other.jsonl"]
    good_lines = [
        json.loads(line)
        for line in (out_dir / "good.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [line["text"] for line in good_lines] == [
        "Six people were killed, the ministry said.",
        "The ministry declined to comment.",
    ]
    assert "file" not in good_lines[0]
    assert f"{good} -> {out_dir / 'good.jsonl'}" in err.getvalue()


def test_suggest_text_format_explains_each_tag(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    out_dir = tmp_path / "out"
    call_command(
        "suggest",
        str(path),
        "--format",
        "text",
        "--explain",
        "--output-dir",
        str(out_dir),
        stderr=StringIO(),
    )
    lines = (out_dir / "report.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("[0-42] official_claim, casualty_figure (")
    assert lines[1] == "    Six people were killed, the ministry said."
    explained = [line for line in lines if line.startswith("    casualty_figure: ")]
    assert len(explained) == 1 and "6 killed" in explained[0]


def test_suggest_rejects_an_unknown_source_kind_and_language(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(CommandError, match="invalid choice: 'newspaper'"):
        call_command("suggest", str(path), "--source-kind", "newspaper")
    with pytest.raises(CommandError, match="not a language code"):
        call_command("suggest", str(path), "--lang", "en-GB!")
