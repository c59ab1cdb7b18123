"""Jobs survive killed workers and dropped connections (real Celery, Redis, PostgreSQL).

Each test starts real ``celery worker`` processes on a private queue of the
machine's Redis (``GLOSSA_TEST_REDIS``, default redis://127.0.0.1:6379/14)
against the test database, sends an analysis job in chunks, breaks
something while the job runs, and waits on the job's state (polling the
database with a deadline, never a fixed sleep) until it is done.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from corpus.jobs import ANALYSE_TASK, chunks
from corpus.models import AnalysisStatus, Document, DocumentAnalysis, Job, JobKind
from corpus.services import document_create

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.spacy,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("GLOSSA_TEST_REDIS", "redis://127.0.0.1:6379/14")
DEADLINE = 300.0  # seconds; generous because the machine is shared

SENTENCES = [
    "The ministry said its forces struck {n} vessels near Porto Lenta on Monday.",
    "Professor Hana Ostrova said the strikes appeared to violate the right to life.",
    "According to the coast guard, {n} people were killed and two survived.",
    "Relatives gathered outside the harbour office in Isla Merino for news.",
    "The government has not published evidence that the boats carried drugs.",
    "Fishermen said their brothers left port before dawn to check the nets.",
]


def _text(index: int) -> str:
    words = [f"Report {index} from the harbour."]
    for i in range(24):
        words.append(SENTENCES[(index + i) % len(SENTENCES)].format(n=i % 9 + 2))
    return " ".join(words)


class Workers:
    """Celery worker processes for one test, on a private queue."""

    def __init__(self, tmp_path: Path) -> None:
        self.queue = f"glossa-test-{uuid.uuid4().hex[:10]}"
        self.tmp = tmp_path
        self.procs: list[subprocess.Popen] = []
        name = connection.settings_dict["NAME"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "glossa.settings",
            "DEBUG": "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
            "CELERY_BROKER_URL": REDIS,
            "CELERY_QUEUE": self.queue,
            "GLOSSA_JOB_HEARTBEAT_SECONDS": "1",
            "GLOSSA_JOB_STALE_SECONDS": "6",
            "GLOSSA_JOB_REAP_SECONDS": "2",
        }
        self.app = Celery(broker=REDIS)

    def start(self, *, beat: bool = False) -> subprocess.Popen:
        index = len(self.procs)
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "glossa",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=w{index}-{self.queue}@%h",
            "-Q",
            self.queue,
            "-l",
            "info",
        ]
        if beat:
            command += ["-B", "-s", str(self.tmp / f"beat-{index}")]
        log = (self.tmp / f"worker-{index}.log").open("w")
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.procs.append(proc)
        return proc

    def send(self, job: Job, ids: list[int]) -> None:
        for part in chunks(ids):
            self.app.send_task(ANALYSE_TASK, args=[job.pk, part], queue=self.queue)

    def log(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp.glob("worker-*.log")))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        with self.app.connection_for_write() as conn:
            conn.default_channel.client.delete(self.queue)


def _die_with_parent() -> None:
    """Linux: SIGKILL the worker if the test process dies without its teardown."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def pool_children(pid: int) -> list[int]:
    """Pids of the worker's pool processes (children of its main process)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def workers(tmp_path) -> Iterator[Workers]:
    group = Workers(tmp_path)
    yield group
    group.stop()


@pytest.fixture
def analysis_job(project, owner, media_root) -> tuple[Job, list[int]]:
    ids = [
        document_create(
            project=project,
            original=_text(i).encode(),
            text=_text(i),
            original_name=f"report-{i}.txt",
        ).pk
        for i in range(96)
    ]
    job = Job.objects.create(
        project=project,
        kind=JobKind.ANALYSE,
        total=len(ids),
        report={"document_ids": ids},
    )
    return job, ids


def wait_for(what: str, check: Callable[[], bool], workers: Workers) -> None:
    deadline = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out waiting for {what}.\n{workers.log()[-4000:]}")
        time.sleep(0.2)  # polling the database for the job's state


def job_state(job: Job) -> Job:
    job.refresh_from_db()
    return job


def assert_completed_once(job: Job, ids: list[int]) -> None:
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert (job.done, job.total) == (len(ids), len(ids))
    statuses = set(
        Document.objects.filter(pk__in=ids).values_list("analysis_status", flat=True)
    )
    assert statuses == {AnalysisStatus.DONE}
    # Idempotent chunks: exactly one analysis per document, never two.
    assert DocumentAnalysis.objects.filter(document_id__in=ids).count() == len(ids)


def finished(job: Job) -> bool:
    return job_state(job).finished_at is not None


def _started(job: Job) -> bool:
    return job_state(job).done >= 24 and job.done < job.total


def test_killed_pool_process_is_replaced_and_its_chunk_redelivered(
    workers, analysis_job
):
    job, ids = analysis_job
    main = workers.start()
    workers.send(job, ids)
    wait_for("the first chunk", lambda: _started(job), workers)
    children = pool_children(main.pid)
    assert children, "the worker has no pool process"
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    wait_for(
        "the job to finish", lambda: job_state(job).finished_at is not None, workers
    )
    assert_completed_once(job, ids)
    assert main.poll() is None  # the worker itself lived on
    assert "WorkerLostError" in workers.log() or "SIGKILL" in workers.log()


def test_killed_worker_is_reaped_and_a_new_worker_finishes_the_job(
    workers, analysis_job
):
    job, ids = analysis_job
    first = workers.start()
    workers.send(job, ids)
    wait_for("the first chunk", lambda: _started(job), workers)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    done_when_killed = job_state(job).done
    assert done_when_killed < len(ids)
    # A new worker with the reaper (celery beat) running: the chunk that was
    # in flight is requeued once the job's heartbeat goes stale.
    workers.start(beat=True)
    wait_for(
        "the job to finish", lambda: job_state(job).finished_at is not None, workers
    )
    assert_completed_once(job, ids)
    assert job.attempts >= 1
    assert job.report["requeued"]


def _drop_other_connections() -> int:
    """Terminate every other session on the test database; how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return sum(1 for (ok,) in cursor.fetchall() if ok)


def _finished_early(job: Job) -> bool:
    return job_state(job).done >= job.total


def test_dropped_database_connection_is_retried(workers, analysis_job):
    job, ids = analysis_job
    workers.start()
    workers.send(job, ids)
    wait_for("the first chunk", lambda: _started(job), workers)
    # A pool process holds no connection between two chunks (Celery closes it
    # after each task), so keep trying until one is dropped mid-job.
    wait_for(
        "a worker's connection to drop while the job runs",
        lambda: _drop_other_connections() >= 1 or _finished_early(job),
        workers,
    )
    assert not _finished_early(job), "the job ended before a connection was dropped"
    wait_for(
        "the job to finish", lambda: job_state(job).finished_at is not None, workers
    )
    assert_completed_once(job, ids)
