"""Words per second of Glossa's full analysis vs the bare English model.

Both run in the same process on the same texts (the gold set's documents
and the repository's fictional samples, repeated to a few thousand words),
with the same batch size. "Full" = the model plus Glossa's components plus
``doc_to_data`` (what ``analyse_documents`` stores); "bare" = the model
alone, with the Doc consumed. Medians over repeats; the last line is one
JSON object with the figures, the target and ``ratio`` (full / bare).

    DEBUG=1 python benchmarks/analysis.py [--repeats 5] [--copies 4]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from corpus.nlp import add_components, doc_to_data, load_model  # noqa: E402

TARGET = 0.8


def texts(copies: int) -> list[str]:
    found = [
        json.loads(line)["text"]
        for line in (ROOT / "annotations/gold/claims.jsonl").read_text().splitlines()
        if line.strip()
    ]
    found += [p.read_text() for p in sorted((ROOT / "samples").glob("*.txt"))]
    return found * copies


def run(nlp, docs: list[str], batch: int, full: bool) -> float:
    start = time.perf_counter()
    for doc in nlp.pipe(docs, batch_size=batch):
        if full:
            doc_to_data(doc)
        else:
            len(doc)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument(
        "--join",
        type=int,
        default=1,
        help="Join every N texts into one long document (long-document check).",
    )
    args = parser.parse_args()
    batch = settings.GLOSSA_SPACY_BATCH_SIZE
    bare = load_model(settings.GLOSSA_SPACY_MODEL)
    full = add_components(load_model(settings.GLOSSA_SPACY_MODEL))
    docs = texts(args.copies)
    if args.join > 1:
        docs = [
            "\n\n".join(docs[i : i + args.join]) for i in range(0, len(docs), args.join)
        ]
    words = sum(len(t.split()) for t in docs)
    run(bare, docs[:4], batch, False)  # warm up both
    run(full, docs[:4], batch, True)
    bare_times, full_times = [], []
    for _ in range(args.repeats):
        # Interleave so that machine load affects both alike.
        bare_times.append(run(bare, docs, batch, False))
        full_times.append(run(full, docs, batch, True))
    bare_wps = words / statistics.median(bare_times)
    full_wps = words / statistics.median(full_times)
    ratio = full_wps / bare_wps
    print(f"texts: {len(docs)} documents, {words} words, batch_size {batch}")
    model = settings.GLOSSA_SPACY_MODEL
    print(f"bare {model}: {bare_wps:,.0f} words/s (median of {args.repeats})")
    print(f"full Glossa analysis: {full_wps:,.0f} words/s (median of {args.repeats})")
    print(f"ratio {ratio:.3f} (target >= {TARGET})")
    print(
        json.dumps(
            {
                "benchmark": "analysis",
                "documents": len(docs),
                "words": words,
                "repeats": args.repeats,
                "batch_size": batch,
                "bare_words_per_s": round(bare_wps),
                "full_words_per_s": round(full_wps),
                "ratio": round(ratio, 3),
                "target": TARGET,
                "ok": ratio >= TARGET,
            }
        )
    )


if __name__ == "__main__":
    main()
