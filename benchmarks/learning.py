"""The learning curve on the real-text dev set: rules, model, rules + model.

The dev set's texts are split into ten folds (whole texts, so no sentence
of a test text is ever trained on). For each fraction (10, 20, 40, 80% of
the texts) and each rotation of the folds, the model is trained on that
share's sentence units and tested on the other texts' units:

- **rules**: the rules as they are in the working tree when this runs (the
  default taxonomy, each text analysed with its manifest's context, each
  unit tagged with the union of the predicted sentences that overlap it most,
  as ``evaluate_suggestions --devset`` does);
- **model**: ``textcat_multilabel`` alone, at the threshold chosen by
  3-fold cross-validation inside the training share;
- **rules + model**: merged with the per-tag thresholds (``add``/``veto``)
  calibrated on the same out-of-fold probabilities (``corpus.nlp.learning``);
- **rules + precise adds** (the other merge tried, ``precise_add``): the model
  only adds where the rules are silent, at an out-of-fold threshold whose
  additions are at least as precise as the rules.

For each tag it also reports, on the test predictions pooled over
rotations, the **ceiling** (the best ``add``/``veto`` pair of the
calibration grids chosen on those very predictions: an upper bound that no
honest calibration can exceed, never used to decide) and how well the model
ranks the rules' kept suggestions above their wrong ones (``AUC veto``) and
the units the rules missed above the other silent ones (``AUC add``; 0.5 is
chance). ``--corrector`` also measures the stacked corrector the issue
proposed (per tag, a NumPy logistic regression for the units where the rule
fired and one for those where it did not, on the analysis features, the
near-miss features of the analysis (cues, attributions, quantities the rules
did not turn into a tag) and the words; same calibration and gates) on the
same splits and on the held-out set.

Only the tags the dev set's annotators judged are scored
(``annotations.evaluation.CORE_TAGS``). Counts are pooled over rotations; F1
is per tag and micro over tags. ``--heldout`` then trains on the whole dev set
and scores the held-out set (summary figures only). Then
``--compare`` trains the alternatives on the same splits (textcat ensemble,
spancat with the preset-sentence and the fitted n-gram suggester) and
reports model-alone F1 at p >= 0.5 per second of training. Last, it trains
on 2,000 sentences (the dev units repeated) for time and peak memory, and
times inference against the analysis itself.

``--pool DIR:CACHE`` (repeated) runs the same curve on other labelled sets
pooled instead of the dev set: the held-out sets, texts the rules were never
shaped on, as a project's texts are (folds over their whole texts, Spanish
texts through the Spanish pipeline). ``--base DIR:CACHE`` adds a labelled set
(e.g. the dev set) to every training, the inner folds' included, never
tested nor calibrated on: a project model started from another project's
decisions.

    DEBUG=1 .venv/bin/python benchmarks/learning.py [--cache /work/devset-cache]
        [--rotations 3] [--compare [bow,ensemble,spancat-preset,spancat-ngram,minilm]]
        [--architecture bow|ensemble] [--fractions 0.1,0.2,0.4,0.8] [--lang en]
        [--heldout corpus/nlp/devset/heldout --heldout-cache DIR]
        [--learn-rate 0.002] [--epochs 12] [--corrector] [--scale 2000]
        [--pool DIR:CACHE ... [--base DIR:CACHE ...]]

No database is needed. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import re
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from annotations.defaults import default_tags  # noqa: E402
from annotations.devset import DevSet, DevsetError, devset_load  # noqa: E402
from annotations.evaluation import (  # noqa: E402
    CORE_TAGS,
    predictions_assign,
)
from corpus.nlp.learning import calibrate_tags, merge_decision  # noqa: E402
from corpus.nlp.learning.calibrate import (  # noqa: E402
    f1,
    rank_auc,
    threshold_ceiling,
)
from corpus.nlp.learning.features import feature_name, unit_features  # noqa: E402
from corpus.nlp.learning.spancat import (  # noqa: E402
    SpanExample,
    spancat_train,
    spancat_unit_probabilities,
)
from corpus.nlp.learning.textcat import (  # noqa: E402
    TextExample,
    TrainSettings,
    oof_folds,
    textcat_out_of_fold,
    textcat_predict,
    textcat_train,
)

FRACTIONS = (0.1, 0.2, 0.4, 0.8)
FOLDS = 10
MIN_EXAMPLES = 20  # the target applies to tags with at least this many
MIN_POSITIVES = 5  # a tag is modelled with at least this many in training


def analysis_features(
    preds, top, text: str, previous: set[str], following: set[str], first: bool
) -> tuple[str, ...]:
    """What the analysis found in a unit, as the project's training does
    (``corpus.nlp.learning.features``, through
    ``annotations.learning.examples.sentence_features``)."""
    fired: dict[str, str] = {}
    for p in preds:
        for tag, detail in p["fired"].items():
            fired.setdefault(tag, detail.get("rule", ""))
    return unit_features(
        fired=fired,
        counts=[n["counts"] for p in preds for n in p["numbers"]],
        claimant_type=(top or {}).get("claimant_type") or "",
        text=text,
        previous=previous,
        following=following,
        first=first,
    )


class Units:
    """Every dev-set unit with its text, gold tags and rule tags."""

    def __init__(self, devset, predictions, analyses=None) -> None:
        self.texts = devset.texts
        self.rows: list[dict[str, Any]] = []
        analyses = analyses or [None] * len(predictions)
        for devtext, predicted, data in zip(
            devset.texts, predictions, analyses, strict=True
        ):
            gold = [u.as_gold() for u in devtext.units]
            first_row = len(self.rows)
            assigned, best = predictions_assign(gold, predicted)
            rules = [{t for p in preds for t in p["tags"]} for preds in assigned]
            for i, (unit, preds, top) in enumerate(
                zip(devtext.units, assigned, best, strict=True)
            ):
                text = devtext.text[unit.start : unit.end]
                self.rows.append(
                    {
                        "text_id": devtext.id,
                        "text": text,
                        "span": (unit.start, unit.end),
                        "gold": set(unit.tags),
                        "rules": rules[i],
                        "features": analysis_features(
                            preds,
                            top,
                            text,
                            rules[i - 1] if i else set(),
                            rules[i + 1] if i + 1 < len(rules) else set(),
                            i == 0,
                        ),
                        "near_miss": near_miss_features(data, preds),
                    }
                )
            # The neighbours' cue labels and attributions: a statement or a
            # report often runs over several sentences.
            rows = self.rows[first_row:]
            own = [set(r["near_miss"]) for r in rows]
            for k, row in enumerate(rows):
                for prefix, j in (("p", k - 1), ("n", k + 1)):
                    if 0 <= j < len(rows):
                        row["near_miss"] = tuple(
                            sorted(
                                set(row["near_miss"])
                                | {
                                    prefix + f
                                    for f in own[j]
                                    if f.startswith("cue_") or f == "attr"
                                }
                            )
                        )


def devset_analyse(texts) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
    """``devset_predict``'s predictions and the analysis data they came from
    (the corrector's near-miss features read the cues, attributions and
    quantities the rules did not turn into a tag)."""
    from annotations.rules import sentence_predictions
    from corpus.nlp import analyse_texts

    data = list(
        analyse_texts([t.text for t in texts], contexts=[t.context() for t in texts])
    )
    return [
        sentence_predictions(d, t.text) for t, d in zip(texts, data, strict=True)
    ], data


def near_miss_features(
    data: dict[str, Any] | None, preds: list[dict[str, Any]]
) -> tuple[str, ...]:
    """What the analysis found in a unit's sentences whether or not a rule
    fired: cue labels and lexicon rules (``cue_denial`` without an
    attribution, ``cue_legal_illegal`` said by an expert...), attributions
    and their claimant types, casualty counts and bounds, the sentence's
    claim flag and how its claimant was found, page furniture."""
    if data is None:
        return ()
    sentences = data.get("sentences", [])
    index = {(s["start"], s["end"]): i for i, s in enumerate(sentences)}
    mine = {
        index[(p["start"], p["end"])] for p in preds if (p["start"], p["end"]) in index
    }
    found: set[str] = set()
    for cue in data.get("cues", []):
        if cue.get("sentence") in mine:
            label = feature_name(cue.get("label", ""))
            found.add(f"cue_{label}")
            found.add(f"cuerule_{feature_name(cue.get('rule', ''))}")
            found.add(
                f"cueby_{label}_{feature_name(cue.get('claimant_type') or 'none')}"
            )
            if cue.get("attribution"):
                found.add(f"cueattr_{label}")
    for item in data.get("attributions", []):
        if item.get("sentence") in mine:
            found.add("attr")
            found.add(f"attrby_{feature_name(item.get('claimant_type') or 'none')}")
            if item.get("kind"):
                found.add(f"attrkind_{feature_name(str(item['kind']))}")
    for quantity in data.get("quantities", []):
        if quantity.get("sentence") in mine:
            found.add(f"q_{feature_name(quantity.get('counts', ''))}")
            found.add(f"qbound_{feature_name(quantity.get('bound', ''))}")
    for i in mine:
        sentence = sentences[i]
        if sentence.get("is_claim"):
            found.add("is_claim")
        found.add(f"via_{feature_name(sentence.get('claimant_via') or 'none')}")
        for item in data.get("furniture", []):
            if item["start"] < sentence["end"] and item["end"] > sentence["start"]:
                found.add(f"furniture_{feature_name(item.get('label', ''))}")
    return tuple(sorted(found))


def counts(
    gold: Sequence[set[str]], got: Sequence[set[str]], tags: Sequence[str]
) -> dict[str, list[int]]:
    out = {}
    for tag in tags:
        tp = sum(1 for g, p in zip(gold, got, strict=True) if tag in g and tag in p)
        fp = sum(1 for g, p in zip(gold, got, strict=True) if tag not in g and tag in p)
        fn = sum(1 for g, p in zip(gold, got, strict=True) if tag in g and tag not in p)
        out[tag] = [tp, fp, fn]
    return out


def add_counts(total: dict[str, list[int]], more: dict[str, list[int]]) -> None:
    for tag, values in more.items():
        row = total.setdefault(tag, [0, 0, 0])
        for i in range(3):
            row[i] += values[i]


def f1_of(row: Sequence[int]) -> float | None:
    tp, fp, fn = row
    return None if tp + fp + fn == 0 else round(2 * tp / (2 * tp + fp + fn), 3)


def micro(total: dict[str, list[int]]) -> float | None:
    return f1_of([sum(r[i] for r in total.values()) for i in range(3)])


def splits(text_ids: list[str], fraction: float, rotations: int, seed: int = 0):
    """(train ids, test ids) per rotation: ``fraction`` of ten text folds."""
    import random

    ids = sorted(text_ids)
    random.Random(seed).shuffle(ids)
    fold = {t: i % FOLDS for i, t in enumerate(ids)}
    size = max(1, round(fraction * FOLDS))
    for r in range(rotations):
        chosen = {(r * 3 + k) % FOLDS for k in range(size)}
        train = {t for t in ids if fold[t] in chosen}
        yield train, set(ids) - train


def example(row: dict[str, Any], tags: Sequence[str]) -> TextExample:
    return TextExample(
        row["text"], {t: float(t in row["gold"]) for t in tags}, row["features"]
    )


def modelled(rows: list[dict[str, Any]], tags: Sequence[str]) -> list[str]:
    """The tags with enough positives in the training share to learn."""
    return [t for t in tags if sum(1 for r in rows if t in r["gold"]) >= MIN_POSITIVES]


def best_threshold(
    tag: str, rows: list[dict[str, Any]], oof: list[dict[str, float]]
) -> float:
    truth = [tag in r["gold"] for r in rows]
    scored = [
        (f1(truth, [o.get(tag, 0.0) >= t for o in oof]) or 0.0, -t)
        for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    ]
    return -max(scored)[1]


PRECISE_GRID = tuple(i / 20 for i in range(2, 20))  # 0.10 .. 0.95


def precise_add(
    tag: str, rows: list[dict[str, Any]], oof: list[dict[str, float]]
) -> float | None:
    """The other merge tried: the model only adds where the rules are
    silent, at the lowest out-of-fold threshold whose additions are at least
    as precise as the rules and that raises the tag's F1 (None: rules only)."""
    truth = [tag in r["gold"] for r in rows]
    fired = [tag in r["rules"] for r in rows]
    probs = [o.get(tag, 0.0) for o in oof]
    tp = sum(1 for g, f in zip(truth, fired, strict=True) if g and f)
    shown = sum(fired)
    rules_precision = tp / shown if shown else 0.0
    best, chosen = f1(truth, fired) or 0.0, None
    for threshold in PRECISE_GRID:
        added = [
            g
            for g, f, p in zip(truth, fired, probs, strict=True)
            if not f and p >= threshold
        ]
        if not added or sum(added) / len(added) < rules_precision:
            continue
        merged = [f or p >= threshold for f, p in zip(fired, probs, strict=True)]
        score = f1(truth, merged) or 0.0
        if score > best:
            best, chosen = score, threshold
    return chosen


