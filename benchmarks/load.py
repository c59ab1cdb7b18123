#!/usr/bin/env python
"""Load: concurrent clients through gunicorn against PostgreSQL, Glossa and
the real doccano 1.8.4 under the same load in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa \\
        python benchmarks/load.py [--clients 50] [--seconds 60] [--documents 200]
Options: --rounds 3 --baseline-seconds 10 --workers 3 --threads 8

Sets up a benchmark database (``<DATABASE_URL>_bench_load``), one project with
the default taxonomy and ``--documents`` fictional articles, starts gunicorn
(``glossa.wsgi``, gthread workers) on a free local port, and runs
``--clients`` threads, each with its own HTTP connection, for ``--seconds``.
Each client repeatedly picks one of the things analysts do:

- ``open``: the annotator page of a document (``/p/<slug>/d/<id>/``, signed
  in with a session) and the document's annotations (``/api/annotations/``);
- ``fetch``: the document with its annotations as JSON
  (``/api/documents/<id>/?include=annotations``), what a single-page front
  end or an API client asks for;
- ``annotate``: ``POST /api/annotations/`` of a random word span with a tag;
- ``search``: ``/api/search/?q=...&project=<slug>``;
- ``export``: ``/api/projects/<slug>/export/?format=csv``, read to the end.

The peer: doccano 1.8.4 from its venv (``$DOCCANO_VENV``, default
``/work/peers/doccano-venv``; ``benchmarks/peers/doccano_setup.sh``), its
Django app served by gunicorn from that venv (``config.wsgi``, doccano's
production settings, as ``doccano webserver`` serves it) with the same
workers, worker class and threads as Glossa's, on a PostgreSQL database of
its own on the same server (``<DATABASE_URL>_bench_load_doccano``), set up by
``benchmarks/peers/doccano_load_setup.py`` with doccano's own models: a user
who is project admin (not a superuser, who would skip its permission
checks), a sequence-labelling project (overlapping spans allowed, as in
Glossa), the same texts and one span type per Glossa tag. The clients sign
in as doccano's front end does (``POST /v1/auth/login/``: a session cookie,
then the ``csrftoken`` cookie sent back as ``X-CSRFToken`` on writes) and
run the same routes through doccano's REST API, as its annotation and
dataset pages call it:

- ``fetch``: ``GET /v1/projects/P/examples/E`` and ``.../examples/E/spans``,
  what its annotation page asks for on opening a document; doccano's pages
  are a static single-page app, its HTML not fetched per document, so its
  ``fetch`` takes the share of both Glossa's ``open`` (the server-rendered
  page) and ``fetch``, and the like-for-like comparison is ``fetch``;
- ``annotate``: ``POST .../examples/E/spans`` of a random word span with a
  random label;
- ``search``: ``GET /v1/projects/P/examples?q=...&limit=50`` (its substring
  search over the texts; 50 a page as Glossa's, where doccano's dataset
  page asks for 10);
- ``export``: left out: doccano's export (``POST /v1/projects/P/download``)
  only queues a Celery task, and the file is fetched once a worker has
  written it; there is no synchronous export to time. doccano's clients
  pick among the other three routes with the same weights.

Both servers are up throughout; the timed phases alternate, ``--rounds`` of
``--seconds / --rounds`` each, Glossa first then doccano, so both see the
same machine. An error is any answer other than 200/201, or a connection
failure. Target: 0 errors for Glossa (doccano's are counted and printed
too); p50, p95, requests/s and errors of each route are printed for each,
and ``ratio_doccano_to_glossa_p95`` gives doccano's p95 over Glossa's per
route; ``ratio`` stays Glossa's bare baseline p95 over its worst route's
p95. The bare baseline is the same clients against the cheapest
authenticated route of each server (Glossa's ``/api/`` root, doccano's
``/v1/me``), in the same run, so the per-route figures can be read against
what the server and the machine cost by themselves. Without doccano's venv
the benchmark says so and runs Glossa alone. Every gunicorn started is
stopped on exit, error, Ctrl-C or SIGTERM.

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "benchmarks" / "peers"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _setup import bench_database, django_setup, percentile  # noqa: E402

WORDS = ("strike", "vessel", "ministry", "evidence", "harbour", "survivors")
WEIGHTS = {"open": 4, "fetch": 2, "annotate": 3, "search": 2, "export": 1}
DOCCANO_VENV = Path(os.environ.get("DOCCANO_VENV", "/work/peers/doccano-venv"))
DOCCANO_NO_EXPORT = (
    "doccano 1.8.4's export is asynchronous only: POST /v1/projects/P/download "
    "queues a Celery task whose file is fetched once a worker has written it"
)
# doccano's own environment, not Glossa's (its settings read DATABASE_URL,
# DEBUG, SECRET_KEY...): only these are passed on from ours.
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
Timings = dict[str, list[float]]
Errors = list[tuple[str, str]]
Phase = tuple[Timings, Errors, float]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(documents: int) -> dict:
    """The project, its documents, a session cookie and an API token."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from ingest import make_text  # benchmarks/ingest.py: fictional articles
    from rest_framework.authtoken.models import Token

    from corpus.ingest import ingest_batch
    from projects.services import project_create

    user, _ = get_user_model().objects.get_or_create(username="load-analyst")
    project = project_create(
        name=f"Load {int(time.time())}",
        created_by=user,
        slug=f"load-{os.getpid()}-{int(time.time())}",
    )
    rng = random.Random(5)
    files = [(f"load-{i}.txt", make_text(rng, i).encode()) for i in range(documents)]
    result = ingest_batch(
        project=project, files=files, user=user, kind="article", analyse=False
    )
    if result.errors:
        raise SystemExit(f"set-up failed: {result.errors[:3]}")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # As django.contrib.auth.login records it: the backend that signs in.
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    token, _ = Token.objects.get_or_create(user=user)
    tags = list(project.tags.filter(is_active=True).values_list("key", flat=True))
    return {
        "project": project,
        "slug": project.slug,
        "documents": [(d.pk, len(d.text)) for d in result.documents],
        "texts": {d.pk: d.text for d in result.documents},
        "session": session.session_key,
        "cookie": settings.SESSION_COOKIE_NAME,
        "token": token.key,
        "tags": tags,
    }


