"""Benchmark: end-to-end ingestion against bare spaCy over the same texts.

    python benchmarks/ingest.py N [--batch 64] [--workers 2]

Generates N fictional documents (300-600 words each), then for each batch
times bare ``nlp.pipe`` over the batch's texts and Glossa's full path over
the same texts (``ingest_batch``: sniffing, extraction, hashing, original
files, near-duplicate fingerprints, database writes, then the analysis job:
``nlp.pipe`` + ``DocumentAnalysis`` rows). Interleaving batches keeps the
comparison fair on a shared machine. Reports documents/s, words/s, resident
memory at N/2 and N (flat memory means batches do not accumulate), and the
ratio bare time / Glossa time (target >= 0.8). Creating suggestions (the
stage after ingestion, run in the same job) is timed apart: ``ratio`` leaves
it out, ``ratio_with_suggestions`` includes it.

With ``--workers W`` it starts W Celery worker processes on a private queue
(CELERY_BROKER_URL, default redis://127.0.0.1:6379/7), sends batches with
``ingest_files_task`` and waits for the jobs; the ratio is then bare
single-process ``nlp.pipe`` time / wall time through the workers.

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = [
    "Porto Lenta",
    "the Carval Strait",
    "Isla Merino",
    "the Duvan coast",
    "Santa Oreja",
    "the Velik banks",
    "Cabo Frisa",
    "the Nareth delta",
]
PEOPLE = [
    "Minister Tomas Relk",
    "Admiral Ines Varda",
    "spokesperson Leo Amsel",
    "Commander Rafi Oduya",
    "Deputy Minister Sara Kolt",
    "Colonel Pim Arvo",
]
EXPERTS = [
    "Professor Hana Ostrova",
    "Dr. Miguel Tarro",
    "jurist Elena Pask",
    "researcher Omar Delisle",
    "Professor Jun Takeda",
]
GROUPS = [
    "the Coastal Rights Observatory",
    "the Maritime Law Clinic",
    "the Sea Watch Collective",
    "the Harbour Families Association",
]
VERBS = ["said", "claimed", "stated", "told reporters", "insisted", "announced"]
NUMBERS = ["three", "five", "eleven", "14", "22", "several", "at least nine"]
SENTENCES = [
    "{person} {verb} that forces struck {num} vessels near {place} on {day}.",
    "According to {person}, the boats carried contraband, but no evidence was given.",
    "{expert} said the strikes appeared to violate the right to life.",
    "{group} demanded an independent investigation into the deaths near {place}.",
    "The ministry did not respond to repeated requests for comment on {day}.",
    "Fishermen in {place} said their relatives left port before dawn to check nets.",
    "{expert} noted that intercepting a vessel is different from destroying it.",
    "Officials {verb} that {num} people were killed and {num2} survived the attack.",
    "Survivors were taken to a clinic in {place}, local officials said.",
    "{person} described those on board as combatants, a label {expert} rejected.",
    "Satellite images reviewed by {group} showed debris spread over kilometres.",
    "The government has yet to publish any intelligence supporting the claims.",
    "A coast guard vessel reached the area hours later, {group} said.",
    "{expert} said international law requires rescue of survivors at sea.",
    "Relatives gathered outside the harbour office in {place} on {day}.",
    "Asked whether warnings were given, {person} declined to answer.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def make_text(rng: random.Random, index: int) -> str:
    """A fictional news-style article of roughly 300-600 words."""
    target = rng.randint(300, 600)
    paragraphs: list[str] = [
        f"Report {index}: strikes at sea near {rng.choice(PLACES)}"
    ]
    words = 0
    while words < target:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            sentence = rng.choice(SENTENCES).format(
                person=rng.choice(PEOPLE),
                verb=rng.choice(VERBS),
                num=rng.choice(NUMBERS),
                num2=rng.choice(NUMBERS),
                place=rng.choice(PLACES),
                day=rng.choice(DAYS),
                expert=rng.choice(EXPERTS),
                group=rng.choice(GROUPS),
            )
            sentences.append(sentence)
            words += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def rss_mb() -> float:
    """Current resident set size in MB (from /proc; falls back to the peak)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def setup_django(broker: str | None, media: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["MEDIA_ROOT"] = media
    if broker:
        os.environ["CELERY_BROKER_URL"] = broker
    else:
        os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--batch", type=int, default=64, help="documents per batch")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="glossa-bench-media-")
    broker = None
    if args.workers:
        broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/7"
    setup_django(broker, media)
    try:
        result = run(args, broker, media)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(json.dumps(result))


def run(args, broker: str | None, media: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from corpus.nlp import get_nlp
    from projects.services import project_create

    rng = random.Random(args.seed)
    texts = [make_text(rng, i) for i in range(args.n)]
    total_words = sum(len(t.split()) for t in texts)
    user, _ = get_user_model().objects.get_or_create(username="benchmark-ingest")
    project = project_create(
        name=f"Ingest benchmark {int(time.time())}",
        created_by=user,
        slug=f"bench-ingest-{os.getpid()}-{int(time.time())}",
    )
    nlp = get_nlp()
    size = 16
    list(nlp.pipe(texts[:32], batch_size=size))  # warm-up, both sides benefit
    print(
        f"{args.n} documents, {total_words} words, batch {args.batch}, "
        f"database {connection.vendor}, workers {args.workers or 'none (in process)'}"
    )
    try:
        if args.workers:
            figures = run_workers(args, texts, project, user, broker, media, nlp, size)
        else:
            figures = run_in_process(args, texts, project, user, nlp, size)
    finally:
        project.delete()
    bare, glossa = figures["bare_seconds"], figures["glossa_seconds"]
    suggest = figures.get("suggest_seconds", 0.0)
    # The measure: extraction + analysis + database writes. The
    # suggestion stage that follows is timed apart and reported with it.
    ratio = bare / (glossa - suggest)
    summary = {
        "benchmark": "ingest",
        "n": args.n,
        "words": total_words,
        "workers": args.workers,
        "bare_seconds": round(bare, 2),
        "glossa_seconds": round(glossa, 2),
        "bare_docs_per_s": round(args.n / bare, 1),
        "glossa_docs_per_s": round(args.n / glossa, 1),
        "glossa_words_per_s": round(total_words / glossa),
        "rss_mb_half": figures.get("rss_half"),
        "rss_mb_end": figures.get("rss_end"),
        "peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 1
        ),
        "median_batch_ratio": figures.get("median_batch_ratio"),
        "store_seconds": round(figures.get("store_seconds", 0), 2) or None,
        "analysis_seconds": round(figures.get("analysis_seconds", 0), 2) or None,
        "suggest_seconds": round(suggest, 2) if suggest else None,
        "ratio_with_suggestions": round(bare / glossa, 3),
        "target": 0.8,
        "ratio": round(ratio, 3),
    }
    print(
        f"bare nlp.pipe : {bare:8.2f} s  {args.n / bare:7.1f} docs/s  "
        f"{total_words / bare:9.0f} words/s"
    )
    print(
        f"glossa ingest : {glossa:8.2f} s  {args.n / glossa:7.1f} docs/s  "
        f"{total_words / glossa:9.0f} words/s"
    )
    if figures.get("store_seconds"):
        print(
            f"  of which store (extract, hash, files, rows): "
            f"{figures['store_seconds']:.2f} s, analysis job (nlp.pipe + rows): "
            f"{figures['analysis_seconds']:.2f} s, including "
            f"{suggest:.2f} s creating suggestions (the next stage)"
        )
    if figures.get("rss_half") is not None:
        print(
            f"resident memory: {figures['rss_half']} MB at N/2, "
            f"{figures['rss_end']} MB at N; peak {summary['peak_rss_mb']} MB"
        )
    print(
        f"ratio bare / glossa ingestion (extraction + analysis + writes): "
        f"{ratio:.3f} (target >= 0.8); with suggestion creation too: "
        f"{bare / glossa:.3f}"
    )
    return summary


def time_suggestions() -> list[float]:
    """Accumulate the time spent creating suggestions.

    Suggestions are the stage after ingestion (``annotations.rules``, run
    by a receiver of ``document_analysed`` inside the analysis job). The
    issue's ratio covers extraction + analysis + database writes, so the
    suggestion time is measured separately and both ratios are reported.
    The wrapper only times the real function; it changes nothing it does.
    """
    import annotations.services.suggestions as suggest

    original = suggest.suggestions_create_for_document
    spent = [0.0]

    def timed(**kwargs):
        t0 = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    suggest.suggestions_create_for_document = timed
    return spent


def run_in_process(args, texts, project, user, nlp, size) -> dict:
    from corpus.ingest import ingest_batch, queue_analysis
    from corpus.models import AnalysisStatus, Document

    suggest_spent = time_suggestions()

    bare_total = glossa_total = store_total = analysis_total = 0.0
    ratios = []
    rss_half = None
    stored = 0
    for start in range(0, len(texts), args.batch):
        batch = texts[start : start + args.batch]
        t0 = time.perf_counter()
        for _doc in nlp.pipe(batch, batch_size=size):
            pass
        t1 = time.perf_counter()
        files = [(f"doc-{start + i}.txt", t.encode()) for i, t in enumerate(batch)]
        # The real path, in two timed steps: store (extraction, hashing,
        # files, fingerprints, rows), then the analysis job queued on commit
        # (runs in process here: no broker).
        result = ingest_batch(
            project=project, files=files, user=user, kind="article", analyse=False
        )
        t_store = time.perf_counter()
        queue_analysis(project=project, documents=result.documents, user=user)
        t2 = time.perf_counter()
        store_total += t_store - t1
        analysis_total += t2 - t_store
        stored += len(result.documents)
        if result.errors:
            raise SystemExit(f"ingestion errors: {result.errors[:3]}")
        bare_total += t1 - t0
        glossa_total += t2 - t1
        ratios.append((t1 - t0) / (t2 - t1))
        if rss_half is None and start + args.batch >= len(texts) // 2:
            rss_half = round(rss_mb(), 1)
        done = start + len(batch)
        print(
            f"  {done:6d}/{len(texts)}  bare {t1 - t0:6.2f}s  glossa {t2 - t1:6.2f}s",
            flush=True,
        )
    analysed = Document.objects.filter(
        project=project, analysis_status=AnalysisStatus.DONE
    ).count()
    if analysed != len(texts) or stored != len(texts):
        raise SystemExit(
            f"only {stored} stored and {analysed} analysed of {len(texts)}"
        )
    return {
        "bare_seconds": bare_total,
        "glossa_seconds": glossa_total,
        "rss_half": rss_half,
        "rss_end": round(rss_mb(), 1),
        "median_batch_ratio": round(statistics.median(ratios), 3),
        "store_seconds": store_total,
        "analysis_seconds": analysis_total,
        "suggest_seconds": suggest_spent[0],
    }


def run_workers(args, texts, project, user, broker, media, nlp, size) -> dict:
    from corpus.models import AnalysisStatus, Document, Job, JobKind, JobStatus
    from corpus.tasks import ingest_files_task

    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=size):
        pass
    bare = time.perf_counter() - t0
    queue = f"glossa-bench-{os.getpid()}"
    env = {**os.environ, "CELERY_BROKER_URL": broker, "MEDIA_ROOT": media}
    workers = []
    for index in range(args.workers):
        log = open(Path(media) / f"worker-{index}.log", "wb")  # noqa: SIM115
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "glossa",
                    "worker",
                    "--concurrency=1",
                    "--pool=prefork",
                    "-Q",
                    queue,
                    "-n",
                    f"bench{index}-{os.getpid()}@%h",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        # Workers load spaCy on their first task; give each a warm-up job.
        warm_jobs = []
        for index, _ in enumerate(workers):
            warm = Job.objects.create(
                project=project, kind=JobKind.INGEST, created_by=user
            )
            text = f"Warm-up text number {index} for the workers.".encode()
            files = [{"name": "warm.txt", "data_b64": base64.b64encode(text).decode()}]
            ingest_files_task.apply_async((warm.pk, files, {}), queue=queue)
            warm_jobs.append(warm.pk)
        _wait(warm_jobs, timeout=300)
        Document.objects.filter(project=project).delete()
        jobs = []
        t1 = time.perf_counter()
        for start in range(0, len(texts), args.batch):
            batch = texts[start : start + args.batch]
            job = Job.objects.create(
                project=project, kind=JobKind.INGEST, total=len(batch), created_by=user
            )
            files = [
                {
                    "name": f"doc-{start + i}.txt",
                    "data_b64": base64.b64encode(t.encode()).decode(),
                }
                for i, t in enumerate(batch)
            ]
            ingest_files_task.apply_async(
                (job.pk, files, {"kind": "article"}), queue=queue
            )
            jobs.append(job.pk)
        _wait(jobs, timeout=3600)
        wall = time.perf_counter() - t1
        failed = Job.objects.filter(pk__in=jobs).exclude(status=JobStatus.DONE).count()
        analysed = Document.objects.filter(
            project=project, analysis_status=AnalysisStatus.DONE
        ).count()
        if failed or analysed != len(texts):
            raise SystemExit(
                f"{failed} jobs failed; {analysed} of {len(texts)} analysed"
            )
    finally:
        for proc in workers:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in workers:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    return {"bare_seconds": bare, "glossa_seconds": wall}


def _wait(job_ids: list[int], timeout: float) -> None:
    from corpus.models import Job, JobStatus

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = (
            Job.objects.filter(pk__in=job_ids)
            .exclude(status__in=[JobStatus.DONE, JobStatus.FAILED])
            .count()
        )
        if not pending:
            return
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {len(job_ids)} jobs")


if __name__ == "__main__":
    main()
