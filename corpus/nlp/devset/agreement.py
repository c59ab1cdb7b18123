"""Krippendorff's alpha per tag between the dev set's two annotators.

Units are the labelled sentences; each tag is a yes/no value per unit, and
the claimant type is compared on units both annotators tagged. Usage::

    .venv/bin/python corpus/nlp/devset/agreement.py > corpus/nlp/devset/agreement.json
"""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np

HERE = Path(__file__).resolve().parent
TAGS = (
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


def read(name: str) -> dict[str, dict]:
    with open(HERE / name, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["id"]: row for row in rows}


def alpha(a: list[int], b: list[int]) -> float | None:
    if not any(a) and not any(b):
        return None
    data = np.array([a, b], dtype=float)
    value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    return None if np.isnan(value) else round(float(value), 3)


def agreement(lang: str, manifest, first, second) -> dict:
    ids = [i for i in first if i in second and lang in ("all", manifest[i]["lang"])]
    pairs = []
    for i in ids:
        units_a, units_b = first[i]["sentences"], second[i]["sentences"]
        prints_a = [u["fingerprint"] for u in units_a]
        assert prints_a == [u["fingerprint"] for u in units_b], i
        pairs += list(zip(units_a, units_b, strict=True))
    result: dict = {"texts": len(ids), "sentences": len(pairs), "tags": {}}
    for tag in TAGS:
        a = [int(tag in x["tags"]) for x, _ in pairs]
        b = [int(tag in y["tags"]) for _, y in pairs]
        both = sum(1 for p, q in zip(a, b, strict=True) if p and q)
        result["tags"][tag] = {"a": sum(a), "b": sum(b), "both": both}
        result["tags"][tag]["alpha"] = alpha(a, b)
    typed = [
        (x["claimant_type"], y["claimant_type"])
        for x, y in pairs
        if x["tags"] and y["tags"]
    ]
    kinds = sorted({kind for pair in typed for kind in pair})
    codes = np.array(
        [[kinds.index(x) for x, _ in typed], [kinds.index(y) for _, y in typed]],
        dtype=float,
    )
    result["claimant_type"] = {
        "sentences": len(typed),
        "agree": sum(x == y for x, y in typed),
        "alpha": round(
            float(
                krippendorff.alpha(
                    reliability_data=codes, level_of_measurement="nominal"
                )
            ),
            3,
        ),
    }
    return result


def main() -> None:
    manifest = read("manifest.jsonl")
    first, second = read("labels_a.jsonl"), read("labels_b.jsonl")
    report = {
        lang: agreement(lang, manifest, first, second) for lang in ("en", "es", "all")
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
