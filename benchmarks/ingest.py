"""Benchmark: end-to-end ingestion against the bare spaCy model, interleaved.

    python benchmarks/ingest.py N [--batch 64] [--workers 2] [--store-only]

Generates N fictional documents (300-600 words each). The baseline is the
*bare* model (``GLOSSA_SPACY_MODEL``, e.g. en_core_web_sm, loaded without
any Glossa component) running ``nlp.pipe`` over the same texts. For each
batch, bare ``nlp.pipe`` and Glossa's full path over the same texts run
back to back (interleaved, so both see the same machine load): sniffing,
extraction, hashing, original files, fingerprints, database writes, the
analysis job (Glossa's pipeline + ``DocumentAnalysis`` rows) *and* the
creation of suggestions. The headline ``ratio`` is the median over batches
of bare time / Glossa time (target >= 0.9); the total-time ratio and the
share spent on suggestions are printed too.

With ``--workers W`` it starts W Celery worker processes on a private queue
(CELERY_BROKER_URL, default redis://127.0.0.1:6379/7) and, batch by batch,
times bare ``nlp.pipe(n_process=W)`` against sending the batch through
``ingest_files_task`` and waiting for its chunked analysis job (target
>= 0.85).

``--store-only`` times storing N short documents (one JSON Lines upload and
N small files, no analysis) against a bare baseline in the same run,
interleaved: doccano's way of storing an upload (the file kept once, one
``json.loads`` per line, ``bulk_create`` per 1,000 rows, into the same
``Document`` table). Target: Glossa's JSONL time <= the baseline's
(``ratio`` = baseline / Glossa >= 1).

With doccano 1.8.4 installed in its own venv (``benchmarks/peers/
doccano_setup.sh``; ``DOCCANO_VENV``, default /work/peers/doccano-venv),
``--store-only`` also times the real doccano storing the same kind of
upload, interleaved rep by rep: ``benchmarks/peers/doccano_store_harness.py``
runs in doccano's venv and times doccano's own import task (JSONL parser,
``Dataset.save`` with ``bulk_create``, the upload moved to its store) on its
SQLite database (``--doccano-db postgres``: on a PostgreSQL database of its
own on Glossa's server, ``<name>_bench_doccano``, as doccano's Docker set-up
runs; its venv then needs psycopg2-binary). Then the target is the
issue's: Glossa's JSONL time <= doccano's (``ratio`` = doccano / Glossa >= 1).
Without that venv the benchmark says so and falls back to the baseline above.

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
    parser.add_argument("--store-only", action="store_true")
    parser.add_argument(
        "--reps", type=int, default=3, help="repetitions (--store-only)"
    )
    parser.add_argument(
        "--doccano-db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="the real doccano's database (--store-only)",
    )
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
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection

    from corpus.nlp import get_nlp, load_model
    from projects.services import project_create

    rng = random.Random(args.seed)
    texts = [] if args.store_only else [make_text(rng, i) for i in range(args.n)]
    total_words = sum(len(t.split()) for t in texts)
    user, _ = get_user_model().objects.get_or_create(username="benchmark-ingest")
    project = project_create(
        name=f"Ingest benchmark {int(time.time())}",
        created_by=user,
        slug=f"bench-ingest-{os.getpid()}-{int(time.time())}",
    )
    if args.store_only:
        try:
            return run_store_only(args, project, user)
        finally:
            _cleanup(project)
    nlp = get_nlp()
    bare_nlp = load_model(settings.GLOSSA_SPACY_MODEL)
    glossa_only = [n for n in nlp.pipe_names if n not in bare_nlp.pipe_names]
    assert glossa_only, "the bare model must not contain Glossa's components"
    size = settings.GLOSSA_SPACY_BATCH_SIZE
    for pipeline in (nlp, bare_nlp):  # warm-up, both sides benefit
        list(pipeline.pipe(texts[:32], batch_size=size))
    print(
        f"{args.n} documents, {total_words} words, batch {args.batch}, "
        f"database {connection.vendor}, workers {args.workers or 'none (in process)'}"
        f"; bare model {bare_nlp.pipe_names}, Glossa adds {glossa_only}"
    )
    try:
        if args.workers:
            figures = run_workers(
                args, texts, project, user, broker, media, bare_nlp, size
            )
        else:
            figures = run_in_process(args, texts, project, user, bare_nlp, size)
    finally:
        _cleanup(project)
    bare, glossa = figures["bare_seconds"], figures["glossa_seconds"]
    suggest = figures.get("suggest_seconds", 0.0)
    target = 0.85 if args.workers else 0.9
    ratio = figures["median_batch_ratio"]
    summary = {
        "benchmark": "ingest",
        "n": args.n,
        "words": total_words,
        "workers": args.workers,
        "baseline": f"bare {settings.GLOSSA_SPACY_MODEL} nlp.pipe"
        + (f"(n_process={args.workers})" if args.workers else ""),
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
        "store_seconds": round(figures.get("store_seconds", 0), 2) or None,
        "analysis_seconds": round(figures.get("analysis_seconds", 0), 2) or None,
        "suggest_seconds": round(suggest, 2) if suggest else None,
        "total_ratio": round(bare / glossa, 3),
        "target": target,
        "ratio": ratio,
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
            f"{figures['store_seconds']:.2f} s, analysis job (nlp.pipe + rows "
            f"+ suggestions): {figures['analysis_seconds']:.2f} s, including "
            f"{suggest:.2f} s creating suggestions"
        )
    if figures.get("rss_half") is not None:
        print(
            f"resident memory: {figures['rss_half']} MB at N/2, "
            f"{figures['rss_end']} MB at N; peak {summary['peak_rss_mb']} MB"
        )
    print(
        f"median per-batch ratio bare / glossa (suggestions included): "
        f"{ratio:.3f} (target >= {target}); total-time ratio {bare / glossa:.3f}"
    )
    return summary


def _cleanup(project) -> None:
    """Delete the benchmark's project; a failure never loses the figures."""
    try:
        project.delete()
    except Exception as exc:
        print(f"warning: the benchmark project was not deleted ({exc})")


