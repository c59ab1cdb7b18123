"""Check the dev set against the cached texts.

Every text of ``manifest.jsonl`` must be in the cache (``$DEVSET_CACHE``,
default ``var/devset-cache``) with its SHA-256, and every fingerprint of
``labels*.jsonl`` must occur in its text, in order, with valid names. Prints
the problems and exits 1 if there are any. See README.md.

    check.py [--set DIR] [--cache DIR]   # --set: a held-out set's directory
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("DEVSET_CACHE", HERE.parents[2] / "var" / "devset-cache"))
TAGS = {
    "official_claim",
    "no_evidence_provided",
    "experts_say_illegal",
    "legal_characterization_by_official",
    "casualty_figure",
    "hedged_allegation",
    "refusal_or_non_answer",
    "rescue_or_survivor",
    "denial_or_rebuttal",
}
CLAIMANT_TYPES = {
    "acting_government",
    "other_government",
    "un",
    "rights_group",
    "expert",
    "reporter",
    "columnist",
    "media",
    "legislator",
    "witness",
}
COUNTS = {"killed", "dead", "injured", "survivors", "aboard", "missing"}
BOUNDS = {"exact", "at_least", "more_than", "up_to", "about", "range"}
KINDS = {"article", "statement", "report", "op_ed"}
SOURCE_KINDS = {
    "outlet",
    "wire",
    "government",
    "military",
    "un_body",
    "ngo",
    "court",
    "social",
    "academic",
    "other",
}
MANIFEST_KEYS = (
    "id",
    "lang",
    "topic",
    "kind",
    "source_kind",
    "source_name",
    "acting_state",
    "address",
    "title",
    "query",
    "chars",
    "text_sha256",
)


def jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def check_manifest(
    problems: list[str], where: Path = HERE, cache: Path = CACHE
) -> dict[str, dict]:
    """Each cached text of the set's manifest, with its manifest entry."""
    texts: dict[str, dict] = {}
    for entry in jsonl(where / "manifest.jsonl"):
        key = entry["id"]
        problems += [
            f"{key}: manifest lacks {k}" for k in MANIFEST_KEYS if k not in entry
        ]
        if entry.get("lang") not in ("en", "es"):
            problems.append(f"{key}: bad lang")
        if entry.get("kind") not in KINDS:
            problems.append(f"{key}: bad kind {entry.get('kind')}")
        if entry.get("source_kind") not in SOURCE_KINDS:
            problems.append(f"{key}: bad source_kind {entry.get('source_kind')}")
        path = cache / f"{key}.txt"
        if not path.exists():
            problems.append(f"{key}: not in the cache ({path})")
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry.get("text_sha256"):
            problems.append(f"{key}: the cached text's SHA-256 differs")
        texts[key] = {"text": raw.decode("utf-8"), "lang": entry.get("lang")}
    return texts


def check_unit(where: str, unit: dict, problems: list[str]) -> None:
    problems += [f"{where}: unknown tag {t}" for t in unit["tags"] if t not in TAGS]
    if unit.get("segment") not in ("headline", "body"):
        problems.append(f"{where}: bad segment")
    if unit.get("claimant_type") not in CLAIMANT_TYPES:
        problems.append(f"{where}: bad claimant_type {unit.get('claimant_type')}")
    for number in unit.get("numbers", []):
        if (
            not isinstance(number.get("value"), int)
            or number.get("counts") not in COUNTS
            or not isinstance(number.get("cumulative"), bool)
            or number.get("bound") not in BOUNDS
        ):
            problems.append(f"{where}: bad number {number}")


def check_labels(path: Path, texts: dict[str, dict], problems: list[str]) -> None:
    seen = set()
    for row in jsonl(path):
        key = row["id"]
        seen.add(key)
        if key not in texts:
            problems.append(f"{path.name}: {key} is not in the manifest or cache")
            continue
        text, cursor = texts[key]["text"], 0
        for n, unit in enumerate(row["sentences"]):
            where = f"{path.name}: {key} unit {n}"
            at = text.find(unit.get("fingerprint", ""), cursor)
            if not unit.get("fingerprint") or at < 0:
                problems.append(f"{where}: fingerprint not found in order")
            else:
                cursor = at + 1
            check_unit(where, unit, problems)
    problems += [
        f"{path.name}: no labels for {key}" for key in texts if key not in seen
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        type=Path,
        default=HERE,
        help="the set's directory (its manifest and labels; default: the dev set)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=CACHE,
        help="its cached texts (default: $DEVSET_CACHE, else var/devset-cache)",
    )
    args = parser.parse_args(argv)
    where = args.set
    problems: list[str] = []
    texts = check_manifest(problems, where, args.cache)
    for path in sorted(where.glob("labels*.jsonl")):
        check_labels(path, texts, problems)
    print("\n".join(problems))
    english = sum(1 for entry in texts.values() if entry["lang"] == "en")
    print(f"{len(texts)} texts checked ({english} en); {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