def wait_for_port(server: subprocess.Popen, port: int, name: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"{name}'s gunicorn exited at start") from None
            time.sleep(0.2)  # waiting for the server's port to open
    raise SystemExit(f"{name}'s gunicorn did not start")


def gunicorn_options(port: int, workers: int, threads: int) -> list[str]:
    """The same server settings for Glossa and doccano."""
    return [
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "120",
        # Longer than a client's pause between requests: with gunicorn's
        # 2 s default, a reused connection can be closed by the server
        # just as the client sends on it (ECONNRESET), which is not an
        # application error (behind a proxy, the proxy keeps them).
        "--keep-alive",
        "120",
        "--log-level",
        "warning",
    ]


def start_server(port: int, url: str, workers: int, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "glossa.test_settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("CELERY_BROKER_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "glossa.wsgi",
            *gunicorn_options(port, workers, threads),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    wait_for_port(server, port, "Glossa")
    return server


def stop_server(server: subprocess.Popen) -> None:
    """Stop a gunicorn and its workers (its own process group)."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    except ProcessLookupError:
        pass


class Doccano:
    """doccano 1.8.4 from its venv: its database, its gunicorn, its session."""

    def __init__(self, base_url: str, database_url: str) -> None:
        self.python = DOCCANO_VENV / "bin" / "python"
        prefix, _, query = database_url.partition("?")
        # doccano's settings require SSL unless the URL says otherwise.
        self.url = f"{prefix}?{query + '&' if query else ''}sslmode=disable"
        self.base_url = base_url
        self.server: subprocess.Popen | None = None
        self.project: int | None = None
        self.log = Path(tempfile.gettempdir()) / f"doccano-load-{os.getpid()}.log"
        self.env = {k: os.environ[k] for k in PASSED_ON if k in os.environ}
        self.env.update(
            STANDALONE="True",
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DATABASE_URL=self.url,
            DOCCANO_LOAD_DATABASE_URL=self.url,
            MEDIA_ROOT=str(Path(tempfile.gettempdir()) / "doccano-load-media"),
        )

    def helper(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [str(self.python), str(PEERS / "doccano_load_setup.py"), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=tempfile.gettempdir(),  # never Glossa's apps of the same names
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"doccano's set-up failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def prepare(self, setup: dict) -> dict:
        """The same texts and labels as Glossa's project; a signed-in session."""
        order = [pk for pk, _ in setup["documents"]]
        request = {
            "texts": [setup["texts"][pk] for pk in order],
            "labels": setup["tags"],
            "username": "load-analyst",
            "password": "load-analyst-1",  # a local benchmark user
        }
        out = json.loads(
            self.helper("setup", stdin=json.dumps(request)).splitlines()[-1]
        )
        self.project = out["project"]
        examples = [tuple(e) for e in out["examples"]]
        texts = {
            e[0]: setup["texts"][pk] for e, pk in zip(examples, order, strict=True)
        }
        return {
            "project": out["project"],
            "documents": examples,
            "texts": texts,
            "tags": out["labels"],
            "version": out["doccano"],
            "username": request["username"],
            "password": request["password"],
        }

    def start(self, port: int, workers: int, threads: int) -> None:
        """doccano's WSGI app under gunicorn from its venv, as Glossa's runs."""
        backend = next((DOCCANO_VENV / "lib").glob("python3*/site-packages/backend"))
        with self.log.open("wb") as log:
            self.server = subprocess.Popen(
                [
                    str(self.python),
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--chdir",
                    str(backend),
                    *gunicorn_options(port, workers, threads),
                ],
                cwd=tempfile.gettempdir(),
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for_port(self.server, port, "doccano")
        except SystemExit:
            print(self.log.read_text(errors="replace")[-3000:])
            raise

    def login(self, setup: dict) -> None:
        """Sign in as doccano's front end does: a session and a CSRF cookie."""
        with httpx.Client(base_url=self.base_url, timeout=120) as client:
            response = client.post(
                "/v1/auth/login/",
                json={"username": setup["username"], "password": setup["password"]},
            )
            if response.status_code != 200:
                raise SystemExit(f"doccano's login failed: {response.status_code}")
            setup["cookies"] = {
                "sessionid": response.cookies["sessionid"],
                "csrftoken": response.cookies["csrftoken"],
            }

    def close(self) -> None:
        if self.server is not None:
            stop_server(self.server)
            self.log.unlink(missing_ok=True)
        if self.project is not None:
            try:
                self.helper("delete", str(self.project))
            except SystemExit as exc:  # the figures matter more than the clean-up
                print(f"warning: doccano's load project was not deleted ({exc})")


class Client(threading.Thread):
    """One analyst on Glossa: its own connections, a random mix of routes."""

    weights = WEIGHTS

    def __init__(self, index: int, base: str, setup: dict, only: str | None) -> None:
        super().__init__(daemon=True)
        self.rng = random.Random(index)
        self.base, self.setup, self.only = base, setup, only
        self.until = 0.0  # set by drive() once every client is ready
        self.timings: Timings = defaultdict(list)
        self.errors: Errors = []
        # Made here, before the clock starts: an httpx.Client costs tens of
        # milliseconds of CPU (its SSL context), which 50 clients starting
        # at once would otherwise charge to the first requests of a phase.
        self.connections = self.connect()

    def connect(self) -> list[httpx.Client]:
        setup = self.setup
        # The page is signed in with a session; the API with a token and no
        # cookie (a session cookie would make DRF ask for a CSRF token).
        self.page = httpx.Client(
            base_url=self.base,
            cookies={setup["cookie"]: setup["session"]},
            timeout=120,
        )
        self.client = httpx.Client(
            base_url=self.base,
            headers={"Authorization": f"Token {setup['token']}"},
            timeout=120,
        )
        return [self.page, self.client]

    def run(self) -> None:
        routes = list(self.weights)
        weights = [self.weights[r] for r in routes]
        try:
            while time.monotonic() < self.until:
                route = self.only or self.rng.choices(routes, weights)[0]
                t0 = time.perf_counter()
                try:
                    status: int | str = getattr(self, route)()
                except httpx.HTTPError as exc:
                    status = f"{type(exc).__name__}: {exc}"
                self.timings[route].append((time.perf_counter() - t0) * 1000)
                if status not in (200, 201):
                    self.errors.append((route, str(status)))
        finally:
            for connection in self.connections:
                connection.close()

    def span(self) -> tuple[int, int, int]:
        """A random document and a span of whole words in it."""
        pk, length = self.rng.choice(self.setup["documents"])
        text = self.setup["texts"][pk]
        start = self.rng.randrange(0, max(1, length - 40))
        while start < length and not text[start].isalnum():
            start += 1
        end = min(length, start + self.rng.randint(5, 40))
        while end > start + 1 and not text[end - 1].isalnum():
            end -= 1
        return pk, start, end

    def root(self) -> int:
        return self.client.get("/api/").status_code

    def open(self) -> int:
        pk, _ = self.rng.choice(self.setup["documents"])
        page = self.page.get(f"/p/{self.setup['slug']}/d/{pk}/")
        if page.status_code != 200:
            return page.status_code
        return self.client.get("/api/annotations/", params={"document": pk}).status_code

    def fetch(self) -> int:
        """A document and its annotations as JSON (what an API client or a
        single-page front end asks for): like for like with doccano."""
        pk, _ = self.rng.choice(self.setup["documents"])
        return self.client.get(
            f"/api/documents/{pk}/", params={"include": "annotations"}
        ).status_code

    def annotate(self) -> int:
        pk, start, end = self.span()
        body = {
            "document": pk,
            "start": start,
            "end": end,
            "tag_keys": [self.rng.choice(self.setup["tags"])],
        }
        return self.client.post("/api/annotations/", json=body).status_code

    def search(self) -> int:
        params = {"q": self.rng.choice(WORDS), "project": self.setup["slug"]}
        return self.client.get("/api/search/", params=params).status_code

    def export(self) -> int:
        with self.client.stream(
            "GET",
            f"/api/projects/{self.setup['slug']}/export/",
            params={"format": "csv"},
        ) as response:
            for _ in response.iter_bytes():
                pass
            return response.status_code


class DoccanoClient(Client):
    """The same analyst on doccano, through its REST API as its pages call it."""

    # doccano's page is static: opening a document is its two JSON calls,
    # ``fetch``, which takes the page's share too. No synchronous export.
    weights = {
        "fetch": WEIGHTS["open"] + WEIGHTS["fetch"],
        "annotate": WEIGHTS["annotate"],
        "search": WEIGHTS["search"],
    }

    def connect(self) -> list[httpx.Client]:
        cookies = self.setup["cookies"]
        self.client = httpx.Client(
            base_url=self.base,
            cookies=cookies,
            headers={"Accept": "application/json", "X-CSRFToken": cookies["csrftoken"]},
            timeout=120,
        )
        return [self.client]

    def root(self) -> int:
        return self.client.get("/v1/me").status_code

    def fetch(self) -> int:
        pk, _ = self.rng.choice(self.setup["documents"])
        path = f"/v1/projects/{self.setup['project']}/examples/{pk}"
        example = self.client.get(path)
        if example.status_code != 200:
            return example.status_code
        return self.client.get(f"{path}/spans").status_code

    def annotate(self) -> int:
        pk, start, end = self.span()
        body = {
            "label": self.rng.choice(self.setup["tags"]),
            "start_offset": start,
            "end_offset": end,
        }
        return self.client.post(
            f"/v1/projects/{self.setup['project']}/examples/{pk}/spans", json=body
        ).status_code

    def search(self) -> int:
        params: dict[str, str | int] = {
            "q": self.rng.choice(WORDS),
            "limit": 50,
            "offset": 0,
        }
        return self.client.get(
            f"/v1/projects/{self.setup['project']}/examples", params=params
        ).status_code


def drive(
    kind: type[Client],
    base: str,
    setup: dict,
    clients: int,
    seconds: float,
    only: str | None = None,
) -> Phase:
    """Run the clients for ``seconds``; their timings, errors and the wall
    time until the last one finished its last request."""
    threads = [kind(i, base, setup, only) for i in range(clients)]
    started = time.monotonic()
    until = started + seconds
    for thread in threads:
        thread.until = until
        thread.start()
    for thread in threads:
        thread.join()
    timings: Timings = defaultdict(list)
    errors: Errors = []
    for thread in threads:
        for route, values in thread.timings.items():
            timings[route].extend(values)
        errors.extend(thread.errors)
    return timings, errors, time.monotonic() - started


def figures(name: str, timings: Timings, errors: Errors, seconds: float) -> dict:
    """Per route: requests, requests/s (over the phases' wall time, the last
    requests included), p50, p95 and errors; printed too."""
    routes: dict[str, dict[str, Any]] = {}
    failed: dict[str, int] = defaultdict(int)
    for route, _ in errors:
        failed[route] += 1
    for route, values in sorted(timings.items()):
        routes[route] = {
            "requests": len(values),
            "requests_per_s": round(len(values) / seconds, 1),
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "errors": failed[route],
        }
        row = routes[route]
        print(
            f"{name:8s} {route:9s} {len(values):6d} requests "
            f"{row['requests_per_s']:7.1f}/s  p50 {row['p50_ms']:8.1f} ms  "
            f"p95 {row['p95_ms']:8.1f} ms  {failed[route]} errors"
        )
    total = sum(len(v) for v in timings.values())
    print(f"{name:8s} {total} requests in {seconds:.1f} s, {len(errors)} errors")
    for route, detail in sorted(set(errors))[:10]:
        print(f"  {name} error: {route}: {detail}")
    return {
        "requests": total,
        "requests_per_s": round(total / seconds, 1),
        "wall_s": round(seconds, 1),
        "errors": len(errors),
        "routes": routes,
    }


def merge(total: Phase, phase: Phase) -> Phase:
    timings: Timings = defaultdict(list)
    for part in (total[0], phase[0]):
        for route, values in part.items():
            timings[route].extend(values)
    return timings, total[1] + phase[1], total[2] + phase[2]


def on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM ends the run as Ctrl-C does: through the clean-up."""
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, on_sigterm)
    peer: Doccano | None = None
    absent = ""
    if not (DOCCANO_VENV / "bin" / "python").exists():
        absent = f"doccano's venv is absent ({DOCCANO_VENV})"
        print(f"{absent}: Glossa alone, against its bare baseline")
    url = bench_database("load")
    # Before django_setup, which points DATABASE_URL at the benchmark database.
    doccano_url = "" if absent else bench_database("load_doccano")
    django_setup(url)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    setup = prepare(args.documents)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    phase = args.seconds / args.rounds
    glossa_run: Phase = ({}, [], 0.0)
    peer_run: Phase = ({}, [], 0.0)
    try:
        server = start_server(port, url, args.workers, args.threads)
        if not absent:
            peer_port = free_port()
            peer = Doccano(f"http://127.0.0.1:{peer_port}", doccano_url)
            peer_setup = peer.prepare(setup)
            peer.start(peer_port, args.workers, args.threads)
            peer.login(peer_setup)
        # Warm every worker and route once before timing.
        drive(Client, base, setup, 6, 3)
        if peer is not None:
            drive(DoccanoClient, peer.base_url, peer_setup, 6, 3)
        baseline, base_errors, _ = drive(
            Client, base, setup, args.clients, args.baseline_seconds, only="root"
        )
        if peer is not None:
            peer_baseline, peer_base_errors, _ = drive(
                DoccanoClient,
                peer.base_url,
                peer_setup,
                args.clients,
                args.baseline_seconds,
                only="root",
            )
        for _ in range(args.rounds):
            glossa_run = merge(
                glossa_run, drive(Client, base, setup, args.clients, phase)
            )
            if peer is not None:
                peer_run = merge(
                    peer_run,
                    drive(
                        DoccanoClient, peer.base_url, peer_setup, args.clients, phase
                    ),
                )
    finally:
        if server is not None:
            stop_server(server)
        if peer is not None:
            peer.close()
        try:
            setup["project"].delete()
        except Exception as exc:  # the figures matter more than the clean-up
            print(f"warning: the load project was not deleted ({exc})")
    glossa = figures("glossa", *glossa_run)
    root = baseline.get("root", [0.0])
    base_p95 = round(percentile(root, 95), 1)
    print(f"baseline {len(root):6d} requests to Glossa's /api/, p95 {base_p95} ms")
    worst = max(r["p95_ms"] for r in glossa["routes"].values())
    result: dict[str, Any] = {
        "benchmark": "load",
        "clients": args.clients,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "documents": args.documents,
        "gunicorn": f"{args.workers} gthread workers x {args.threads} threads",
        **glossa,
        "errors": glossa["errors"] + len(base_errors),
        "baseline": "GET /api/ (same server, same clients)",
        "baseline_p95_ms": base_p95,
    }
    if peer is not None:
        doccano = figures("doccano", *peer_run)
        peer_root = peer_baseline.get("root", [0.0])
        peer_base_p95 = round(percentile(peer_root, 95), 1)
        print(
            f"baseline {len(peer_root):6d} requests to doccano's /v1/me, "
            f"p95 {peer_base_p95} ms"
        )
        print(f"doccano: no export route ({DOCCANO_NO_EXPORT})")
        result["doccano"] = {
            "version": peer_setup["version"],
            **doccano,
            "errors": doccano["errors"] + len(peer_base_errors),
            "baseline": "GET /v1/me (same server, same clients)",
            "baseline_p95_ms": peer_base_p95,
            "export": f"left out: {DOCCANO_NO_EXPORT}",
        }
        result["ratio_doccano_to_glossa_p95"] = {
            route: round(row["p95_ms"] / glossa["routes"][route]["p95_ms"], 2)
            for route, row in doccano["routes"].items()
            if glossa["routes"].get(route, {}).get("p95_ms")
        }
    else:
        result["doccano"] = {"absent": absent}
    result.update(
        {
            "target": {"errors": 0},
            "meets_target": result["errors"] == 0,
            "ratio": round(base_p95 / worst, 3) if worst else None,
        }
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
