"""Benchmark: peak memory of ingesting one large text (1, 5 and 25 MB).

    python benchmarks/memory.py [--sizes 1 5 25]

Each size runs in a fresh process: it generates a fictional text of that
many megabytes (the last one just under GLOSSA_MAX_UPLOAD_BYTES), ingests it
as an uploaded file without analysis, and reports the process's peak
resident memory (``ru_maxrss``) next to the baseline after Django and spaCy
are loaded: the figure covers reading, hashing, normalising, fingerprinting
and storing. Texts over the pipeline's ``max_length`` are analysed in
pieces (``corpus.nlp.chunks``), which takes minutes per megabyte and holds
the whole analysis (a dict per token) in memory, so analysis is not part of
this figure. Target: peak < 500 MB for every accepted upload (issue 13).

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


def child(size_mb: float) -> dict:
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
        [document] = result.documents
        document = Document.objects.get(pk=document.pk)
        outcome = {
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
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 25])
    parser.add_argument("--child", type=float, default=None)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    runs = []
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        run = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(run)
        print(
            f"{run['size_mb']:6.2f} MB: peak {run['peak_mb']} MB (baseline "
            f"{run['baseline_mb']} MB), {run['seconds']} s, analysis "
            f"{run['analysis_status']}: {run['analysis_error']}",
            flush=True,
        )
    worst = max(r["peak_mb"] for r in runs)
    print(
        json.dumps(
            {
                "benchmark": "memory",
                "runs": runs,
                "peak_mb": worst,
                "target": f"< {TARGET_MB} MB",
                "ratio": round(worst / TARGET_MB, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
