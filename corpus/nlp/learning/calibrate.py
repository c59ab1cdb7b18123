"""Per-tag thresholds for merging a model with the rules.

For each tag the merged decision on a sentence is::

    rule fired and p >= veto   or   p >= add

``add`` lets the model propose a sentence no rule found; ``veto`` lets it
drop a rule's suggestion it is sure enough is wrong (with ``veto`` equal to
``add`` the model decides alone). Both are chosen on
out-of-fold probabilities (the model that scored a sentence never saw it)
to maximise that tag's F1, and either may be ``None`` (off). When nothing
beats the rules alone both stay off, so on the data it was calibrated on,
merging never scores below the rules. The ``veto`` is the rule filter that
learns from rejections: the model sees which rule fired
(``corpus.nlp.learning.features``), so a rule the analysts keep rejecting
gets low probabilities and its suggestions can be dropped; the ``add``
proposes sentences where no rule fired.

Small samples make lucky thresholds (measured on the real-text dev set: with
5 positives a tag's merge scored below the rules on unseen texts at 10-20%
of the texts), so a threshold is taken only with ``MIN_POSITIVES`` judged
positives of the tag, only if it beats the rules by ``MARGIN`` out of fold
with a net gain of at least ``NET_GAIN`` sentences, and, when the folds are
given, only if it scores no lower than the rules in any single fold. Pure
Python: no spaCy.

``threshold_ceiling`` and ``rank_auc`` are diagnostics for the benchmark:
the best any ``add``/``veto`` pair of the grids could have done on a set of
predictions when chosen *on those same predictions* (an upper bound, never
a calibration), and how well the model ranks the rules' right suggestions
above their wrong ones (veto) and the missed sentences above the rest (add).
On the real-text dev set both say why no threshold turns on: for most tags
the ceiling equals the rules and the veto ranking is no better than chance
(``benchmarks/learning.py``, docs/learning.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

ADD_GRID = (None, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# A veto as high as the add threshold means the model decides alone: chosen
# only where the model beats the rules out of fold.
VETO_GRID = (None, 0.05, 0.1, 0.2, 0.3, 0.5)
# The model is used for a tag only with this many judged positives, and
# only where it beats the rules out of fold by this margin: small samples
# make lucky thresholds.
MIN_POSITIVES = 20
MARGIN = 0.01
# ... and only where it gets at least this many more sentences right than the
# rules out of fold (sentences it fixes minus sentences it breaks): a gain of
# one sentence is no evidence.
NET_GAIN = 2


@dataclass(frozen=True)
class TagCalibration:
    tag: str
    add: float | None
    veto: float | None
    support: int  # judged sentences for this tag
    positives: int
    f1_rules: float | None
    f1_model: float | None
    f1_merged: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def merge_decision(
    rule: bool, p: float | None, add: float | None, veto: float | None
) -> bool:
    """The merged yes/no for one tag on one sentence."""
    if p is None:
        return rule
    if rule:
        return veto is None or p >= veto
    return add is not None and p >= add


def f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float | None:
    """F1 of ``predicted`` against ``gold``; None with no positive at all."""
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    if tp + fp + fn == 0:
        return None
    return 2 * tp / (2 * tp + fp + fn)


def _score(value: float | None) -> float:
    return -1.0 if value is None else value


def _net_gain(
    truth: Sequence[bool], fired: Sequence[bool], merged: Sequence[bool]
) -> int:
    """Sentences the merge gets right and the rules wrong, minus the reverse."""
    return sum(
        (m == t) - (r == t) for t, r, m in zip(truth, fired, merged, strict=True)
    )


def _steady(
    truth: Sequence[bool],
    fired: Sequence[bool],
    merged: Sequence[bool],
    folds: Sequence[int] | None,
) -> bool:
    """Whether ``merged`` scores no lower than the rules in every fold."""
    if folds is None:
        return True
    for k in sorted(set(folds)):
        rows = [i for i, f in enumerate(folds) if f == k]
        t = [truth[i] for i in rows]
        rules_f1 = _score(f1(t, [fired[i] for i in rows]))
        if _score(f1(t, [merged[i] for i in rows])) < rules_f1:
            return False
    return True


def calibrate_tags(
    tags: Sequence[str],
    gold: Sequence[dict[str, float]],
    rules: Sequence[set[str]],
    probabilities: Sequence[dict[str, float]],
    folds: Sequence[int] | None = None,
    *,
    min_positives: int = MIN_POSITIVES,
) -> dict[str, TagCalibration]:
    """Thresholds per tag from out-of-fold ``probabilities``.

    ``gold[i]`` holds the judged tags of sentence ``i`` (1.0 or 0.0; a tag
    absent is unknown and the sentence is left out for it), ``rules[i]`` the
    tags the rules fired on it, ``folds[i]`` (optional) the cross-validation
    fold that scored it.
    """
    out: dict[str, TagCalibration] = {}
    for tag in tags:
        rows = [i for i, g in enumerate(gold) if tag in g]
        row_folds = None if folds is None else [folds[i] for i in rows]
        truth = [gold[i][tag] >= 0.5 for i in rows]
        fired = [tag in rules[i] for i in rows]
        probs = [probabilities[i].get(tag, 0.0) for i in rows]
        f1_rules = f1(truth, fired)
        best: tuple[float, int, float | None, float | None] = (
            _score(f1_rules),
            0,
            None,
            None,
        )
        for add in ADD_GRID:
            for veto in VETO_GRID:
                if add is None and veto is None:
                    continue
                merged = [
                    merge_decision(r, p, add, veto)
                    for r, p in zip(fired, probs, strict=True)
                ]
                score = _score(f1(truth, merged))
                # Clearly better only: ties keep the rules (fewer changes).
                if (
                    sum(truth) >= min_positives
                    and score > best[0] + MARGIN
                    and _net_gain(truth, fired, merged) >= NET_GAIN
                    and _steady(truth, fired, merged, row_folds)
                ):
                    best = (score, 1, add, veto)
        model_best = max(
            (
                _score(f1(truth, [p >= t for p in probs]))
                for t in ADD_GRID
                if t is not None
            ),
            default=-1.0,
        )
        out[tag] = TagCalibration(
            tag=tag,
            add=best[2],
            veto=best[3],
            support=len(rows),
            positives=sum(truth),
            f1_rules=f1_rules,
            f1_model=None if model_best < 0 else model_best,
            f1_merged=None if best[0] < 0 else best[0],
        )
    return out


def merge_counts(
    truth: Sequence[bool],
    fired: Sequence[bool],
    probs: Sequence[float],
    add: float | None,
    veto: float | None,
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of the merge."""
    tp = fp = fn = 0
    for t, r, p in zip(truth, fired, probs, strict=True):
        got = merge_decision(r, p, add, veto)
        tp += t and got
        fp += got and not t
        fn += t and not got
    return tp, fp, fn


