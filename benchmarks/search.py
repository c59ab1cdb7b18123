#!/usr/bin/env python
"""Document-list search over 100,000 documents on PostgreSQL.

Rows are generated directly with COPY into a dedicated benchmark database
(``<DATABASE_URL>_bench_search``; reused on later runs if the row count
matches). Each timed request is the whole document-list page
(``/p/<slug>/documents/?q=...``: full-text match on the GIN index, ranking of
at most 1,000 candidates, count, one page of 50 rows and their counts), in
process with the Django test client. Baseline: the same page without a query.
Target: p95 < 100 ms. The last line of output is one JSON object.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa \\
        python benchmarks/search.py [--documents 100000] [--requests 30]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
QUERIES = [
    "vessel",  # very common: ranking bounded at the candidate limit
    "survivors rescue",
    '"coast guard"',
    "unlawful execution",
    "tribunal -navy",
    "fishermen families evidence",
    "cartel",
    "kalomir",  # rare invented word
]


def word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(COMMON)
    if roll < 0.7:
        return DOMAIN[min(int(rng.paretovariate(1.2)) - 1, len(DOMAIN) - 1)]
    return "".join(rng.choice("kalomirtesvund") for _ in range(rng.randint(4, 9)))


def generate(project_id: int, count: int, words: int) -> None:
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
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY corpus_document ({columns}) FROM STDIN") as copy:
            for i in range(count):
                body = " ".join(word(rng) for _ in range(words)).capitalize() + "."
                title = " ".join(word(rng) for _ in range(6)).capitalize()
                digest = hashlib.sha256(body.encode()).hexdigest()
                when = start + timedelta(minutes=7 * i)
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
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: statistics and the
        # visibility map (index-only scans for counts).
        cursor.execute("VACUUM ANALYZE corpus_document")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    url = bench_database("search")
    django_setup(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client

    from annotations.selectors import documents_filtered
    from annotations.views import DocumentFilterForm
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
    have = Document.objects.filter(project=project).count()
    if have != args.documents:
        Document.objects.filter(project=project).delete()
        t0 = time.perf_counter()
        generate(project.pk, args.documents, args.words)
        print(
            f"generated {args.documents} documents in {time.perf_counter() - t0:.0f}s"
        )
    else:
        print(f"reusing {have} documents in {url.rsplit('/', 1)[-1]}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_relation_size('corpus_document_search_gin'))"
        )
        print(f"GIN index size: {cursor.fetchone()[0]}")

    client = Client()
    client.force_login(owner)
    base = f"/p/{project.slug}/documents/"

    def timed(paths: list[str]) -> tuple[list[float], dict[str, int]]:
        for path in paths[:3]:
            client.get(path)
        times, counts = [], {}
        for i in range(args.requests):
            path = paths[i % len(paths)]
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        for path in paths:
            filters = DocumentFilterForm(
                QueryDict(path.partition("?")[2]), project=project
            ).filters()
            queryset, _ = documents_filtered(project=project, filters=filters)
            counts[path] = queryset.count()
        return times, counts

    from urllib.parse import quote_plus

    search_paths = [f"{base}?q={quote_plus(q)}" for q in QUERIES]
    search_paths.append(f"{base}?q=survivors&kind=statement")
    search, counts = timed(search_paths)
    plain, _ = timed([base, f"{base}?page=3", f"{base}?kind=report"])
    s, p = summary(search), summary(plain)
    for path, n in counts.items():
        print(f"  {path.split('?', 1)[1]:<40} {n} matches")
    print(
        f"search page: median {s['median']} ms, p95 {s['p95']} ms "
        f"(baseline list without search: median {p['median']} ms, p95 {p['p95']} ms)"
    )
    print(
        json.dumps(
            {
                "benchmark": "document_search",
                "documents": args.documents,
                "search_ms": s,
                "baseline_ms": p,
                "target": {"p95_ms": 100},
                "ratio": round(s["p95"] / p["p95"], 2),
                "met": s["p95"] < 100,
            }
        )
    )


if __name__ == "__main__":
    main()
