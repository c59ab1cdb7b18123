#!/usr/bin/env python
"""API benchmark: a document with its annotations, one request against two.

Measures, against a dedicated PostgreSQL database (``<DATABASE_URL>_bench_api``),
the server time of fetching one document with its annotations (default 10,
as in the issue) as a signed-in analyst:

1. ``one``: ``GET /api/documents/<id>/?include=annotations`` (one request);
2. ``two``: ``GET /api/documents/<id>/`` then
   ``GET /api/annotations/?document=<id>`` (the old path, two requests);
3. ``bare``: a bare DRF ``APIView`` over the same rows (session auth, no
   permission layer, no blind mode, two plain ``values()`` queries): the
   floor a DRF endpoint on this stack can reach, and the stand-in for
   doccano's own endpoint;
4. ``doccano``: the real doccano 1.8.4 (``benchmarks/peers/doccano_setup.sh``)
   fetching one example with the same text and the same 10 spans through
   its REST API, as its annotation page does (``GET .../examples/E`` and
   ``GET .../examples/E/spans``), timed the same way as Glossa's (Django's
   test client in process, in doccano's venv: ``peers/doccano_api_harness.py``
   on the running doccano's SQLite database);
5. ``doccano_http``: the same two requests over HTTP to the running doccano
   (gunicorn, one kept-alive connection, token auth), for reference.

All are interleaved request by request (same rows, the same machine load);
medians and p50 are of the per-request times in milliseconds, measured with
Django's test client in process (the full middleware stack, no network or
WSGI server) except ``doccano_http``, with DEBUG off on both sides (no
query log; doccano's harness uses its production settings). Target:
``one`` p50 below doccano's in the same run. Without doccano (its venv
absent or its server not answering at ``DOCCANO_URL``) the benchmark says
so and compares with the figure quoted in issue 14 (23.6 ms). The last
line of output is one JSON object with the figures, the target and the
ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa python benchmarks/api.py
Options: --annotations 10 --requests 200 --words 2000
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
import types
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import bench_database, django_setup, summary

DOCCANO_MS = 23.6  # issue 14: doccano's document + annotations fetch (quoted)
PEERS = Path(__file__).resolve().parent / "peers"


class DoccanoPeer:
    """The real doccano holding the same text and spans: timed in process by
    a harness in its venv, and over HTTP against its running server."""

    def __init__(self, document, annotations: int) -> None:
        sys.path.insert(0, str(PEERS))
        from doccano_client import Doccano, DoccanoError
        from harness import DOCCANO_VENV, Harness

        self.harness: Harness | None = None
        self.why_absent = ""
        if not (DOCCANO_VENV / "bin" / "python").exists():
            self.why_absent = f"doccano's venv is absent ({DOCCANO_VENV})"
            return
        try:
            self.client = Doccano()
        except (OSError, DoccanoError) as error:
            self.why_absent = f"doccano does not answer ({error})"
            return
        from annotations.models import Annotation

        rows = Annotation.objects.filter(document=document).order_by("start", "pk")
        spans = [
            [a.start, a.end, a.tags.order_by("key").first().key]  # type: ignore[union-attr]
            for a in rows
        ]
        assert document.text.isascii()  # so UTF-16 offsets = Glossa's
        self.project = self.client.create_project(f"bench-api-{time.time_ns()}")
        line = json.dumps({"text": document.text, "label": spans}) + "\n"
        result = self.client.import_jsonl(self.project, "bench.jsonl", line.encode())
        assert not result["error"], result
        (example,) = self.client.examples(self.project)
        self.example = example["id"]
        assert len(self.client.spans(self.project, self.example)) == annotations
        self.harness = Harness(
            DOCCANO_VENV,
            "doccano_api_harness.py",
            str(self.project),
            str(self.example),
        )
        assert self.harness.ready["spans"] == annotations, self.harness.ready
        host = self.client.url.split("://", 1)[1]
        self.http = http.client.HTTPConnection(host, timeout=30)
        self.headers = {
            "Authorization": f"Token {self.client.token}",
            "Accept": "application/json",
        }
        self.paths = (
            f"/v1/projects/{self.project}/examples/{self.example}",
            f"/v1/projects/{self.project}/examples/{self.example}/spans",
        )

    def in_process_ms(self) -> float:
        assert self.harness is not None
        return float(self.harness.ask({"fetch": True})["ms"])

    def http_ms(self) -> float:
        started = time.perf_counter()
        for path in self.paths:
            self.http.request("GET", path, headers=self.headers)
            response = self.http.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        if self.harness is None:
            return
        self.harness.close()
        self.http.close()
        self.client.raw("DELETE", f"/v1/projects/{self.project}")


def setup(annotations: int, words: int):
    """One project, one document of ``words`` words, ``annotations`` spans."""
    from django.contrib.auth.models import User

    from annotations.models import Annotation, Tag
    from corpus.models import Document
    from projects.models import Project, Role
    from projects.services import membership_set, project_create
    from tests.factories import DocumentFactory, UserFactory, make_annotation

    Project.objects.filter(slug="bench-api").delete()
    owner = cast(User, UserFactory(username=f"bench-api-owner-{time.time_ns()}"))
    analyst = cast(User, UserFactory(username=f"bench-api-analyst-{time.time_ns()}"))
    project = project_create(name="Bench API", slug="bench-api", created_by=owner)
    membership_set(project=project, user=analyst, role=Role.ANALYST)
    text = " ".join(f"word{i % 50}" for i in range(words))
    document = cast(Document, DocumentFactory(project=project, text=text))
    keys = list(Tag.objects.filter(project=project).values_list("key", flat=True))
    step = max(1, len(text) // (annotations + 1))
    for i in range(annotations):
        start = i * step
        make_annotation(
            document,
            analyst,
            start,
            start + 5,
            keys[i % 3 : i % 3 + 1 + i % 2],
            note=f"note {i}",
        )
    assert Annotation.objects.filter(document=document).count() == annotations
    return analyst, document


def bare_urlconf():
    """The app's URLs plus ``/bench/bare/<pk>/``: a bare DRF view."""
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.urls import include, path
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from annotations.models import Annotation
    from corpus.models import Document

    class Bare(APIView):
        permission_classes = [IsAuthenticated]

        def get(self, request, pk: int):
            document = (
                Document.objects.filter(pk=pk)
                .values("id", "title", "text", "kind", "language", "published_at")
                .first()
            )
            rows = list(
                Annotation.objects.filter(document_id=pk)
                .order_by("start", "end", "pk")
                .values("id", "start", "end", "quote", "note", "status", "version")
                .annotate(tag_keys=ArrayAgg("tags__key"))
            )
            return Response({**(document or {}), "annotations": rows})

    module = types.ModuleType("bench_api_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/bare/<int:pk>/", Bare.as_view()),
        path("", include("glossa.urls")),
    ]
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--annotations", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--words", type=int, default=2000)
    args = parser.parse_args()

    django_setup(bench_database("api"))
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ROOT_URLCONF = bare_urlconf()
    # As doccano's harness runs (its production settings) and as Django's
    # test runner does: DEBUG off, so no query log on either side.
    settings.DEBUG = False
    analyst, document = setup(args.annotations, args.words)
    client = Client()
    client.force_login(analyst)
    one_url = f"/api/documents/{document.pk}/?include=annotations"
    doc_url = f"/api/documents/{document.pk}/"
    list_url = f"/api/annotations/?document={document.pk}"
    bare_url = f"/bench/bare/{document.pk}/"

    def timed(*urls: str) -> float:
        started = time.perf_counter()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000

    # Same rows on every path (and warm caches, connections, imports).
    one_rows = client.get(one_url).json()["annotations"]
    listed = client.get(list_url).json()
    bare_rows = client.get(bare_url).json()["annotations"]
    assert [r["id"] for r in one_rows] == [r["id"] for r in listed["results"]]
    assert [r["id"] for r in one_rows] == [r["id"] for r in bare_rows]
    assert len(one_rows) == args.annotations
    queries = {}
    for name, urls in (
        ("one", (one_url,)),
        ("two", (doc_url, list_url)),
        ("bare", (bare_url,)),
    ):
        with CaptureQueriesContext(connection) as ctx:
            timed(*urls)
        queries[name] = len(ctx.captured_queries)

    peer = DoccanoPeer(document, args.annotations)
    if peer.harness is None:
        print(f"{peer.why_absent}: comparing with the quoted {DOCCANO_MS} ms")
    times: dict[str, list[float]] = {"one": [], "two": [], "bare": []}
    if peer.harness is not None:
        times.update(doccano=[], doccano_http=[])
    try:
        for _ in range(args.requests):
            times["one"].append(timed(one_url))
            times["two"].append(timed(doc_url, list_url))
            times["bare"].append(timed(bare_url))
            if peer.harness is not None:
                times["doccano"].append(peer.in_process_ms())
                times["doccano_http"].append(peer.http_ms())
    finally:
        peer.close()
    result = {name: summary(values) for name, values in times.items()}
    p50 = {name: round(statistics.median(v), 2) for name, v in times.items()}
    for name in ("one", "two", "bare"):
        print(
            f"{name:>4}: p50 {p50[name]:.2f} ms, p95 {result[name]['p95']:.2f} ms, "
            f"{queries[name]} queries ({args.annotations} annotations)"
        )
    if peer.harness is not None:
        doccano_ms = p50["doccano"]
        against = "doccano 1.8.4, same run, interleaved, in-process test client"
        print(
            f"doccano 1.8.4: p50 {p50['doccano']:.2f} ms in process, "
            f"{p50['doccano_http']:.2f} ms over HTTP (2 requests, "
            f"{args.annotations} spans)"
        )
    else:
        doccano_ms = DOCCANO_MS
        against = f"doccano quoted from issue 14 ({peer.why_absent})"
        print(f"doccano (quoted, issue 14): {DOCCANO_MS} ms")
    print(
        json.dumps(
            {
                "benchmark": "api-document-with-annotations",
                "annotations": args.annotations,
                "requests": args.requests,
                "p50_ms": p50,
                "figures": result,
                "queries": queries,
                "doccano_p50_ms": doccano_ms,
                "doccano_figure": against,
                "target": {"one_p50_below_ms": doccano_ms},
                "meets_target": p50["one"] < doccano_ms,
                "ratio_one_to_bare": round(p50["one"] / p50["bare"], 2),
                "ratio_one_to_two": round(p50["one"] / p50["two"], 2),
                "ratio_one_to_doccano": round(p50["one"] / doccano_ms, 2),
                "measured": "in-process Django test client, interleaved",
            }
        )
    )


if __name__ == "__main__":
    main()