def pool_scored(total: dict[str, dict[str, list]], more: dict[str, dict]) -> None:
    for tag, row in more.items():
        into = total.setdefault(tag, {"truth": [], "fired": [], "p": []})
        for key in into:
            into[key] += row[key]


def diagnostics(scored: dict[str, dict[str, list]]) -> dict[str, dict[str, Any]]:
    """Per tag, on the test predictions pooled over rotations: the ceiling
    of any add/veto pair chosen on these same predictions (an upper bound,
    not a calibration: ``threshold_ceiling``) and how well the model ranks
    the rules' right suggestions above their wrong ones (``auc_veto``) and
    the sentences the rules missed above the other silent ones
    (``auc_add``); 0.5 is chance."""
    out = {}
    for tag, row in scored.items():
        fired_rows = [i for i, f in enumerate(row["fired"]) if f]
        silent_rows = [i for i, f in enumerate(row["fired"]) if not f]
        out[tag] = {
            "ceiling": threshold_ceiling(row["truth"], row["fired"], row["p"]),
            "auc_veto": rank_auc(
                [row["p"][i] for i in fired_rows], [row["truth"][i] for i in fired_rows]
            ),
            "auc_add": rank_auc(
                [row["p"][i] for i in silent_rows],
                [row["truth"][i] for i in silent_rows],
            ),
        }
    return out


