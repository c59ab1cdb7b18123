#!/usr/bin/env python
"""Load: concurrent clients through gunicorn against PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa \\
        python benchmarks/load.py [--clients 50] [--seconds 60] [--documents 200]

Sets up a benchmark database (``<DATABASE_URL>_bench_load``), one project with
the default taxonomy and ``--documents`` fictional articles, starts gunicorn
(``glossa.wsgi``, gthread workers) on a free local port, and runs
``--clients`` threads, each with its own HTTP connection, for ``--seconds``.
Each client repeatedly picks one of the four things analysts do:

- ``open``: the annotator page of a document (``/p/<slug>/d/<id>/``, signed
  in with a session) and the document's annotations (``/api/annotations/``);
- ``annotate``: ``POST /api/annotations/`` of a random word span with a tag;
- ``search``: ``/api/search/?q=...&project=<slug>``;
- ``export``: ``/api/projects/<slug>/export/?format=csv``, read to the end.

An error is any answer other than 200/201, or a connection failure.
Target: 0 errors; the p95 of each route is printed. The bare baseline is
the same clients against the cheapest authenticated route of the same
server (``/api/`` root), in the same run, so the per-route figures can be
read against what the server and the machine cost by themselves.

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
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _setup import bench_database, django_setup, percentile  # noqa: E402

WORDS = ("strike", "vessel", "ministry", "evidence", "harbour", "survivors")
WEIGHTS = {"open": 4, "annotate": 3, "search": 2, "export": 1}


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


def start_server(port: int, url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "glossa.test_settings",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": "",
    }
    env.pop("CELERY_BROKER_URL")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "glossa.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
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
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn exited at start") from None
            time.sleep(0.2)  # waiting for the server's port to open
    raise SystemExit("gunicorn did not start")


class Client(threading.Thread):
    def __init__(self, index: int, base: str, setup: dict, until: float, only=None):
        super().__init__(daemon=True)
        self.rng = random.Random(index)
        self.base, self.setup, self.until, self.only = base, setup, until, only
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def run(self) -> None:
        import httpx

        setup = self.setup
        # The page is signed in with a session; the API with a token and no
        # cookie (a session cookie would make DRF ask for a CSRF token).
        self.page = httpx.Client(
            base_url=self.base,
            cookies={setup["cookie"]: setup["session"]},
            timeout=120,
        )
        with self.page, httpx.Client(base_url=self.base, timeout=120) as client:
            routes = list(WEIGHTS)
            weights = [WEIGHTS[r] for r in routes]
            while time.monotonic() < self.until:
                route = self.only or self.rng.choices(routes, weights)[0]
                t0 = time.perf_counter()
                try:
                    status = getattr(self, route)(client)
                except httpx.HTTPError as exc:
                    status = f"{type(exc).__name__}: {exc}"
                self.timings[route].append((time.perf_counter() - t0) * 1000)
                if status not in (200, 201):
                    self.errors.append(f"{route}: {status}")

    def _api(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.setup['token']}"}

    def root(self, client) -> int:
        return client.get("/api/", headers=self._api()).status_code

    def open(self, client) -> int:
        pk, _ = self.rng.choice(self.setup["documents"])
        page = self.page.get(f"/p/{self.setup['slug']}/d/{pk}/")
        if page.status_code != 200:
            return page.status_code
        return client.get(
            "/api/annotations/", params={"document": pk}, headers=self._api()
        ).status_code

    def annotate(self, client) -> int:
        pk, length = self.rng.choice(self.setup["documents"])
        text = self.setup["texts"][pk]
        start = self.rng.randrange(0, max(1, length - 40))
        while start < length and not text[start].isalnum():
            start += 1
        end = min(length, start + self.rng.randint(5, 40))
        while end > start + 1 and not text[end - 1].isalnum():
            end -= 1
        body = {
            "document": pk,
            "start": start,
            "end": end,
            "tag_keys": [self.rng.choice(self.setup["tags"])],
        }
        return client.post(
            "/api/annotations/", json=body, headers=self._api()
        ).status_code

    def search(self, client) -> int:
        params = {"q": self.rng.choice(WORDS), "project": self.setup["slug"]}
        return client.get(
            "/api/search/", params=params, headers=self._api()
        ).status_code

    def export(self, client) -> int:
        with client.stream(
            "GET",
            f"/api/projects/{self.setup['slug']}/export/",
            params={"format": "csv"},
            headers=self._api(),
        ) as response:
            for _ in response.iter_bytes():
                pass
            return response.status_code


def drive(base: str, setup: dict, clients: int, seconds: float, only=None):
    until = time.monotonic() + seconds
    threads = [Client(i, base, setup, until, only) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    for thread in threads:
        for route, values in thread.timings.items():
            timings[route].extend(values)
        errors.extend(thread.errors)
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=10)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    url = bench_database("load")
    django_setup(url)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    setup = prepare(args.documents)
    port = free_port()
    server = start_server(port, url)
    base = f"http://127.0.0.1:{port}"
    try:
        # Warm every worker and route once before timing.
        drive(base, setup, 6, 3)
        baseline, base_errors = drive(
            base, setup, args.clients, args.baseline_seconds, only="root"
        )
        timings, errors = drive(base, setup, args.clients, args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        try:
            setup["project"].delete()
        except Exception as exc:  # the figures matter more than the clean-up
            print(f"warning: the load project was not deleted ({exc})")
    routes = {}
    for route, values in sorted(timings.items()):
        routes[route] = {
            "requests": len(values),
            "median_ms": round(sorted(values)[len(values) // 2], 1),
            "p95_ms": round(percentile(values, 95), 1),
        }
        row = routes[route]
        print(
            f"{route:9s} {len(values):6d} requests  median "
            f"{row['median_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms"
        )
    root = baseline.get("root", [0.0])
    base_p95 = round(percentile(root, 95), 1)
    print(f"baseline  {len(root):6d} requests to /api/ p95 {base_p95} ms")
    total = sum(len(v) for v in timings.values())
    print(f"{total} requests in {args.seconds:.0f} s, {len(errors)} errors")
    for error in sorted(set(errors))[:10]:
        print("  error:", error)
    worst = max(r["p95_ms"] for r in routes.values())
    print(
        json.dumps(
            {
                "benchmark": "load",
                "clients": args.clients,
                "seconds": args.seconds,
                "documents": args.documents,
                "requests": total,
                "requests_per_s": round(total / args.seconds, 1),
                "errors": len(errors) + len(base_errors),
                "routes": routes,
                "baseline": "GET /api/ (same server, same clients)",
                "baseline_p95_ms": base_p95,
                "target": {"errors": 0},
                "ratio": round(base_p95 / worst, 3) if worst else None,
            }
        )
    )


if __name__ == "__main__":
    main()
