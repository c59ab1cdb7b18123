"""Evaluation of suggestions: fictional gold sets and the real-text dev set.

Gold format (JSONL, one document per line; see docs/suggestions.md)::

    {"id": "...", "kind": "article", "text": "...",
     "sentences": [{"text": "<exact substring of text>", "tags": [...],
                    "claimant": "...", "claimant_type": "...",
                    "numbers": [{"value": 14, "counts": "killed",
                                 "cumulative": false}]}]}

Sentences are found in order in ``text``; every predicted sentence is
assigned to the gold sentence it overlaps most, so a segmentation
difference costs only where it changes the tags. Tags are scored per
sentence (precision, recall, F1 per tag, for the tags named in
``tags_labelled`` or the nine tags of the labelling conventions).
Claimants are scored on sentences that carry at least one gold tag: type
accuracy (the first pipeline's type names mapped to those of tags.md,
``LEGACY_CLAIMANT_TYPES``, on both sides), and name accuracy (one name
contains the other, or they end in the same word). Numbers are matched as
(value, counts, cumulative).

The dev set (``annotations.devset``: real texts, units located by
fingerprints in a cache) is scored the same way per unit, with figures for
headline units, body units and all units, and percentile bootstrap 95%
intervals that resample texts (``devset_evaluate``); there casualty numbers
match on (value, counts) and the scope (``cumulative``) of matched numbers
is its own figure. docs/evaluation.md explains every figure.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

CORE_TAGS = (
    "official_claim",
    "no_evidence_provided",
    "experts_say_illegal",
    "legal_characterization_by_official",
    "casualty_figure",
    "hedged_allegation",
    "refusal_or_non_answer",
    "rescue_or_survivor",
    "denial_or_rebuttal",
)


class GoldError(ValueError):
    """The gold file is malformed; the message names the line and problem."""


def gold_read(lines: Iterable[str]) -> list[dict[str, Any]]:
    docs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"Line {number}: not JSON ({exc.msg}).") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
            raise GoldError(f"Line {number}: needs a 'text' string.")
        sentences = doc.get("sentences")
        if not isinstance(sentences, list):
            raise GoldError(f"Line {number}: needs a 'sentences' list.")
        cursor = 0
        for index, sentence in enumerate(sentences, start=1):
            text = sentence.get("text", "") if isinstance(sentence, dict) else ""
            if "start" in sentence and "end" in sentence:
                start, end = int(sentence["start"]), int(sentence["end"])
            else:
                start = doc["text"].find(text, cursor) if text else -1
                if start < 0:
                    raise GoldError(
                        f"Line {number}, sentence {index}: text not found in order "
                        "in the document."
                    )
                end = start + len(text)
            sentence["start"], sentence["end"] = start, end
            cursor = end
        docs.append(doc)
    return docs


def _same_claimant(gold: str, predicted: str) -> bool:
    g, p = gold.casefold().strip(), predicted.casefold().strip()
    if not g or not p:
        return g == p
    if g in p or p in g:
        return True
    return g.split()[-1] == p.split()[-1]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
    }


def evaluate(
    docs: list[dict[str, Any]],
    predict: Callable[[list[str]], list[list[dict[str, Any]]]],
) -> dict[str, Any]:
    """Score ``predict`` (texts -> per-sentence predictions) on ``docs``."""
    predictions = predict([d["text"] for d in docs])
    counts: dict[str, Counter] = {}
    type_hits = name_hits = claimants = 0
    num_tp = num_fp = num_fn = 0
    errors = []
    for doc, predicted in zip(docs, predictions, strict=True):
        labelled = tuple(doc.get("tags_labelled") or CORE_TAGS)
        gold = doc["sentences"]
        assigned, best = predictions_assign(gold, predicted)
        for index, g in enumerate(gold):
            got = set().union(*(set(p["tags"]) for p in assigned[index]))
            want = set(g.get("tags") or [])
            for tag in labelled:
                c = counts.setdefault(tag, Counter())
                if tag in want and tag in got:
                    c["tp"] += 1
                elif tag in got:
                    c["fp"] += 1
                    errors.append((doc.get("id"), "FP", tag, g["text"]))
                elif tag in want:
                    c["fn"] += 1
                    errors.append((doc.get("id"), "FN", tag, g["text"]))
            top = best[index]
            if want:
                claimants += 1
                if top is not None:
                    if claimant_type_normal(top["claimant_type"]) == (
                        claimant_type_normal(g.get("claimant_type", "unattributed"))
                    ):
                        type_hits += 1
                    if _same_claimant(g.get("claimant", ""), top["claimant"]):
                        name_hits += 1
            gold_numbers = Counter(
                (n["value"], n["counts"], bool(n.get("cumulative")))
                for n in g.get("numbers") or []
            )
            got_numbers = Counter(
                (n["value"], n["counts"], bool(n["cumulative"]))
                for p in assigned[index]
                for n in p["numbers"]
            )
            common = sum((gold_numbers & got_numbers).values())
            num_tp += common
            num_fp += sum(got_numbers.values()) - common
            num_fn += sum(gold_numbers.values()) - common
            if gold_numbers != got_numbers:
                errors.append(
                    (doc.get("id"), "NUM", str(sorted(got_numbers)), g["text"])
                )
    per_tag = {tag: _prf(c["tp"], c["fp"], c["fn"]) for tag, c in counts.items()}
    return {
        "documents": len(docs),
        "sentences": sum(len(d["sentences"]) for d in docs),
        "tags": per_tag,
        "claimant_sentences": claimants,
        "claimant_type_accuracy": round(type_hits / claimants, 3) if claimants else 0.0,
        "claimant_name_accuracy": round(name_hits / claimants, 3) if claimants else 0.0,
        "numbers": _prf(num_tp, num_fp, num_fn),
        "errors": errors,
    }


def predict_texts(texts: list[str]) -> list[list[dict[str, Any]]]:
    """Default-taxonomy predictions for many texts, parsed in batches."""
    from annotations.rules import sentence_predictions
    from corpus.nlp import analyse_texts

    return [
        sentence_predictions(data, text)
        for text, data in zip(texts, analyse_texts(texts), strict=True)
    ]


# ---------------------------------------------------------------------------
# The real-text dev set (annotations/devset.py): units located by
# fingerprints, figures per segment with bootstrap intervals over texts.
# ---------------------------------------------------------------------------

KEY_TAGS = (
    "official_claim",
    "no_evidence_provided",
    "experts_say_illegal",
    "legal_characterization_by_official",
    "casualty_figure",
)
SEGMENT_NAMES = ("all", "headline", "body")
# What a casualty number may count; other counts the pipeline extracts
# (vessels, strikes) are not casualty figures and are not scored.
CASUALTY_COUNTS = frozenset(
    {"killed", "dead", "injured", "survivors", "aboard", "missing"}
)
# The claimant types of the first pipeline, in the names of tags.md (so a
# pipeline still emitting them is scored on the same footing).
LEGACY_CLAIMANT_TYPES = {
    "official": "acting_government",
    "military": "acting_government",
    "un_body": "un",
    "ngo": "rights_group",
    "journalist": "media",
    "unattributed": "reporter",
}


def claimant_type_normal(value: str) -> str:
    return LEGACY_CLAIMANT_TYPES.get(value, value)


def predictions_assign(
    units: list[dict[str, Any]], predicted: list[dict[str, Any]]
) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any] | None]]:
    """Each prediction goes to the unit it overlaps most; also each unit's
    prediction of largest overlap (whose claimant speaks for the unit)."""
    assigned: list[list[dict[str, Any]]] = [[] for _ in units]
    best: list[tuple[int, dict[str, Any] | None]] = [(0, None) for _ in units]
    for item in predicted:
        overlaps = [
            max(0, min(item["end"], u["end"]) - max(item["start"], u["start"]))
            for u in units
        ]
        if not overlaps or max(overlaps) == 0:
            continue
        index = overlaps.index(max(overlaps))
        assigned[index].append(item)
        if overlaps[index] > best[index][0]:
            best[index] = (overlaps[index], item)
    return assigned, [b[1] for b in best]


def _numbers_compare(
    gold: list[dict[str, Any]], got: list[dict[str, Any]]
) -> tuple[int, int, int, int, int]:
    """(tp, fp, fn, matched, scope right): numbers match on value and
    counts; of the matched pairs, how many agree on ``cumulative``."""
    g = Counter((n["value"], n["counts"]) for n in gold)
    p = Counter((n["value"], n["counts"]) for n in got)
    matched = g & p
    tp = sum(matched.values())
    right = 0
    for key, pairs in matched.items():
        g_cum = sum(
            1 for n in gold if (n["value"], n["counts"]) == key and n.get("cumulative")
        )
        p_cum = sum(
            1 for n in got if (n["value"], n["counts"]) == key and n.get("cumulative")
        )
        agree = min(g_cum, p_cum) + min(g[key] - g_cum, p[key] - p_cum)
        right += min(pairs, agree)
    return tp, sum(p.values()) - tp, sum(g.values()) - tp, tp, right


def devset_text_counts(
    text_id: str,
    text: str,
    units: list[dict[str, Any]],
    predicted: list[dict[str, Any]],
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Counter]:
    """Counts per segment (``all``, ``headline``, ``body``) for one text.

    Keys: ``<tag>:tp|fp|fn`` for the nine tags, ``type:n`` / ``type:hit`` /
    ``name:hit`` (claimants, on units with a gold tag), ``num:tp|fp|fn``
    and ``scope:n`` / ``scope:hit`` (casualty numbers). Errors, if a list is
    given, are appended as dicts (see ``errors_format``).
    """
    counts: dict[str, Counter[str]] = {name: Counter() for name in SEGMENT_NAMES}
    assigned, best = predictions_assign(units, predicted)
    for unit, items, top in zip(units, assigned, best, strict=True):
        c: Counter[str] = Counter()
        got = set().union(*(set(p["tags"]) for p in items))
        want = set(unit.get("tags") or [])
        p_claimant = top["claimant"] if top else ""
        p_type = claimant_type_normal(top["claimant_type"]) if top else ""
        g_type = claimant_type_normal(unit.get("claimant_type", ""))
        base = {
            "id": text_id,
            "segment": unit.get("segment", "body"),
            "start": unit["start"],
            "text": text[unit["start"] : unit["end"]],
            "gold_claimant": unit.get("claimant", ""),
            "gold_type": g_type,
            "claimant": p_claimant,
            "claimant_type": p_type,
        }
        for tag in CORE_TAGS:
            if tag in want and tag in got:
                c[f"{tag}:tp"] += 1
            elif tag in got:
                c[f"{tag}:fp"] += 1
                fired: dict[str, Any] = next(
                    (p["fired"][tag] for p in items if tag in p.get("fired", {})), {}
                )
                if errors is not None:
                    errors.append(base | {"kind": "FP", "tag": tag, "fired": fired})
            elif tag in want:
                c[f"{tag}:fn"] += 1
                if errors is not None:
                    errors.append(base | {"kind": "FN", "tag": tag})
        if want:
            c["type:n"] += 1
            if top is not None and p_type == g_type:
                c["type:hit"] += 1
            elif errors is not None:
                errors.append(base | {"kind": "TYPE", "tag": ""})
            if top is not None and _same_claimant(unit.get("claimant", ""), p_claimant):
                c["name:hit"] += 1
        gold_numbers = [
            n for n in unit.get("numbers") or [] if n.get("counts") in CASUALTY_COUNTS
        ]
        got_numbers = [
            n for p in items for n in p["numbers"] if n["counts"] in CASUALTY_COUNTS
        ]
        tp, fp, fn, matched, right = _numbers_compare(gold_numbers, got_numbers)
        c["num:tp"] += tp
        c["num:fp"] += fp
        c["num:fn"] += fn
        c["scope:n"] += matched
        c["scope:hit"] += right
        if (fp or fn or right < matched) and errors is not None:
            errors.append(
                base
                | {
                    "kind": "NUM",
                    "tag": "",
                    "gold_numbers": [
                        (n["value"], n["counts"], bool(n.get("cumulative")))
                        for n in gold_numbers
                    ],
                    "numbers": [
                        (
                            n["value"],
                            n["counts"],
                            bool(n["cumulative"]),
                            n.get("text", ""),
                        )
                        for n in got_numbers
                    ],
                }
            )
        counts[base["segment"]] += c
        counts["all"] += c
    return counts


def _ratio(num: Any, den: Any) -> Any:
    """num / den, NaN (undefined) where den is 0; numbers or numpy arrays."""
    import numpy as np

    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.full_like(num, np.nan), where=den > 0)


def _prf_arrays(tp: Any, fp: Any, fn: Any) -> dict[str, Any]:
    """Precision, recall and F1 = 2tp / (2tp + fp + fn); each undefined
    (NaN) when its denominator is 0 (no prediction, no gold, neither)."""
    return {
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
    }


def _nanmean(values: list[Any]) -> Any:
    """Mean of the defined values (elementwise); NaN where none is."""
    import numpy as np

    stacked = np.stack([np.asarray(v, dtype=float) for v in values])
    defined = ~np.isnan(stacked)
    total = np.where(defined, stacked, 0.0).sum(axis=0)
    return _ratio(total, defined.sum(axis=0))


def _figures(get: Callable[[str], Any]) -> dict[str, Any]:
    """Every figure from summed counts; ``get(key)`` gives a count (a number,
    or an array over bootstrap samples)."""
    out: dict[str, Any] = {"tags": {}}
    for tag in CORE_TAGS:
        out["tags"][tag] = _prf_arrays(
            get(f"{tag}:tp"), get(f"{tag}:fp"), get(f"{tag}:fn")
        )
    out["key_macro_f1"] = _nanmean([out["tags"][t]["f1"] for t in KEY_TAGS])
    out["micro"] = _prf_arrays(
        sum(get(f"{t}:tp") for t in CORE_TAGS),
        sum(get(f"{t}:fp") for t in CORE_TAGS),
        sum(get(f"{t}:fn") for t in CORE_TAGS),
    )
    out["claimant_type_accuracy"] = _ratio(get("type:hit"), get("type:n"))
    out["claimant_name_accuracy"] = _ratio(get("name:hit"), get("type:n"))
    out["numbers"] = _prf_arrays(get("num:tp"), get("num:fp"), get("num:fn"))
    out["scope_accuracy"] = _ratio(get("scope:hit"), get("scope:n"))
    return out


def _walk(
    point: dict[str, Any],
    samples: dict[str, Any],
    interval: Callable[[Any], list[float] | None],
) -> dict[str, Any]:
    """Round the point figures (None where undefined) and attach
    ``<name>_ci`` from the bootstrap samples."""
    import math

    result: dict[str, Any] = {}
    for key, value in point.items():
        if isinstance(value, dict):
            result[key] = _walk(value, samples[key], interval)
            continue
        number = float(value)
        result[key] = None if math.isnan(number) else round(number, 3)
        result[f"{key}_ci"] = None if result[key] is None else interval(samples[key])
    return result


def _total(totals: dict[str, Any], zero: Any, key: str) -> Any:
    return totals.get(key, zero)


def devset_score(
    per_text: list[dict[str, Counter]], *, bootstrap: int = 1000, seed: int = 0
) -> dict[str, Any]:
    """Figures per segment with percentile bootstrap 95% intervals.

    The bootstrap resamples **texts** with replacement (units of one text
    are not independent: one voice, one topic), ``bootstrap`` times, and
    recomputes every figure from the resampled counts.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(per_text)
    samples = rng.integers(0, n, size=(bootstrap, n)) if n and bootstrap else None

    def interval(values: Any) -> list[float] | None:
        """Percentile interval over the samples where the figure is defined."""
        if samples is None:
            return None
        values = np.asarray(values, dtype=float)
        values = values[~np.isnan(values)]
        if not values.size:
            return None
        lo, hi = np.percentile(values, [2.5, 97.5])
        return [round(float(lo), 3), round(float(hi), 3)]

    result: dict[str, Any] = {}
    for segment in SEGMENT_NAMES:
        keys = sorted({k for counts in per_text for k in counts[segment]})
        matrix = np.array(
            [[counts[segment][k] for k in keys] for counts in per_text], dtype=float
        ).reshape(n, len(keys))
        totals = dict(zip(keys, matrix.sum(axis=0), strict=True))
        point = _figures(partial(_total, totals, 0.0))
        if samples is not None:
            resampled = matrix[samples].sum(axis=1)  # (bootstrap, keys)
            columns = {k: resampled[:, i] for i, k in enumerate(keys)}
            drawn = _figures(partial(_total, columns, np.zeros(bootstrap)))
        else:
            drawn = point
        figures = _walk(point, drawn, interval)
        for tag, m in figures["tags"].items():
            for part in ("tp", "fp", "fn"):
                m[part] = int(totals.get(f"{tag}:{part}", 0))
        for part in ("tp", "fp", "fn"):
            figures["numbers"][part] = int(totals.get(f"num:{part}", 0))
        figures["claimant_units"] = int(totals.get("type:n", 0))
        figures["scope_matched"] = int(totals.get("scope:n", 0))
        result[segment] = figures
    return result