# ---------------------------------------------------------------------------
# The stacked corrector (``--corrector``, measured only): per tag, a logistic
# regression that starts from the rule's decision and learns corrections from
# what the rule almost saw. One model for the sentences where the rule fired
# (is this suggestion kept? the veto) and one for those where it did not (did
# the rule miss one? the add), on the unit's analysis features, its near-miss
# features and its words, with strong L2; thresholds by the same calibration
# as the textcat model (3-fold CV inside the training share, same gates).
# ---------------------------------------------------------------------------

WORD = re.compile(r"\w+")


def corrector_tokens(row: dict[str, Any]) -> set[str]:
    words = {f"w_{w.lower()}" for w in WORD.findall(row["text"])}
    return set(row["features"]) | set(row["near_miss"]) | words


class LogisticRegression:
    """L2-regularised logistic regression in NumPy: Adam from zero for a
    fixed number of steps (deterministic), over the tokens seen at least
    ``min_count`` times in training."""

    def __init__(self, l2: float = 1.0, steps: int = 300, rate: float = 0.1) -> None:
        self.l2, self.steps, self.rate = l2, steps, rate
        self.vocab: dict[str, int] = {}

    def matrix(self, tokens: Sequence[set[str]]) -> Any:
        import numpy as np

        x = np.zeros((len(tokens), len(self.vocab)))
        for i, found in enumerate(tokens):
            for token in found:
                j = self.vocab.get(token)
                if j is not None:
                    x[i, j] = 1.0
        return x

    def fit(
        self, tokens: Sequence[set[str]], truth: Sequence[bool], min_count: int = 2
    ) -> LogisticRegression:
        import numpy as np

        seen: dict[str, int] = {}
        for found in tokens:
            for token in found:
                seen[token] = seen.get(token, 0) + 1
        names = sorted(t for t, n in seen.items() if n >= min_count)
        self.vocab = {t: i for i, t in enumerate(names)}
        x, y = self.matrix(tokens), np.asarray(truth, dtype=float)
        n = len(y)
        w, b = np.zeros(x.shape[1]), 0.0
        m, v, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
        for step in range(1, self.steps + 1):
            p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
            g, gb = x.T @ (p - y) / n + self.l2 * w / n, float(np.mean(p - y))
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
            mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
            c1, c2 = 1 - 0.9**step, 1 - 0.999**step
            w -= self.rate * (m / c1) / (np.sqrt(v / c2) + 1e-8)
            b -= self.rate * (mb / c1) / (math.sqrt(vb / c2) + 1e-8)
        self.w, self.b = w, b
        return self

    def predict(self, tokens: Sequence[set[str]]) -> list[float]:
        import numpy as np

        z = self.matrix(tokens) @ self.w + self.b
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]


