"""benchmarks/learning.py's pool of held-out sets and its base rows.

The sets here are tiny ones written for these tests, laid out as
corpus/nlp/devset is (manifest, labels by fingerprint, a cache directory).
No database; spaCy trains only in the last two tests.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from annotations.devset import DevsetError
from corpus.nlp.learning import TextExample
from corpus.nlp.learning.textcat import TrainSettings, textcat_out_of_fold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "learning_benchmark", ROOT / "benchmarks" / "learning.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXTS = {
    "a-en-1": ("en", "The army said the convoy carried rifles. Five people died."),
    "a-en-2": ("en", "Police said the man fired first. His family denies it."),
    "b-es-1": ("es", "El ejército dijo que hubo un enfrentamiento. Murieron tres."),
}


def write_set(root: Path, ids: list[str]) -> tuple[Path, Path]:
    """A labelled set in ``root/set`` and its cache in ``root/cache``."""
    directory, cache = root / "set", root / "cache"
    directory.mkdir(parents=True)
    cache.mkdir()
    manifest, labels = [], []
    for key in ids:
        lang, text = TEXTS[key]
        (cache / f"{key}.txt").write_text(text, encoding="utf-8")
        manifest.append(
            {
                "id": key,
                "lang": lang,
                "kind": "article",
                "source_kind": "outlet",
                "source_name": "Test Wire",
                "acting_state": "",
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            }
        )
        first, second = text.split(". ", 1)
        labels.append(
            {
                "id": key,
                "sentences": [
                    {"fingerprint": " ".join(first.split()[:6]), "tags": []},
                    {"fingerprint": " ".join(second.split()[:6]), "tags": []},
                ],
            }
        )
    for name, rows in (("manifest.jsonl", manifest), ("labels.jsonl", labels)):
        (directory / name).write_text(
            "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
        )
    return directory, cache


def test_a_pool_spec_is_a_directory_and_its_cache(bench):
    assert bench.pool_spec("sets/one:caches/one") == (
        Path("sets/one"),
        Path("caches/one"),
    )
    assert bench.pool_spec("sets/one") == (Path("sets/one"), None)
    with pytest.raises(DevsetError):
        bench.pool_spec(":caches/one")


def test_the_pool_joins_the_sets_and_keeps_each_texts_language(bench, tmp_path):
    one = write_set(tmp_path / "one", ["a-en-1", "a-en-2"])
    two = write_set(tmp_path / "two", ["b-es-1"])
    (two[1] / "b-es-1.txt").unlink()
    pool = bench.pool_load([f"{one[0]}:{one[1]}", f"{two[0]}:{two[1]}"])
    assert [t.id for t in pool.texts] == ["a-en-1", "a-en-2"]
    assert pool.missing == ["b-es-1"]
    (two[1] / "b-es-1.txt").write_text(TEXTS["b-es-1"][1], encoding="utf-8")
    pool = bench.pool_load([f"{one[0]}:{one[1]}", f"{two[0]}:{two[1]}"])
    assert [t.id for t in pool.texts] == ["a-en-1", "a-en-2", "b-es-1"]
    # The Spanish text goes through the Spanish pipeline, as ingestion would.
    assert pool.texts[2].context().lang == "es"
    assert all(len(t.units) == 2 for t in pool.texts)
    assert pool.problems == []


def test_an_id_in_two_sets_is_an_error(bench, tmp_path):
    one = write_set(tmp_path / "one", ["a-en-1"])
    two = write_set(tmp_path / "two", ["a-en-1"])
    with pytest.raises(DevsetError, match="a-en-1"):
        bench.pool_load([f"{one[0]}:{one[1]}", f"{two[0]}:{two[1]}"])


def test_the_curve_splits_whole_texts(bench):
    ids = [f"t{i:02d}" for i in range(38)]
    rounds = list(bench.splits(ids, 0.4, 3))
    assert len(rounds) == 3
    for train, test in rounds:
        assert not train & test and train | test == set(ids)
        assert 14 <= len(train) <= 16  # four folds of ten
    assert len({frozenset(train) for train, _ in rounds}) == 3


def test_extra_examples_train_every_fold_and_are_never_scored():
    data = [
        TextExample("The ministry said the raid was lawful.", {"claim": 1.0}),
        TextExample("The army said its men fired first.", {"claim": 1.0}),
        TextExample("Rain is expected this weekend.", {"claim": 0.0}),
        TextExample("The market reopened on Tuesday.", {"claim": 0.0}),
    ]
    extra = [
        TextExample("A spokesman said the strike was precise.", {"claim": 1.0}),
        TextExample("The officials said the convoy was armed.", {"claim": 1.0}),
        TextExample("Tickets for the concert sold out.", {"claim": 0.0}),
    ]
    groups = ["a", "b", "c", "d"]
    settings = TrainSettings(epochs=3)
    alone = textcat_out_of_fold(data, groups, ["claim"], settings, folds=2)
    based = textcat_out_of_fold(data, groups, ["claim"], settings, folds=2, extra=extra)
    assert len(based) == len(data) and all("claim" in p for p in based)
    assert based != alone


def test_base_rows_train_but_are_neither_tested_nor_calibrated(bench):
    def row(text_id, text, tags, rules=()):
        return {
            "text_id": text_id,
            "text": text,
            "gold": set(tags),
            "rules": set(rules),
            "features": (),
        }

    train = [
        row("t1", "The ministry said the raid was lawful.", ["official_claim"]),
        row("t2", "The army said its men fired first.", ["official_claim"]),
        row("t3", "Rain is expected this weekend.", []),
        row("t4", "The market reopened on Tuesday.", []),
    ]
    base = [
        row(f"b{i}", f"Officials said the convoy {i} was armed.", ["official_claim"])
        for i in range(5)
    ]
    test = [row("x1", "The police said the man was armed.", ["official_claim"])]
    result = bench.textcat_fit_test(
        train, test, ["official_claim"], TrainSettings(epochs=3), base
    )
    # Five positives only with the base: the tag is learnt from it, but the
    # training share (two positives) is all the calibration sees.
    assert result["train_units"] == len(train)
    assert result["test_units"] == len(test)
    assert result["thresholds"] == {"official_claim": [None, None]}
    assert len(result["scored"]["official_claim"]["p"]) == len(test)
