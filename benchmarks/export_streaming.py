"""Exports stream in constant memory: peak memory at N and 4N annotations.

Builds a throw-away project (bulk inserts), then for each streaming format
measures the Python peak allocation (tracemalloc) and time while the
export is consumed chunk by chunk, at N and 4N annotations. The bare
baseline is iterating the same annotations with ``.values()`` and
``json.dumps`` per row (no prefetches, no formatting). The project is
deleted afterwards.

Usage: DATABASE_URL=... python benchmarks/export_streaming.py [N]
Target: peak(4N) / peak(N) <= 1.5 for every streaming format (the ratio).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotations.models import Annotation  # noqa: E402
from corpus.models import Document, sha256_hex  # noqa: E402
from exchange.exports import FORMATS  # noqa: E402
from legal.models import Assessment, Claim, ClaimMention, Element  # noqa: E402
from projects.services import project_create  # noqa: E402

STREAMING = ["w3c", "csv", "jsonl", "claimreview"]
SENTENCE = "The minister said {n} people were killed; no evidence was provided. "


def build(n_annotations: int, slug: str):
    user, _ = get_user_model().objects.get_or_create(username="bench-exporter")
    project = project_create(name=slug, slug=slug, created_by=user)
    tags = list(project.tags.all()[:3])
    per_doc = 20
    docs = []
    for d in range(max(1, n_annotations // per_doc)):
        text = "".join(SENTENCE.format(n=d * per_doc + i) for i in range(per_doc))
        docs.append(
            Document(
                project=project,
                title=f"Bench {d}",
                text=text,
                text_sha256=sha256_hex(text),
                sha256=sha256_hex(f"{slug}-{d}-{text}"),
                captured_at=timezone.now(),
            )
        )
    Document.objects.bulk_create(docs)
    annotations = []
    for doc in Document.objects.filter(project=project):
        pos = 0
        for _ in range(per_doc):
            start = doc.text.index("said", pos)
            a = Annotation(
                project=project, document=doc, author=user, start=start, end=start + 4
            )
            a.anchor()
            annotations.append(a)
            pos = start + 4
    created = Annotation.objects.bulk_create(annotations, batch_size=1000)
    through = Annotation.tags.through
    through.objects.bulk_create(
        [
            through(annotation_id=a.pk, tag_id=tags[i % 3].pk)
            for i, a in enumerate(created)
        ],
        batch_size=2000,
    )
    # one reviewed claim per ten annotations, with a mention and an assessment
    element = Element.objects.filter(criterion__framework__project=project).first()
    claims = Claim.objects.bulk_create(
        [
            Claim(project=project, proposition=f"Claim {i}", created_by=user)
            for i in range(len(created) // 10)
        ]
    )
    ClaimMention.objects.bulk_create(
        [
            ClaimMention(claim=c, annotation=created[i * 10])
            for i, c in enumerate(claims)
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                project=project,
                claim=c,
                element=element,
                finding="undermines",
                rationale="No evidence.",
                author=user,
            )
            for c in claims
        ]
    )
    return project


def measure(consume) -> tuple[float, int]:
    tracemalloc.start()
    began = time.perf_counter()
    consume()
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak


def bare(project) -> None:
    for row in Annotation.objects.filter(project=project).values().iterator(2000):
        json.dumps(row, default=str)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    projects = {}
    try:
        for size in (n, 4 * n):
            projects[size] = build(size, f"bench-export-{size}-{os.getpid()}")
        figures: dict[str, dict] = {}
        for key in STREAMING:
            row: dict[int | str, Any] = {}
            for size, project in projects.items():
                stream = FORMATS[key].stream
                runs = [
                    measure(lambda p=project, s=stream: sum(1 for _ in s(p)))
                    for _ in range(3)
                ]
                row[size] = {
                    "seconds": statistics.median(r[0] for r in runs),
                    "peak_kib": max(r[1] for r in runs) // 1024,
                }
            row["memory_ratio"] = round(row[4 * n]["peak_kib"] / row[n]["peak_kib"], 2)
            figures[key] = row
            print(
                f"{key:12} N={n}: {row[n]['seconds']:.2f}s "
                f"peak {row[n]['peak_kib']} KiB; "
                f"4N: {row[4 * n]['seconds']:.2f}s peak {row[4 * n]['peak_kib']} KiB; "
                f"memory ratio {row['memory_ratio']}"
            )
        base = [measure(lambda: bare(projects[4 * n])) for _ in range(3)]
        base_s = statistics.median(b[0] for b in base)
        w3c_s = figures["w3c"][4 * n]["seconds"]
        print(
            f"bare baseline 4N: {base_s:.2f}s; w3c/bare time ratio {w3c_s / base_s:.1f}"
        )
        worst = max(f["memory_ratio"] for f in figures.values())
        print(
            json.dumps(
                {
                    "n": n,
                    "formats": {
                        k: {str(s): v for s, v in f.items()} for k, f in figures.items()
                    },
                    "bare_seconds_4n": round(base_s, 3),
                    "w3c_vs_bare_time": round(w3c_s / base_s, 2),
                    "target": "peak memory at 4N <= 1.5 x peak at N",
                    "ratio": worst,
                }
            )
        )
    finally:
        for project in projects.values():
            project.delete()


if __name__ == "__main__":
    main()