def corrector_probabilities(
    train: Sequence[set[str]],
    truth: Sequence[bool],
    fired: Sequence[bool],
    test: Sequence[set[str]],
    test_fired: Sequence[bool],
) -> list[float]:
    """P(tag) for each test unit from the model of its side (rule fired or
    not); a side whose training units are all one class predicts it."""
    out = [0.0] * len(test)
    for side in (True, False):
        rows = [i for i, f in enumerate(fired) if f is side]
        targets = [j for j, f in enumerate(test_fired) if f is side]
        if not targets:
            continue
        labels = [truth[i] for i in rows]
        if not rows or all(labels) or not any(labels):
            constant = 1.0 if rows and all(labels) else 0.0
            for j in targets:
                out[j] = constant
            continue
        model = LogisticRegression().fit([train[i] for i in rows], labels)
        for j, p in zip(
            targets, model.predict([test[j] for j in targets]), strict=True
        ):
            out[j] = p
    return out


def merged_tags(test, probs, calibration, tags) -> list[set[str]]:
    """Each test unit's tags with the model merged in: a calibrated tag by
    ``merge_decision``, any other tag as the rules say."""
    return [
        {
            t
            for t in tags
            if (
                merge_decision(
                    t in r["rules"], p[t], calibration[t].add, calibration[t].veto
                )
                if t in calibration
                else t in r["rules"]
            )
        }
        for r, p in zip(test, probs, strict=True)
    ]


def corrector_fit_test(
    train: list[dict[str, Any]], test: list[dict[str, Any]], tags: list[str]
) -> dict[str, Any]:
    learnt = modelled(train, tags)
    groups = [r["text_id"] for r in train]
    folds = oof_folds(groups, 3, 0)
    tokens = [corrector_tokens(r) for r in train]
    test_tokens = [corrector_tokens(r) for r in test]
    oof: list[dict[str, float]] = [{} for _ in train]
    probs: list[dict[str, float]] = [{} for _ in test]
    for tag in learnt:
        truth = [tag in r["gold"] for r in train]
        fired = [tag in r["rules"] for r in train]
        for k in sorted(set(folds)):
            inside = [i for i, f in enumerate(folds) if f != k]
            outside = [i for i, f in enumerate(folds) if f == k]
            for i, p in zip(
                outside,
                corrector_probabilities(
                    [tokens[i] for i in inside],
                    [truth[i] for i in inside],
                    [fired[i] for i in inside],
                    [tokens[i] for i in outside],
                    [fired[i] for i in outside],
                ),
                strict=True,
            ):
                oof[i][tag] = p
        for row, p in zip(
            probs,
            corrector_probabilities(
                tokens, truth, fired, test_tokens, [tag in r["rules"] for r in test]
            ),
            strict=True,
        ):
            row[tag] = p
    calibration = calibrate_tags(
        learnt,
        [{t: float(t in r["gold"]) for t in learnt} for r in train],
        [r["rules"] for r in train],
        oof,
        folds,
    )
    gold = [r["gold"] for r in test]
    merged = merged_tags(test, probs, calibration, tags)
    return {
        "rules": counts(gold, [r["rules"] for r in test], tags),
        "merged": counts(gold, merged, tags),
        "scored": {
            tag: {
                "truth": [tag in g for g in gold],
                "fired": [tag in r["rules"] for r in test],
                "p": [p[tag] for p in probs],
            }
            for tag in learnt
        },
        "thresholds": {t: [c.add, c.veto] for t, c in calibration.items()},
    }


def corrector_report(
    name: str, totals: dict[str, dict[str, list[int]]], scored: dict, tags: list[str]
) -> dict[str, Any]:
    diag = diagnostics(scored)
    out: dict[str, Any] = {
        "micro_f1": {k: micro(v) for k, v in totals.items()},
        "per_tag": {
            t: {
                "rules": f1_of(totals["rules"][t]),
                "merged": f1_of(totals["merged"][t]),
                "ceiling": (diag.get(t) or {}).get("ceiling", {}).get("f1"),
                "auc_veto": (diag.get(t) or {}).get("auc_veto"),
                "auc_add": (diag.get(t) or {}).get("auc_add"),
            }
            for t in tags
        },
    }
    print(f"\ncorrector, {name}: micro F1 {out['micro_f1']}")
    for tag in tags:
        row = out["per_tag"][tag]
        print(
            f"  {tag:38} rules {row['rules']!s:>6} merged {row['merged']!s:>6}"
            + diagnostics_text(diag.get(tag))
        )
    return out