def threshold_ceiling(
    truth: Sequence[bool], fired: Sequence[bool], probs: Sequence[float]
) -> dict[str, Any]:
    """The best merged F1 over the ``ADD_GRID`` x ``VETO_GRID`` pairs, chosen
    on these very predictions (ties keep the rules): what no calibration can
    exceed on them. A diagnostic, not a threshold to use."""

    def score(row: tuple[int, int, int]) -> float:
        tp, fp, fn = row
        return -1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)

    rules = merge_counts(truth, fired, probs, None, None)
    best: tuple[float, float | None, float | None, tuple[int, int, int]] = (
        score(rules),
        None,
        None,
        rules,
    )
    for add in ADD_GRID:
        for veto in VETO_GRID:
            if add is None and veto is None:
                continue
            row = merge_counts(truth, fired, probs, add, veto)
            if score(row) > best[0]:
                best = (score(row), add, veto, row)
    return {
        "f1": None if best[0] < 0 else round(best[0], 3),
        "rules_f1": None if score(rules) < 0 else round(score(rules), 3),
        "add": best[1],
        "veto": best[2],
        "tp_fp_fn": list(best[3]),
        "rules_tp_fp_fn": list(rules),
    }


def rank_auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Probability that a random positive scores above a random negative
    (ties count half); None without both. 0.5 is chance."""
    pos = sorted(s for s, y in zip(scores, labels, strict=True) if y)
    neg = sorted(s for s, y in zip(scores, labels, strict=True) if not y)
    if not pos or not neg:
        return None
    wins = 0.0
    i = 0
    for p in pos:  # both sorted: one pass over the negatives
        while i < len(neg) and neg[i] < p:
            i += 1
        j = i
        while j < len(neg) and neg[j] == p:
            j += 1
        wins += i + (j - i) / 2  # negatives below p, and half of the ties
    return round(wins / (len(pos) * len(neg)), 3)
