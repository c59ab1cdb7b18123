#!/usr/bin/env python
"""Document search and document lists over 100,000 documents on PostgreSQL.

Rows are generated with COPY into a dedicated benchmark database
(``<DATABASE_URL>_bench_search``; reused on later runs while the row count
and the planted rare word match). Every timed request goes through the whole
Django stack in process with the test client:

- ``page``: the document-list page ``/p/<slug>/documents/?q=...``;
- ``api_search``: ``/api/search/?q=...`` over all of the user's projects,
  and ``api_search_project`` with ``&project=<slug>`` (ranked ids from the
  stored ``search_vector``, then rank and headline for the page only);
- ``api_documents``: ``/api/documents/`` over the user's two projects (the
  large one and a second of 2,000 documents: one index walk per project,
  merged), over one project, and a later page of each.

Each search is timed for a rare query that matches a few documents (a word
planted in every ``--rare-every``-th document), a common query (matches well
over the candidate bound) and a phrase query. The baseline is the bare SQL
of the same work on the same table, measured in the same run: the bounded,
ranked full-text match for searches, and one ordered page for the list.
Target: p95 < 100 ms for every request. The last line of output is one JSON
object; ``ratio`` is the worst request p95 over the worst baseline p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa \\
        python benchmarks/search.py [--documents 100000] [--requests 30]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import bench_database, django_setup, summary

COMMON = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "said",
    "on",
    "was",
    "were",
    "by",
    "that",
    "for",
    "with",
    "as",
    "at",
    "from",
    "has",
    "it",
]
DOMAIN = [
    "vessel",
    "boat",
    "strike",
    "ministry",
    "minister",
    "defence",
    "navy",
    "coast",
    "guard",
    "evidence",
    "killed",
    "survivors",
    "rescue",
    "waters",
    "international",
    "law",
    "experts",
    "unlawful",
    "statement",
    "spokesperson",
    "intelligence",
    "cartel",
    "crew",
    "fishermen",
    "families",
    "official",
    "claim",
    "denied",
    "investigation",
    "tribunal",
    "rights",
    "execution",
]
# A real word never produced by ``word`` (random strings use other letters
# too rarely to spell it); planted so that the rare query matches something.
RARE = "zygomorphic"
QUERIES = {
    "rare": RARE,
    "common": "vessel",  # matches most documents: ranking hits the bound
    "phrase": '"coast guard"',
}
TSQUERY = "websearch_to_tsquery('english', %s)"
TARGET_MS = 100
# Fixed SQL with bound parameters (the f-strings only splice TSQUERY).
COUNT_MATCHES = (
    "SELECT count(*) FROM corpus_document "  # noqa: S608
    f"WHERE project_id = %s AND search_vector @@ {TSQUERY}"
)
# The work of corpus.selectors._documents_ranked_ids, as bare SQL.
RANKED_MATCHES = (
    "SELECT c.id FROM (SELECT id, published_at, search_vector sv "  # noqa: S608
    f"FROM corpus_document WHERE project_id = %s AND search_vector @@ {TSQUERY} "
    f"LIMIT 1001) c ORDER BY ts_rank(c.sv, {TSQUERY}) DESC, "
    "c.published_at DESC NULLS LAST, c.id DESC"
)
SECOND_DOCUMENTS = 2_000


def word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(COMMON)
    if roll < 0.7:
        return DOMAIN[min(int(rng.paretovariate(1.2)) - 1, len(DOMAIN) - 1)]
    return "".join(rng.choice("kalomirtesvund") for _ in range(rng.randint(4, 9)))


def generate(project_id: int, count: int, words: int, rare_every: int | None) -> None:
    """COPY ``count`` documents into the project.

    The GIN index is dropped during the load and built once afterwards (much
    faster than maintaining it row by row); ``search_vector`` is computed
    by its trigger (corpus migration 0011) as rows arrive.
    """
    from django.db import connection

    rng = random.Random(11)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    columns = (
        "project_id, kind, title, author, speaker_role, platform, publisher, "
        "published_at, url, language, text, text_sha256, original, original_name, "
        "media_type, size, sha256, warc, extractor, extractor_version, metadata, "
        "captured_at, analysis_status, analysis_error, created_at"
    )
    kinds = ["article", "statement", "report", "social"]
    t0 = time.perf_counter()
    rebuild = count >= 10_000  # worth dropping and rebuilding the GIN index
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute("DROP INDEX IF EXISTS corpus_document_search_gin")
        raw = cursor.cursor
        with raw.copy(f"COPY corpus_document ({columns}) FROM STDIN") as copy:
            for i in range(count):
                tokens = [word(rng) for _ in range(words)]
                if rare_every and i % rare_every == rare_every // 2:
                    tokens[len(tokens) // 2] = RARE
                body = " ".join(tokens).capitalize() + "."
                title = " ".join(word(rng) for _ in range(6)).capitalize()
                digest = hashlib.sha256(body.encode()).hexdigest()
                when = start + timedelta(minutes=7 * i + project_id)
                copy.write_row(
                    (
                        project_id,
                        kinds[i % 4],
                        title,
                        "",
                        "",
                        "",
                        "",
                        when,
                        "",
                        "en",
                        body,
                        digest,
                        "",
                        "",
                        "text/plain",
                        len(body),
                        hashlib.sha256(f"{i}:{body}".encode()).hexdigest(),
                        "",
                        "bench",
                        "1",
                        "{}",
                        when,
                        "done",
                        "",
                        when,
                    )
                )
                if i and i % 20_000 == 0:
                    print(f"  {i} rows, {time.perf_counter() - t0:.0f}s", flush=True)
        if rebuild:
            print(
                f"  copied, {time.perf_counter() - t0:.0f}s; building GIN", flush=True
            )
            # Same definition as corpus/migrations/0003_document_search_index.py.
            cursor.execute(
                "CREATE INDEX corpus_document_search_gin "
                "ON corpus_document USING gin (search_vector)"
            )
        # What autovacuum does soon after a bulk load: statistics and the
        # visibility map (index-only scans for counts).
        cursor.execute("VACUUM ANALYZE corpus_document")


def timed(run: Callable[[], object], requests: int) -> dict[str, float]:
    """p50/p95 (ms) of ``requests`` calls of ``run`` after three warm-ups."""
    for _ in range(3):
        run()
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1000)
    figures = summary(times)
    return {"p50": figures["median"], "p95": figures["p95"], "n": figures["n"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--rare-every",
        type=int,
        default=5_000,
        help=f"plant the rare word {RARE!r} in one document out of this many",
    )
    parser.add_argument(
        "--prepare-only", action="store_true", help="load the corpus, time nothing"
    )
    args = parser.parse_args()

    url = bench_database("search")
    django_setup(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from corpus.models import Document
    from projects.models import Project
    from projects.services import project_create

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-search-owner")
    project = Project.objects.filter(slug="bench-search").first()
    if project is None:
        project = project_create(
            name="Benchmark search", slug="bench-search", created_by=owner
        )
    documents = Document.objects.filter(project=project)
    with connection.cursor() as cursor:
        cursor.execute(
            COUNT_MATCHES,
            [project.pk, RARE],
        )
        planted = cursor.fetchone()[0]
    expected = len(range(args.rare_every // 2, args.documents, args.rare_every))
    if documents.count() != args.documents or planted != expected:
        documents.delete()
        t0 = time.perf_counter()
        generate(project.pk, args.documents, args.words, args.rare_every)
        print(
            f"generated {args.documents} documents in {time.perf_counter() - t0:.0f}s"
        )
    else:
        print(f"reusing {args.documents} documents in {url.rsplit('/', 1)[-1]}")
    # A second, small project of the same user: the lists over all of the
    # user's projects then merge one index walk per project.
    second = Project.objects.filter(slug="bench-search-second").first()
    if second is None:
        second = project_create(
            name="Benchmark search, second case",
            slug="bench-search-second",
            created_by=owner,
        )
    if not Document.objects.filter(project=second).exists():
        generate(second.pk, SECOND_DOCUMENTS, args.words, rare_every=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('corpus_document_search_gin'))"
        )
        print(f"GIN index size: {cursor.fetchone()[0]}")
    if args.prepare_only:
        return

    client = Client()
    client.force_login(owner)

    def get(path: str, params: dict[str, str]) -> Callable[[], Any]:
        full = f"{path}?{urlencode(params)}" if params else path

        def run() -> Any:
            response = client.get(full)
            assert response.status_code == 200, (full, response.status_code)
            return response

        return run

    def bare_search(q: str) -> Callable[[], object]:
        """The ranked match alone: no Django, permissions, rows or headlines."""

        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(RANKED_MATCHES, [project.pk, q, q])
                return cursor.fetchall()[:50]

        return run

    def bare_list() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, title, captured_at FROM corpus_document "
                "WHERE project_id = %s ORDER BY captured_at DESC, id DESC LIMIT 50",
                [project.pk],
            )
            return cursor.fetchall()

    page_path = f"/p/{project.slug}/documents/"
    slug = project.slug
    plans: dict[str, dict[str, Callable[[], object]]] = {
        "page": {k: get(page_path, {"q": q}) for k, q in QUERIES.items()},
        "api_search": {k: get("/api/search/", {"q": q}) for k, q in QUERIES.items()},
        "api_search_project": {
            k: get("/api/search/", {"q": q, "project": slug})
            for k, q in QUERIES.items()
        },
        "api_documents": {
            "two_projects": get("/api/documents/", {}),
            "two_projects_page_3": get("/api/documents/", {"page": "3"}),
            "one_project": get("/api/documents/", {"project": slug}),
            "one_project_page_3": get(
                "/api/documents/", {"project": slug, "page": "3"}
            ),
        },
        "baseline_sql": {
            **{k: bare_search(q) for k, q in QUERIES.items()},
            "list": bare_list,
        },
    }
    with connection.cursor() as cursor:
        for kind, q in QUERIES.items():
            cursor.execute(
                COUNT_MATCHES,
                [project.pk, q],
            )
            print(f"  {kind:<7} {q!r:<18} {cursor.fetchone()[0]} matches")
    search = get("/api/search/", {"q": QUERIES["rare"]})().json()
    assert search["count"] == expected, search["count"]

    # Shared machines skew every figure: the load is part of the result.
    load_before = [round(x, 2) for x in os.getloadavg()]
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for surface, runs in plans.items():
        figures[surface] = {}
        for name, run in runs.items():
            figures[surface][name] = timed(run, args.requests)
            f = figures[surface][name]
            print(
                f"{surface:<19} {name:<19} p50 {f['p50']:>7} ms  p95 {f['p95']:>7} ms"
            )
    measured = [
        f
        for surface, runs in figures.items()
        if surface != "baseline_sql"
        for f in runs.values()
    ]
    worst = max(f["p95"] for f in measured)
    baseline = max(f["p95"] for f in figures["baseline_sql"].values())
    print(
        json.dumps(
            {
                "benchmark": "document_search",
                "documents": args.documents,
                "queries": QUERIES,
                "ms": figures,
                "worst_p95_ms": worst,
                "baseline_p95_ms": baseline,
                "target": {"p95_ms": TARGET_MS},
                "ratio": round(worst / baseline, 2),
                "met": worst < TARGET_MS,
                "load_average": {
                    "before": load_before,
                    "after": [round(x, 2) for x in os.getloadavg()],
                    "cpus": os.cpu_count(),
                },
            }
        )
    )


if __name__ == "__main__":
    main()