def doccano_style_store(project, user, data: bytes, media: Path) -> int:
    """The bare baseline for storing: what doccano does with a JSONL upload.

    doccano keeps the uploaded file once on disk, parses the records in
    batches of 1,000 and writes each batch with one ``bulk_create`` of its
    ``Example`` rows (no duplicate check, no per-record original, no
    fingerprint). Here the same steps write Glossa's ``Document`` rows with
    the fields the table requires, so both sides pay the same table,
    indexes and triggers.
    """
    import hashlib

    from django.db import transaction
    from django.utils import timezone

    from corpus.models import Document

    path = media / f"doccano-style-{time.time_ns()}.jsonl"
    path.write_bytes(data)
    now = timezone.now()
    stored = 0
    with path.open("rb") as handle, transaction.atomic():
        rows = []
        for line in handle:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            digest = hashlib.sha256(line).hexdigest()
            rows.append(
                Document(
                    project=project,
                    kind="other",
                    text=text,
                    text_sha256=hashlib.sha256(text.encode()).hexdigest(),
                    sha256=digest,
                    size=len(line),
                    captured_at=now,
                    captured_by=user,
                )
            )
            if len(rows) == 1000:
                stored += len(Document.objects.bulk_create(rows))
                rows = []
        if rows:
            stored += len(Document.objects.bulk_create(rows))
    return stored


class DoccanoPeer:
    """The real doccano's storing, timed in its own venv (a harness that
    stays up for the whole run, so start-up is never timed)."""

    def __init__(self, database: str = "sqlite") -> None:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        sys.path.insert(0, str(ROOT / "benchmarks" / "peers"))
        from harness import DOCCANO_VENV, Harness

        self.harness: Harness | None = None
        self.version = self.database = ""
        if not (DOCCANO_VENV / "bin" / "python").exists():
            print(
                f"doccano's venv is absent ({DOCCANO_VENV}): no real doccano in "
                "this run; falling back to the doccano-style baseline "
                "(install it with benchmarks/peers/doccano_setup.sh)",
                flush=True,
            )
            return
        env = {}
        if database == "postgres":
            from _setup import bench_database

            url = bench_database("doccano")
            env["DOCCANO_BENCH_DATABASE_URL"] = f"{url}?sslmode=disable"
        self.harness = Harness(DOCCANO_VENV, "doccano_store_harness.py", env=env)
        self.version = self.harness.ready["doccano"]
        self.database = self.harness.ready["database"]

    def store(self, data: bytes, media: Path) -> tuple[float, int]:
        assert self.harness is not None
        path = media / f"doccano-peer-{time.time_ns()}.jsonl"
        path.write_bytes(data)
        answer = self.harness.ask({"path": str(path)})
        path.unlink()
        return answer["seconds"], answer["examples"]

    def close(self) -> None:
        if self.harness is not None:
            self.harness.close()


def run_store_only(args, project, user) -> dict:
    peer = DoccanoPeer(args.doccano_db)
    try:
        return _run_store_only(args, project, user, peer)
    finally:
        peer.close()


