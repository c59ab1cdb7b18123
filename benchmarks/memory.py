"""Benchmark: peak memory of ingesting one large text (1, 5 and 25 MB).

    python benchmarks/memory.py [--sizes 1 5 25] [--analyse 3]
                                [--doccano-db sqlite|postgres]

For each size a fictional text of that many megabytes (the last one just
under GLOSSA_MAX_UPLOAD_BYTES) is written to a temporary file, and two fresh
processes store it, one after the other (Glossa size 1, doccano size 1,
Glossa size 5, ...), so both see the same machine:

* Glossa: Django, spaCy and the language identifier loaded (the baseline;
  the identifier, which the first ingestion of any size loads, is about
  100 MB: ``language_detector_mb``), then the file is read and ingested as
  an uploaded file without analysis; its peak resident memory
  (``ru_maxrss``) covers reading, hashing, normalising, detecting the
  language, fingerprinting and storing. Target: peak < 500 MB for every
  accepted upload (issue 13).
* the real doccano 1.8.4, in its own venv (``benchmarks/peers/
  doccano_setup.sh``; ``DOCCANO_VENV``, default /work/peers/doccano-venv):
  ``benchmarks/peers/doccano_store_harness.py --file`` imports the same file
  as one document (its plain-text ``TextFile`` format) with doccano's own
  import task, on its SQLite database (``--doccano-db postgres``: a
  PostgreSQL database of its own, ``<name>_bench_doccano``); its baseline is
  the peak once Django is set up and the upload is on disk, not read.
  doccano's ``MAX_UPLOAD_SIZE`` setting is 1 GiB by default, so every size
  here is accepted; a refusal would show in its ``errors``.

In both processes ``baseline_mb`` is the peak (``ru_maxrss``) before the
storing and ``peak_mb`` the peak after it; ``growth_mb`` is the memory the
storing itself took, reading the file included: the peak resident memory
(``VmHWM``) since it was reset to the resident memory at the start
(``/proc/self/clear_refs``), so that the transient peaks of loading models
do not hide it. Each store run gets a ``doccano`` block and
``doccano_ratio`` = doccano's growth / Glossa's growth (> 1: Glossa took
less). Without doccano's venv the benchmark says so and measures Glossa
alone.

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
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "peers"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from harness import DOCCANO_VENV  # noqa: E402
from rss import peak_mb, peak_since_reset, reset_peak  # noqa: E402

TARGET_MB = 500


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


def glossa_env() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)


def upload_limit() -> int:
    """GLOSSA_MAX_UPLOAD_BYTES, read from Glossa's settings without setting
    Django up (the parent process stays small)."""
    glossa_env()
    from django.conf import settings

    return settings.GLOSSA_MAX_UPLOAD_BYTES


def child(size_mb: float, analyse: bool = False, text: Path | None = None) -> dict:
    glossa_env()
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="glossa-bench-mem-")
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from corpus.ingest import ingest_file
    from corpus.language import detect_language
    from corpus.models import Document
    from corpus.nlp import get_nlp
    from projects.services import project_create

    get_nlp()
    # Loaded once per process by the first ingestion, whatever its size: in
    # the baseline (as spaCy is), its own size shown apart.
    before_detector = peak_mb()
    detect_language("Minister Tomas Relk said that forces struck vessels at sea.")
    detector = peak_mb() - before_detector
    if analyse:  # characters, as issue 13 counts them (ASCII: bytes)
        size = int(size_mb * 1_000_000)
        data = make_article(size, seed=int(size_mb * 10))
    elif text is None:
        size = min(int(size_mb * 1024 * 1024), settings.GLOSSA_MAX_UPLOAD_BYTES - 1)
        data = make_text(size, seed=int(size_mb * 10))
    user, _ = get_user_model().objects.get_or_create(username="benchmark-memory")
    project = project_create(
        name=f"Memory benchmark {time.time()}",
        created_by=user,
        slug=f"bench-mem-{os.getpid()}-{int(time.time())}",
    )
    baseline = peak_mb()
    resident = reset_peak()
    t0 = time.perf_counter()
    if text is not None:  # the upload as a request hands it over: read whole
        data = text.read_bytes()
        size = len(data)
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

            stored_peak = max(baseline, peak_mb())
            t1 = time.perf_counter()
            analyse_in_chunks([document.pk])
            outcome = {
                "mode": "analysis",
                "characters": len(data),
                "store_peak_mb": round(stored_peak, 1),
                "analysis_seconds": round(time.perf_counter() - t1, 1),
                "suggestions": Suggestion.objects.filter(document=document).count(),
            }
        growth = peak_since_reset() - resident
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
        # reset_peak restarted ru_maxrss too: the process's peak is the
        # larger of the one before it and the one since.
        "peak_mb": round(max(baseline, peak_mb()), 1),
        "growth_mb": round(growth, 1),
        "language_detector_mb": round(detector, 1),
        "seconds": round(seconds, 2),
        **outcome,
    }


def doccano_env(database: str) -> dict[str, str]:
    """The environment of doccano's processes: none of Glossa's Django
    variables, and a database of its own (this benchmark's SQLite file, or
    ``<name>_bench_doccano`` on Glossa's PostgreSQL server)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH"}
    }
    if database == "postgres":
        from _setup import bench_database

        url = bench_database("doccano")
        env["DOCCANO_BENCH_DATABASE_URL"] = f"{url}?sslmode=disable"
    else:
        home = os.path.expanduser(
            os.environ.get("DOCCANO_HOME", "/work/peers/doccano-data")
        )
        env["DOCCANO_BENCH_DATABASE_URL"] = f"sqlite:///{home}/bench-memory.sqlite3"
    return env


