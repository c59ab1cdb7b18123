"""Sentence-level evaluation of suggestions against a gold file.

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
Claimants are scored on sentences that carry at least one gold tag:
type accuracy, and name accuracy (one name contains the other, or they end
in the same word). Numbers are matched as (value, counts, cumulative).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
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
        assigned: list[list[dict]] = [[] for _ in gold]
        best: list[tuple[int, dict | None]] = [(0, None) for _ in gold]
        for item in predicted:
            overlaps = [
                max(0, min(item["end"], g["end"]) - max(item["start"], g["start"]))
                for g in gold
            ]
            if not overlaps or max(overlaps) == 0:
                continue
            index = overlaps.index(max(overlaps))
            assigned[index].append(item)
            if overlaps[index] > best[index][0]:
                best[index] = (overlaps[index], item)
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
            top = best[index][1]
            if want:
                claimants += 1
                if top is not None:
                    if top["claimant_type"] == g.get("claimant_type", "unattributed"):
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
