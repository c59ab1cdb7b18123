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
   doccano's own endpoint (doccano is a DRF app; its figure, 23.6 ms, is
   quoted from issue 14, not measured here).

The three are interleaved request by request (same process, same
connection, same rows), so machine load hits them alike; medians and p50
are of the per-request times in milliseconds, measured with Django's test
client in process (the full middleware stack, no network or WSGI server).
Target: ``one`` p50 below doccano's 23.6 ms. The last line of output is one
JSON object with the figures, the target and the ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa python benchmarks/api.py
Options: --annotations 10 --requests 200 --words 2000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import types
from pathlib import Path
from typing import cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import bench_database, django_setup, summary

DOCCANO_MS = 23.6  # issue 14: doccano's document + annotations fetch


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

    times: dict[str, list[float]] = {"one": [], "two": [], "bare": []}
    for _ in range(args.requests):
        times["one"].append(timed(one_url))
        times["two"].append(timed(doc_url, list_url))
        times["bare"].append(timed(bare_url))
    result = {name: summary(values) for name, values in times.items()}
    p50 = {name: round(statistics.median(v), 2) for name, v in times.items()}
    for name in ("one", "two", "bare"):
        print(
            f"{name:>4}: p50 {p50[name]:.2f} ms, p95 {result[name]['p95']:.2f} ms, "
            f"{queries[name]} queries ({args.annotations} annotations)"
        )
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
                "target": {"one_p50_below_ms": DOCCANO_MS},
                "meets_target": p50["one"] < DOCCANO_MS,
                "ratio_one_to_bare": round(p50["one"] / p50["bare"], 2),
                "ratio_one_to_two": round(p50["one"] / p50["two"], 2),
                "ratio_one_to_doccano": round(p50["one"] / DOCCANO_MS, 2),
                "measured": "in-process Django test client, interleaved",
            }
        )
    )


if __name__ == "__main__":
    main()