def doccano_run(args: list[str], env: dict[str, str]) -> dict:
    """Run doccano's harness once in its venv; its last JSON line, or the
    error it stopped with (never lose Glossa's figures to the peer)."""
    out = subprocess.run(
        [
            str(DOCCANO_VENV / "bin" / "python"),
            str(ROOT / "benchmarks" / "peers" / "doccano_store_harness.py"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {out.returncode}: {tail[:200]}"}
    return json.loads(lines[-1])


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
    parser.add_argument(
        "--doccano-db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="the real doccano's database",
    )
    parser.add_argument("--child", type=float, default=None)
    parser.add_argument("--child-analyse", action="store_true")
    parser.add_argument("--text", type=Path, default=None)
    args = parser.parse_args()
    if args.child is not None:
        run = child(args.child, analyse=args.child_analyse, text=args.text)
        print(json.dumps(run))
        return

    doccano_env_vars: dict[str, str] | None = None
    doccano: dict = {}
    if not (DOCCANO_VENV / "bin" / "python").exists():
        doccano = {
            "absent": f"no doccano venv at {DOCCANO_VENV}; Glossa measured alone "
            "(install it with benchmarks/peers/doccano_setup.sh)"
        }
        print(doccano["absent"], flush=True)
    else:
        doccano_env_vars = doccano_env(args.doccano_db)
        migrated = doccano_run(["--migrate"], doccano_env_vars)
        if "error" in migrated:
            doccano = {"absent": f"doccano's database failed: {migrated['error']}"}
            print(doccano["absent"], flush=True)
            doccano_env_vars = None

    def glossa_run(size: float, extra: list[str]) -> dict:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    limit = upload_limit()
    runs = []
    folder = Path(tempfile.mkdtemp(prefix="glossa-bench-mem-text-"))
    try:
        for size_mb in args.sizes:
            path = folder / "large.txt"
            size = min(int(size_mb * 1024 * 1024), limit - 1)
            path.write_bytes(make_text(size, seed=int(size_mb * 10)))
            run = glossa_run(size_mb, ["--text", str(path)])
            if doccano_env_vars is not None:
                peer = doccano_run(["--file", str(path)], doccano_env_vars)
                doccano = {
                    key: peer[key]
                    for key in ("doccano", "database", "max_upload_bytes")
                    if key in peer
                } or doccano
                run["doccano"] = {
                    key: peer[key]
                    for key in (
                        "baseline_mb",
                        "peak_mb",
                        "growth_mb",
                        "seconds",
                        "examples",
                        "characters",
                        "errors",
                        "error",
                    )
                    if key in peer
                }
                stored = peer.get("examples") == 1 and not peer.get("errors")
                run["doccano"]["stored"] = stored
                if stored and run["growth_mb"] > 0:
                    run["doccano_ratio"] = round(
                        peer["growth_mb"] / run["growth_mb"], 2
                    )
            path.unlink()
            runs.append(run)
            line = (
                f"{run['size_mb']:6.2f} MB storing: {run['seconds']} s; peak "
                f"{run['peak_mb']} MB (baseline {run['baseline_mb']} MB, growth "
                f"{run['growth_mb']} MB), analysis {run['analysis_status']}"
            )
            if "doccano" in run:
                peer_run = run["doccano"]
                line += (
                    f" | doccano: peak {peer_run.get('peak_mb')} MB (baseline "
                    f"{peer_run.get('baseline_mb')} MB, growth "
                    f"{peer_run.get('growth_mb')} MB), {peer_run.get('seconds')} s, "
                    f"stored {peer_run['stored']} {peer_run.get('errors') or ''}"
                    f"{peer_run.get('error') or ''}; growth doccano / Glossa = "
                    f"{run.get('doccano_ratio')}"
                )
            print(line, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for size_mb in args.analyse:
        run = glossa_run(size_mb, ["--child-analyse"])
        runs.append(run)
        print(
            f"{run['size_mb']:6.2f} MB analysing {run['characters']:,} characters: "
            f"{run['analysis_seconds']} s, {run['suggestions']} suggestions; peak "
            f"{run['peak_mb']} MB (baseline {run['baseline_mb']} MB), analysis "
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
                "doccano": doccano,
                "doccano_ratio": {
                    str(r["size_mb"]): r.get("doccano_ratio") for r in stores
                }
                if doccano_env_vars is not None
                else None,
                "target": f"< {TARGET_MB} MB",
                "ratio": round(worst / TARGET_MB, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