def textcat_round(
    units: Units,
    train_ids: set[str],
    tags: list[str],
    settings: TrainSettings,
    base: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    train = [r for r in units.rows if r["text_id"] in train_ids]
    test = [r for r in units.rows if r["text_id"] not in train_ids]
    return textcat_fit_test(train, test, tags, settings, base)


def textcat_fit_test(
    train: list[dict[str, Any]],
    test: list[dict[str, Any]],
    tags: list[str],
    settings: TrainSettings,
    base: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Train on ``train`` (thresholds by 3-fold CV inside it), score ``test``.
    ``base`` rows (``--base``) join every model's training, the inner folds'
    included, but are never scored nor calibrated on: the thresholds still
    come from ``train``'s out-of-fold probabilities only."""
    learnt = modelled([*train, *base], tags)
    data = [example(r, learnt) for r in train]
    extra = [example(r, learnt) for r in base]
    started = time.perf_counter()
    oof = textcat_out_of_fold(
        data, [r["text_id"] for r in train], learnt, settings, extra=extra
    )
    calibration = calibrate_tags(
        learnt,
        [d.cats for d in data],
        [r["rules"] for r in train],
        oof,
        oof_folds([r["text_id"] for r in train], 3, settings.seed),
    )
    cv_seconds = time.perf_counter() - started
    started = time.perf_counter()
    nlp = textcat_train([*extra, *data], learnt, settings)
    seconds = time.perf_counter() - started
    probs = textcat_predict(nlp, [example(r, learnt) for r in test])
    # Model alone at the threshold that is best out of fold for it.
    model_thresholds = {tag: best_threshold(tag, train, oof) for tag in learnt}
    gold = [r["gold"] for r in test]
    rules = [r["rules"] for r in test]
    model = [{t for t in learnt if p[t] >= model_thresholds[t]} for p in probs]
    merged = merged_tags(test, probs, calibration, tags)
    adds = {tag: precise_add(tag, train, oof) for tag in learnt}
    precise = [
        set(r["rules"]) & set(tags)
        | {t for t, a in adds.items() if a is not None and p[t] >= a}
        for r, p in zip(test, probs, strict=True)
    ]
    scored = {
        tag: {
            "truth": [tag in g for g in gold],
            "fired": [tag in r for r in rules],
            "p": [p[tag] for p in probs],
        }
        for tag in learnt
    }
    return {
        "scored": scored,
        "merged_precise": counts(gold, precise, tags),
        "train_units": len(train),
        "test_units": len(test),
        "seconds": seconds,
        "cv_seconds": cv_seconds,
        "rules": counts(gold, rules, tags),
        "model": counts(gold, model, tags),
        "merged": counts(gold, merged, tags),
        "thresholds": {t: [c.add, c.veto] for t, c in calibration.items()},
    }


def span_data(units: Units, ids: set[str]) -> list[SpanExample]:
    out = []
    for devtext in units.texts:
        if devtext.id not in ids:
            continue
        rows = [r for r in units.rows if r["text_id"] == devtext.id]
        out.append(
            SpanExample(
                devtext.text,
                [r["span"] for r in rows],
                [(*r["span"], t) for r in rows for t in sorted(r["gold"])],
            )
        )
    return out


def compare_round(
    units: Units, train_ids: set[str], tags: list[str], kind: str
) -> dict[str, Any]:
    """Model alone at p >= 0.5 and its training time, for one alternative."""
    test_rows = [r for r in units.rows if r["text_id"] not in train_ids]
    gold = [r["gold"] for r in test_rows]
    started = time.perf_counter()
    if kind == "minilm":
        from corpus.nlp.learning.embeddings import embedding_train

        train = [r for r in units.rows if r["text_id"] in train_ids]
        tags = modelled(train, tags)
        classifier = embedding_train([example(r, tags) for r in train], tags)
        seconds = time.perf_counter() - started
        probs = classifier.predict([example(r, tags) for r in test_rows])
    elif kind.startswith("spancat"):
        suggester = kind.split("-", 1)[1]
        nlp = spancat_train(
            span_data(units, train_ids), tags, suggester=suggester, epochs=10
        )
        seconds = time.perf_counter() - started
        test_ids = {r["text_id"] for r in test_rows}
        probs = [
            p
            for doc in spancat_unit_probabilities(nlp, span_data(units, test_ids))
            for p in doc
        ]
        # span_data follows devset order, as units.rows does.
    else:
        train = [r for r in units.rows if r["text_id"] in train_ids]
        tags = modelled(train, tags)
        data = [example(r, tags) for r in train]
        nlp = textcat_train(data, tags, TrainSettings(architecture=kind))
        seconds = time.perf_counter() - started
        probs = textcat_predict(nlp, [example(r, tags) for r in test_rows])
    got = [{t for t in tags if p.get(t, 0.0) >= 0.5} for p in probs]
    return {"seconds": seconds, "counts": counts(gold, got, tags)}


def heldout_test(
    units: Units, args: argparse.Namespace, tags: list[str], settings: TrainSettings
) -> dict[str, Any] | None:
    """Train on the whole dev set (thresholds by CV inside it) and score the
    held-out set, whose texts the rules were never shaped on: does the model
    add where the rules generalise less well? Summary figures only (the
    held-out README: its texts and per-unit errors are not to be read)."""
    if not args.heldout:
        return None
    heldout = devset_load(args.heldout, args.heldout_cache, lang=args.lang)
    if not heldout.texts:
        print(f"held-out: no text found in {args.heldout_cache}; skipped")
        return None
    test = Units(heldout, *devset_analyse(heldout.texts)).rows
    result = textcat_fit_test(units.rows, test, tags, settings)
    per_tag = {
        t: {k: f1_of(result[k][t]) for k in ("rules", "model", "merged")} for t in tags
    }
    out = {
        "texts": len(heldout.texts),
        "units": len(test),
        "micro_f1": {k: micro(result[k]) for k in ("rules", "model", "merged")},
        "per_tag": per_tag,
        "positives": {t: sum(1 for r in test if t in r["gold"]) for t in tags},
        "thresholds": result["thresholds"],
        "diagnostics": diagnostics(result["scored"]),
    }
    if args.corrector:
        corrected = corrector_fit_test(units.rows, test, tags)
        out["corrector"] = corrector_report(
            "held-out (trained on the whole dev set)",
            {k: corrected[k] for k in ("rules", "merged")},
            corrected["scored"],
            tags,
        )
        out["corrector"]["thresholds"] = corrected["thresholds"]
    print(
        f"\nheld-out ({out['texts']} texts, {out['units']} units; trained on the "
        f"whole dev set): micro F1 {out['micro_f1']}"
    )
    for tag in tags:
        row = per_tag[tag]
        print(
            f"  {tag:38} {out['positives'][tag]:>4} "
            + " ".join(f"{row[k]!s:>6}" for k in ("rules", "model", "merged"))
            + diagnostics_text(out["diagnostics"].get(tag))
        )
    return out


def diagnostics_text(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    # The rules' F1 on the same rows: only the rotations where the tag had
    # enough positives to be modelled are pooled.
    return (
        f"  ceiling {row['ceiling']['f1']!s:>5} vs rules "
        f"{row['ceiling']['rules_f1']!s:>5} "
        f"(add {row['ceiling']['add']}, veto {row['ceiling']['veto']})  "
        f"AUC veto {row['auc_veto']!s:>5} add {row['auc_add']!s:>5}"
    )


def scale_test(
    units: Units, tags: list[str], n: int, settings: TrainSettings
) -> dict[str, Any]:
    """Train on ``n`` sentences (the dev units repeated): time, peak memory."""
    rows = (units.rows * (n // len(units.rows) + 1))[:n]
    data = [example(r, tags) for r in rows]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    nlp = textcat_train(data, tags, settings)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    textcat_predict(nlp, [example(r, tags) for r in units.rows])
    predict_seconds = time.perf_counter() - started
    return {
        "sentences": n,
        "train_seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_growth_mb": round((peak - before) / 1024, 1),
        "predict_seconds_all_units": round(predict_seconds, 3),
    }


def learning_curve(
    units: Units,
    text_ids: list[str],
    tags: list[str],
    fractions: Sequence[float],
    rotations: int,
    settings: TrainSettings,
    base: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Per training share: train on that share of ten folds of whole texts
    (``splits``), test on the other texts, counts pooled over rotations;
    prints the table and returns the figures per share. ``base`` rows join
    every training (``textcat_fit_test``)."""
    examples = {t: sum(1 for r in units.rows if t in r["gold"]) for t in tags}
    curve: dict[str, Any] = {}
    for fraction in fractions:
        totals: dict[str, dict[str, list[int]]] = {
            k: {} for k in ("rules", "model", "merged", "merged_precise")
        }
        seconds, cv_seconds, train_units = [], [], []
        scored: dict[str, dict[str, list]] = {}
        thresholds: list[dict[str, list]] = []
        for train_ids, _ in splits(text_ids, fraction, rotations):
            result = textcat_round(units, train_ids, tags, settings, base)
            for key in totals:
                add_counts(totals[key], result[key])
            pool_scored(scored, result["scored"])
            seconds.append(result["seconds"])
            cv_seconds.append(result["cv_seconds"])
            train_units.append(result["train_units"])
            thresholds.append(result["thresholds"])
        point = {
            "train_units_mean": round(sum(train_units) / len(train_units)),
            "train_seconds_mean": round(sum(seconds) / len(seconds), 2),
            "cv_seconds_mean": round(sum(cv_seconds) / len(cv_seconds), 2),
            "micro_f1": {k: micro(v) for k, v in totals.items()},
            "per_tag": {t: {k: f1_of(totals[k][t]) for k in totals} for t in tags},
            "diagnostics": diagnostics(scored),
            # Per rotation, the thresholds the calibration turned on.
            "thresholds_on": [
                {t: v for t, v in row.items() if v != [None, None]}
                for row in thresholds
            ],
        }
        curve[f"{int(fraction * 100)}%"] = point
        print(
            f"\n{int(fraction * 100):>3}% of texts "
            f"(~{point['train_units_mean']} units, "
            f"train {point['train_seconds_mean']} s, CV {point['cv_seconds_mean']} s): "
            f"micro F1 rules {point['micro_f1']['rules']}, model "
            f"{point['micro_f1']['model']}, rules+model {point['micro_f1']['merged']}, "
            f"rules+precise adds {point['micro_f1']['merged_precise']}"
        )
        print(
            f"  {'tag':38} {'n':>4} {'rules':>6} {'model':>6} {'merged':>6} "
            f"{'precise':>7}"
        )
        for tag in tags:
            row = point["per_tag"][tag]
            print(
                f"  {tag:38} {examples[tag]:>4} "
                + " ".join(f"{row[k]!s:>6}" for k in ("rules", "model", "merged"))
                + f" {row['merged_precise']!s:>7}"
                + diagnostics_text(point["diagnostics"].get(tag))
            )
        print(f"  thresholds turned on per rotation: {point['thresholds_on']}")
    return curve


def pool_spec(spec: str) -> tuple[Path, Path | None]:
    """``DIR:CACHE`` (a labelled set's directory and its text cache; without
    ``:CACHE`` the default cache) as two paths."""
    directory, _, cache = spec.partition(":")
    if not directory:
        raise DevsetError(f"--pool {spec!r}: expected DIR:CACHE")
    return Path(directory), Path(cache) if cache else None


def pool_load(specs: Sequence[str], *, lang: str | None = None) -> DevSet:
    """Several labelled sets (``DIR:CACHE`` each, the dev set's format) as
    one pool of texts, e.g. the held-out sets the rules were never shaped on:
    the learning curve then trains and tests on texts like a project's, where
    the rules are not near their ceiling. Each text keeps its manifest entry,
    so Spanish texts go through the Spanish pipeline. An id found in two sets
    is an error: folds are drawn over whole texts by id."""
    texts, missing, problems = [], [], []
    seen: dict[str, str] = {}
    for spec in specs:
        directory, cache = pool_spec(spec)
        part = devset_load(directory, cache, lang=lang)
        for text in part.texts:
            if text.id in seen:
                raise DevsetError(
                    f"{text.id} is in both {seen[text.id]} and {directory}"
                )
            seen[text.id] = str(directory)
        texts += part.texts
        missing += part.missing
        problems += [f"{directory.name}: {p}" for p in part.problems]
    return DevSet(texts=texts, missing=missing, problems=problems)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", default=str(ROOT / "corpus/nlp/devset"))
    parser.add_argument("--cache", default=None)
    parser.add_argument("--lang", default=None)
    parser.add_argument("--rotations", type=int, default=3)
    parser.add_argument(
        "--compare",
        nargs="?",
        const="bow,ensemble,spancat-preset,spancat-ngram,minilm",
        default="",
        help="models to compare (default all): bow, ensemble, spancat-preset, "
        "spancat-ngram, minilm (needs the optional extra)",
    )
    parser.add_argument(
        "--base",
        action="append",
        default=[],
        metavar="DIR:CACHE",
        help="with --pool: labelled sets added to every training share (e.g. the "
        "dev set), never tested nor calibrated on",
    )
    parser.add_argument(
        "--scale", type=int, default=2000, help="sentences to time (0: skip)"
    )
    parser.add_argument(
        "--corrector",
        action="store_true",
        help="also measure the stacked corrector (NumPy logistic regression on "
        "the rule decision, near-miss features and words) on the same splits",
    )
    parser.add_argument(
        "--heldout",
        default=None,
        help="also train on the whole dev set and score this held-out set "
        "(e.g. corpus/nlp/devset/heldout)",
    )
    parser.add_argument("--heldout-cache", default=None)
    parser.add_argument(
        "--pool",
        action="append",
        default=[],
        metavar="DIR:CACHE",
        help="run the curve on these labelled sets pooled instead of the dev set "
        "(repeat the option; e.g. corpus/nlp/devset/heldout:/work/devset-cache/"
        "heldout): texts the rules were never shaped on",
    )
    parser.add_argument(
        "--architecture", default="bow", help="textcat architecture: bow, ensemble"
    )
    parser.add_argument("--learn-rate", type=float, default=None)
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument(
        "--fractions",
        default=",".join(str(f) for f in FRACTIONS),
        help="comma-separated shares of the texts",
    )
    args = parser.parse_args()
    if args.pool and args.heldout:
        parser.error("--heldout trains on the dev set; it does not go with --pool")
    if args.base and not args.pool:
        parser.error("--base goes with --pool")

    if args.pool:
        try:
            devset = pool_load(args.pool, lang=args.lang)
        except DevsetError as exc:
            sys.exit(str(exc))
    else:
        devset = devset_load(args.devset, args.cache, lang=args.lang)
    for problem in devset.problems:
        print("note:", problem, file=sys.stderr)
    for key in devset.missing:
        print(f"note: {key}: not in the cache; skipped", file=sys.stderr)
    if not devset.texts:
        sys.exit("No dev-set text found in the cache.")
    # Only the tags the dev set's annotators judged (``CORE_TAGS``): the
    # others (status_label, victim_identity...) are unknown there, not
    # negative, so their rule firings are neither right nor wrong.
    tags = [t["key"] for t in default_tags() if t["key"] in CORE_TAGS]
    started = time.perf_counter()
    predictions, analyses = devset_analyse(devset.texts)
    analysis_seconds = time.perf_counter() - started
    units = Units(devset, predictions, analyses)
    examples = {t: sum(1 for r in units.rows if t in r["gold"]) for t in tags}
    print(
        f"{len(devset.texts)} texts, {len(units.rows)} units; analysis + rules "
        f"{analysis_seconds:.1f} s; positives per tag: {examples}"
    )
    text_ids = [t.id for t in devset.texts]
    settings = TrainSettings(architecture=args.architecture)
    if args.learn_rate is not None:
        settings = dataclasses.replace(settings, learn_rate=args.learn_rate)
    if args.epochs is not None:
        settings = dataclasses.replace(settings, epochs=args.epochs)
    fractions = [float(f) for f in args.fractions.split(",")]
    base_rows: list[dict[str, Any]] = []
    if args.base:
        base = pool_load(args.base, lang=args.lang)
        shared = {t.id for t in base.texts} & set(text_ids)
        if shared:
            sys.exit(f"--base and the tested texts share {sorted(shared)[:3]}")
        base_rows = Units(base, *devset_analyse(base.texts)).rows
        print(
            f"base: {len(base.texts)} texts, {len(base_rows)} units, in every "
            "training (never tested nor calibrated on)"
        )
    curve = learning_curve(
        units, text_ids, tags, fractions, args.rotations, settings, base_rows
    )

    corrector: dict[str, Any] = {}
    if args.corrector:
        for fraction in fractions:
            c_totals: dict[str, dict[str, list[int]]] = {"rules": {}, "merged": {}}
            c_scored: dict[str, dict[str, list]] = {}
            for train_ids, _ in splits(text_ids, fraction, args.rotations):
                train = [r for r in units.rows if r["text_id"] in train_ids]
                test = [r for r in units.rows if r["text_id"] not in train_ids]
                result = corrector_fit_test(train, test, tags)
                for key in c_totals:
                    add_counts(c_totals[key], result[key])
                pool_scored(c_scored, result["scored"])
            corrector[f"{int(fraction * 100)}%"] = corrector_report(
                f"{int(fraction * 100)}% of texts", c_totals, c_scored, tags
            )
    last = curve[list(curve)[-1]]["per_tag"]
    not_better = [
        t
        for t in tags
        if examples[t] >= MIN_EXAMPLES
        and (last[t]["merged"] or 0) <= (last[t]["rules"] or 0)
    ]
    not_better_by_share = {
        share: [
            t
            for t in tags
            if examples[t] >= MIN_EXAMPLES
            and (point["per_tag"][t]["merged"] or 0)
            <= (point["per_tag"][t]["rules"] or 0)
        ]
        for share, point in curve.items()
    }
    not_better_precise = [
        t
        for t in tags
        if examples[t] >= MIN_EXAMPLES
        and (last[t]["merged_precise"] or 0) <= (last[t]["rules"] or 0)
    ]
    comparison: dict[str, Any] = {}
    if args.compare:
        kinds = [k for k in args.compare.split(",") if k]
        if "minilm" in kinds:
            from corpus.nlp.learning.embeddings import available

            if not available():
                print(
                    "compare minilm: skipped (the optional ML extra is not installed)"
                )
                kinds.remove("minilm")
        for kind in kinds:
            total: dict[str, list[int]] = {}
            secs = []
            for fraction in (0.4, 0.8):
                for train_ids, _ in splits(text_ids, fraction, 1):
                    result = compare_round(units, train_ids, tags, kind)
                    add_counts(total, result["counts"])
                    secs.append(result["seconds"])
            f1_micro = micro(total) or 0.0
            mean = sum(secs) / len(secs)
            comparison[kind] = {
                "micro_f1_at_0.5": f1_micro,
                "train_seconds_mean": round(mean, 2),
                "f1_per_second": round(f1_micro / mean, 4) if mean else None,
            }
            print(f"compare {kind}: {comparison[kind]}")
    held = heldout_test(units, args, tags, settings)
    scale: dict[str, Any] = {}
    kept = None
    if args.scale:
        scale = scale_test(units, modelled(units.rows, tags), args.scale, settings)
        predict_share = scale["predict_seconds_all_units"] / analysis_seconds
        kept = round(1 / (1 + predict_share), 3)
        print(f"\ntraining on {args.scale} sentences: {scale}")
        print(
            f"inference on all {len(units.rows)} units: "
            f"{scale['predict_seconds_all_units']} s vs analysis + rules "
            f"{analysis_seconds:.1f} s (throughput kept {kept})"
        )
    print(
        f"tags with >= {MIN_EXAMPLES} examples where rules+model is not above "
        f"rules at {list(curve)[-1]}: " + (", ".join(not_better) or "none")
    )
    for share, missed in not_better_by_share.items():
        print(f"  at {share}: " + (", ".join(missed) or "none"))
    print(
        json.dumps(
            {
                "benchmark": "learning",
                "data": args.pool or [args.devset],
                "base": args.base,
                "texts": len(devset.texts),
                "languages": {
                    lang: sum(1 for t in devset.texts if t.lang == lang)
                    for lang in sorted({t.lang for t in devset.texts})
                },
                "units": len(units.rows),
                "rotations": args.rotations,
                "model": f"textcat_multilabel ({args.architecture})",
                "curve": {
                    k: {
                        "micro_f1": v["micro_f1"],
                        "train_units": v["train_units_mean"],
                        "per_tag": v["per_tag"],
                        "thresholds_on": v["thresholds_on"],
                        "ceiling_f1": {
                            t: d["ceiling"]["f1"] for t, d in v["diagnostics"].items()
                        },
                        "auc_veto": {
                            t: d["auc_veto"] for t, d in v["diagnostics"].items()
                        },
                        "auc_add": {
                            t: d["auc_add"] for t, d in v["diagnostics"].items()
                        },
                    }
                    for k, v in curve.items()
                },
                "per_tag_last": last,
                "examples": examples,
                "target_merged_above_rules_tags_ge_20": not not_better,
                "not_better": not_better,
                "not_better_by_share": not_better_by_share,
                "not_better_precise_adds": not_better_precise,
                "compare": comparison,
                "corrector": corrector,
                "heldout": held,
                "train_2000": scale,
                "target_train_2000": {"seconds": 300, "rss_mb": 1536},
                "inference_throughput_kept": kept,
                "target_inference_ratio": 0.8,
            }
        )
    )


if __name__ == "__main__":
    main()