def _run_store_only(args, project, user, peer: DoccanoPeer) -> dict:
    """Store N short documents: bare doccano-style bulk insert against Glossa's
    JSONL upload and N small files (no analysis), interleaved, medians."""
    from django.conf import settings

    from corpus.ingest import ingest_batch

    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[float]] = {"doccano_style": [], "jsonl": [], "files": []}
    if peer.harness is not None:
        times["doccano"] = []
    for rep in range(args.reps):
        # Each repetition stores new texts, so none is a duplicate of the last.
        # Same lengths and shapes on both sides, different words ("A"/"B"),
        # so that Glossa does not find the baseline's rows as duplicates.
        def jsonl_of(side: str, rep: int = rep) -> bytes:
            return "\n".join(
                json.dumps(
                    {"text": f"Short statement {side}{rep}-{i} about the strike."}
                )
                for i in range(args.n)
            ).encode()

        jsonl = jsonl_of("B")
        t0 = time.perf_counter()
        count = doccano_style_store(project, user, jsonl_of("A"), media)
        times["doccano_style"].append(time.perf_counter() - t0)
        if count != args.n:
            raise SystemExit(f"baseline stored {count} of {args.n}")
        if peer.harness is not None:
            # doccano's own database: the same texts as the baseline's
            seconds, count = peer.store(jsonl_of("A"), media)
            times["doccano"].append(seconds)
            if count != args.n:
                raise SystemExit(f"doccano stored {count} of {args.n}")
        runs = (
            ("jsonl", [(f"records-{rep}.jsonl", jsonl)]),
            (
                "files",
                [
                    (
                        f"short-{rep}-{i}.txt",
                        f"Short file {rep}-{i} about the harbour.".encode(),
                    )
                    for i in range(args.n)
                ],
            ),
        )
        for label, files in runs:
            t0 = time.perf_counter()
            result = ingest_batch(
                project=project, files=files, user=user, analyse=False
            )
            times[label].append(time.perf_counter() - t0)
            if len(result.documents) != args.n:
                raise SystemExit(f"{label}: stored {len(result.documents)} of {args.n}")
        real = f"doccano {times['doccano'][-1]:.2f} s, " if "doccano" in times else ""
        print(
            f"  rep {rep + 1}: {real}doccano-style {times['doccano_style'][-1]:.2f} s, "
            f"glossa jsonl {times['jsonl'][-1]:.2f} s, "
            f"glossa files {times['files'][-1]:.2f} s",
            flush=True,
        )
    median = {k: round(statistics.median(v), 3) for k, v in times.items()}
    ratio = round(median["doccano_style"] / median["jsonl"], 3)
    print(
        f"median of {args.reps}: doccano-style bulk_create {median['doccano_style']} s,"
        f" Glossa JSONL {median['jsonl']} s (ratio {ratio}), Glossa "
        f"{args.n} files {median['files']} s"
    )
    report = {
        "benchmark": "ingest-store",
        "n": args.n,
        "reps": args.reps,
        "baseline": "doccano-style: file kept once, json per line, bulk_create "
        "per 1,000 (same Document table)",
        "baseline_seconds": median["doccano_style"],
        "jsonl_seconds": median["jsonl"],
        "files_seconds": median["files"],
        "files_ratio": round(median["doccano_style"] / median["files"], 3),
        "baseline_ratio": ratio,
        "target": 1.0,
        "ratio": ratio,
        "ratio_against": "doccano-style baseline (doccano's venv absent)",
    }
    if "doccano" in median:
        peer_ratio = round(median["doccano"] / median["jsonl"], 3)
        print(
            f"real doccano {peer.version} (its import task, {peer.database}): "
            f"{median['doccano']} s; doccano / Glossa JSONL = {peer_ratio} "
            "(target >= 1)"
        )
        report.update(
            doccano_version=peer.version,
            doccano_seconds=median["doccano"],
            doccano_database=peer.database,
            ratio=peer_ratio,
            ratio_against="doccano (real, same run, interleaved)",
        )
    return report


def time_suggestions() -> list[float]:
    """Accumulate the time spent creating suggestions.

    Suggestions are created by a receiver of ``documents_analysed`` inside
    the analysis job, so they are part of Glossa's time (and of ``ratio``);
    this only reports how much of it they take. The wrapper times the real
    function and changes nothing it does.
    """
    import annotations.services.suggestions as suggest

    # The analysis job creates a chunk's suggestions in one call.
    original = suggest.suggestions_create_for_documents
    spent = [0.0]

    def timed(**kwargs):
        t0 = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    suggest.suggestions_create_for_documents = timed
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

    queue = f"glossa-bench-{os.getpid()}"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": media,
    }
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
        analyses = [
            j.report.get("analysis_job")
            for j in Job.objects.filter(pk__in=warm_jobs)
            if j.report.get("analysis_job")
        ]
        _wait(analyses, timeout=300)
        Document.objects.filter(project=project).delete()
        bare = wall = 0.0
        ratios = []
        for start in range(0, len(texts), args.batch):
            batch = texts[start : start + args.batch]
            t0 = time.perf_counter()
            for _doc in nlp.pipe(batch, batch_size=size, n_process=args.workers):
                pass
            t1 = time.perf_counter()
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
            _wait([job.pk], timeout=3600)
            job.refresh_from_db()
            if job.report.get("analysis_job"):
                _wait([job.report["analysis_job"]], timeout=3600)
            t2 = time.perf_counter()
            bare += t1 - t0
            wall += t2 - t1
            ratios.append((t1 - t0) / (t2 - t1))
            print(
                f"  {start + len(batch):6d}/{len(texts)}  bare(n_process="
                f"{args.workers}) {t1 - t0:6.2f}s  glossa {t2 - t1:6.2f}s",
                flush=True,
            )
        failed = (
            Job.objects.filter(project=project).exclude(status=JobStatus.DONE).count()
        )
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
    return {
        "bare_seconds": bare,
        "glossa_seconds": wall,
        "median_batch_ratio": round(statistics.median(ratios), 3),
    }


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
