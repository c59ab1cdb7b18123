"""Benchmark: peak memory of ingesting one large text (1, 5 and 25 MB).

    python benchmarks/memory.py [--sizes 1 5 25] [--analyse 3]

Each size runs in a fresh process: it generates a fictional text of that
many megabytes (the last one just under GLOSSA_MAX_UPLOAD_BYTES), ingests it
as an uploaded file without analysis, and reports the process's peak
resident memory (``ru_maxrss``) next to the baseline after Django and spaCy
are loaded: the figure covers reading, hashing, normalising, fingerprinting
and storing. Target: peak < 500 MB for every accepted upload (issue 13).

``--analyse MB [MB ...]`` adds, each in its own fresh process, the analysis
of a generated text of that many megabytes (3 = a 3,000,000-character text)
after it is stored: the real job path (``corpus.tasks.analyse_in_chunks``:
pieces of ``corpus.nlp.chunks``, the stored analysis, the suggestions), its
peak RSS next to the baseline, and how many suggestions it made. It takes
minutes per megabyte.

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MB = 500


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_text(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    words = [f"harbour{i}" for i in range(3000)] + ["the", "boats", "minister"]
    parts: list[bytes] = []
    total = 0
    while total < size:
        sentence = " ".join(rng.choice(words) for _ in range(14)).capitalize() + ". "
        if rng.random() < 0.1:
            sentence += "\n\n"
        data = sentence.encode()
        parts.append(data)
        total += len(data)
    return b"".join(parts)[:size]


ARTICLE = [
    "Minister Tomas Relk said that forces struck {n} vessels near Porto Lenta.",
    "According to the ministry, the boats carried contraband, but no evidence "
    "was given.",
    "Professor Hana Ostrova said the strikes appeared to violate the right to life.",
    "The Coastal Rights Observatory demanded an independent investigation.",
    "Officials claimed that {n} people were killed and {m} survived the attack.",
    "Fishermen said their relatives left port before dawn to check the nets.",
    "Asked whether warnings were given, the spokesperson declined to answer.",
    "Dr. Miguel Tarro said international law requires rescue of survivors at sea.",
]


def make_article(size: int, seed: int) -> bytes:
    """``size`` characters of fictional English news in paragraphs, so that
    it is detected and analysed as English."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentences = [
            rng.choice(ARTICLE).format(n=rng.randint(2, 40), m=rng.randint(0, 9))
            for _ in range(rng.randint(3, 6))
        ]
        parts.append(" ".join(sentences))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts)[:size].encode()


def child(size_mb: float, analyse: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="glossa-bench-mem-")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from corpus.ingest import ingest_file
    from corpus.models import Document
    from corpus.nlp import get_nlp
    from projects.services import project_create

    get_nlp()
    size = min(int(size_mb * 1024 * 1024), settings.GLOSSA_MAX_UPLOAD_BYTES - 1)
    if analyse:  # characters, as issue 13 counts them (ASCII: bytes)
        size = int(size_mb * 1_000_000)
        data = make_article(size, seed=int(size_mb * 10))
    else:
        data = make_text(size, seed=int(size_mb * 10))
    user, _ = get_user_model().objects.get_or_create(username="benchmark-memory")
    project = project_create(
        name=f"Memory benchmark {time.time()}",
        created_by=user,
        slug=f"bench-mem-{os.getpid()}-{int(time.time())}",
    )
    baseline = peak_mb()
    t0 = time.perf_counter()
    try:
        result = ingest_file(
            project=project, name="large.txt", data=data, user=user, analyse=False
        )
        seconds = time.perf_counter() - t0
        if not result.documents:
            raise SystemExit(f"not stored: {result.errors or result.duplicates}")
        [document] = result.documents
        outcome: dict = {}
        if analyse:
            from annotations.models import Suggestion
            from corpus.tasks import analyse_in_chunks

            stored_peak = peak_mb()
            t1 = time.perf_counter()
            analyse_in_chunks([document.pk])
            outcome = {
                "mode": "analysis",
                "characters": len(data),
                "store_peak_mb": round(stored_peak, 1),
                "analysis_seconds": round(time.perf_counter() - t1, 1),
                "suggestions": Suggestion.objects.filter(document=document).count(),
            }
        document = Document.objects.get(pk=document.pk)
        outcome |= {
            "stored": True,
            "analysis_status": document.analysis_status,
            "analysis_error": document.analysis_error[:120],
        }
    finally:
        try:
            project.delete()
        except Exception as exc:  # never lose the figures to a cleanup
            print(f"warning: the benchmark project was not deleted ({exc})")
    return {
        "size_mb": round(size / 1024 / 1024, 2),
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak_mb(), 1),
        "seconds": round(seconds, 2),
        **outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="*", default=[1, 5, 25])
    parser.add_argument(
        "--analyse",
        type=float,
        nargs="*",
        default=[],
        help="also analyse texts of these many million characters",
    )
    parser.add_argument("--child", type=float, default=None)
    parser.add_argument("--child-analyse", action="store_true")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, analyse=args.child_analyse)))
        return
    runs = []
    jobs: list[tuple[float, list[str]]] = [(size, []) for size in args.sizes]
    jobs += [(size, ["--child-analyse"]) for size in args.analyse]
    for size, extra in jobs:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        run = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(run)
        what = (
            f"analysing {run['characters']:,} characters: "
            f"{run['analysis_seconds']} s, {run['suggestions']} suggestions"
            if run.get("mode") == "analysis"
            else f"storing: {run['seconds']} s"
        )
        print(
            f"{run['size_mb']:6.2f} MB {what}; peak {run['peak_mb']} MB "
            f"(baseline {run['baseline_mb']} MB), analysis "
            f"{run['analysis_status']}: {run['analysis_error']}",
            flush=True,
        )
    stores = [r for r in runs if r.get("mode") != "analysis"]
    analyses = [r for r in runs if r.get("mode") == "analysis"]
    worst = max((r["peak_mb"] for r in stores), default=0)
    print(
        json.dumps(
            {
                "benchmark": "memory",
                "runs": runs,
                "peak_mb": worst,
                "analysis_peak_mb": max((r["peak_mb"] for r in analyses), default=None),
                "target": f"< {TARGET_MB} MB",
                "ratio": round(worst / TARGET_MB, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
