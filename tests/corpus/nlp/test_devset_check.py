"""corpus/nlp/devset/check.py on a set of its own (``--set DIR``).

The set is a tiny one written for this test, laid out as the held-out sets
are: a manifest and labels in one directory, the cached texts in another.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

CHECK = Path(__file__).resolve().parents[3] / "corpus/nlp/devset/check.py"
TEXT = "Ministry says strike hit a depot\n\nThe ministry said the strike hit a depot.\n"


def load_check():
    spec = importlib.util.spec_from_file_location("devset_check", CHECK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_set(root: Path, *, fingerprint: str, lang: str = "es") -> Path:
    where, cache = root / "set", root / "cache"
    where.mkdir()
    cache.mkdir()
    (cache / "ho-x-01.txt").write_text(TEXT, encoding="utf-8")
    entry = {
        "id": "ho-x-01",
        "lang": lang,
        "topic": "t",
        "kind": "article",
        "source_kind": "outlet",
        "source_name": "n",
        "acting_state": "s",
        "address": "https://example.org/a",
        "title": "a",
        "query": "q",
        "chars": len(TEXT),
        "text_sha256": hashlib.sha256(TEXT.encode()).hexdigest(),
    }
    (where / "manifest.jsonl").write_text(json.dumps(entry) + "\n")
    unit = {
        "fingerprint": fingerprint,
        "segment": "body",
        "tags": ["official_claim"],
        "claimant": "The ministry",
        "claimant_type": "acting_government",
        "numbers": [],
    }
    row = {"id": "ho-x-01", "sentences": [unit]}
    (where / "labels.jsonl").write_text(json.dumps(row) + "\n")
    return where


@pytest.mark.parametrize(
    ("fingerprint", "problems"),
    [("The ministry said the strike hit", 0), ("The army said the strike hit", 1)],
)
def test_check_a_held_out_set(tmp_path, capsys, fingerprint, problems):
    check = load_check()
    where = write_set(tmp_path, fingerprint=fingerprint)
    status = check.main(["--set", str(where), "--cache", str(tmp_path / "cache")])

    out = capsys.readouterr().out
    assert f"1 texts checked (0 en); {problems} problems" in out
    assert status == (1 if problems else 0)
    if problems:
        assert "ho-x-01 unit 0: fingerprint not found in order" in out


def test_english_counted_by_lang(tmp_path, capsys):
    check = load_check()
    where = write_set(tmp_path, fingerprint="The ministry said", lang="en")

    assert check.main(["--set", str(where), "--cache", str(tmp_path / "cache")]) == 0
    assert "1 texts checked (1 en); 0 problems" in capsys.readouterr().out