def devset_evaluate(
    devset,
    predictions: list[list[dict[str, Any]]],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Score ``predictions`` (one list per text of ``devset.texts``, in the
    shape of ``annotations.rules.sentence_predictions``) on the dev set."""
    errors: list[dict[str, Any]] = []
    per_text = [
        devset_text_counts(
            t.id, t.text, [u.as_gold() for u in t.units], predicted, errors
        )
        for t, predicted in zip(devset.texts, predictions, strict=True)
    ]
    return {
        "texts": len(devset.texts),
        "units": sum(len(t.units) for t in devset.texts),
        "units_by_segment": {
            s: sum(1 for t in devset.texts for u in t.units if u.segment == s)
            for s in ("headline", "body")
        },
        "missing": list(devset.missing),
        "changed": devset.changed,
        "lost_units": sum(len(t.lost) for t in devset.texts),
        "bootstrap": bootstrap,
        "seed": seed,
        "segments": devset_score(per_text, bootstrap=bootstrap, seed=seed),
        "errors": errors,
    }


def devset_predict(texts) -> list[list[dict[str, Any]]]:
    """Default-taxonomy predictions for dev-set texts, each analysed with
    the ``DocumentContext`` of its manifest line (one spaCy load)."""
    from annotations.rules import sentence_predictions
    from corpus.nlp import analyse_texts

    data = analyse_texts([t.text for t in texts], contexts=[t.context() for t in texts])
    return [sentence_predictions(d, t.text) for t, d in zip(texts, data, strict=True)]


def errors_format(error: dict[str, Any], width: int = 200) -> list[str]:
    """Lines of ``--errors`` output for one error dict."""
    text = " ".join(error["text"].split())
    if len(text) > width:
        text = text[: width - 1] + "\u2026"
    where = f"[{error['id']} @{error['start']} {error['segment']}]"
    gold = f"gold: {error['gold_claimant'] or '(own voice)'} ({error['gold_type']})"
    got = f"got: {error['claimant'] or '(own voice)'} ({error['claimant_type'] or '-'})"
    head = f"{error['kind']:<4} {error['tag']:<34} {where} {gold}; {got}"
    lines = [head.rstrip()]
    fired = error.get("fired")
    if fired:
        lines.append(
            f"       rule {fired.get('rule')}: {fired.get('explanation')} "
            f"[by {fired.get('claimant') or '(own voice)'} "
            f"({claimant_type_normal(fired.get('claimant_type', ''))})]"
        )
    if error["kind"] == "NUM":
        lines.append(
            f"       gold numbers {error['gold_numbers']}; got {error['numbers']}"
        )
    lines.append(f"       \u00ab{text}\u00bb")
    return lines
