"""Benchmark: the evidence matrix page for 5,000 claims and 200 elements.

Builds (once) a dedicated PostgreSQL database, ``<your db>_bench`` by
default, with one project holding 200 elements, 5,000 claims and about
20,000 assessments, then times ``GET /p/<slug>/matrix/`` with the Django
test client (full stack: middleware, permission check, SQL, template) over
30 requests after warm-up, and a bare baseline page (the project list) in
the same run. Target: p95 < 300 ms. The last line of output is JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa_legal \
        python benchmarks/matrix.py [--claims 5000] [--elements 200] [--fresh]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_database_url(base: str, name: str | None) -> tuple[str, str]:
    parts = urlsplit(base)
    db = name or (parts.path.lstrip("/") + "_bench")
    return urlunsplit(parts._replace(path="/" + db)), db


def ensure_database(base: str, db: str, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (db,)
        ).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{db}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{db}"')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def build(n_claims: int, n_elements: int) -> tuple:
    from django.contrib.auth import get_user_model
    from tqdm import tqdm

    from legal.models import Assessment, Claim, Criterion, Element, Framework
    from projects.models import Project
    from projects.services import project_create

    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench-owner")
    project = Project.objects.filter(slug="bench-matrix").first()
    if project is not None and project.claims.count() == n_claims:
        return project, user
    if project is not None:
        project.delete()
    project = project_create(name="Bench matrix", slug="bench-matrix", created_by=user)
    have = Element.objects.filter(criterion__framework__project=project).count()
    if have < n_elements:
        framework = Framework.objects.create(
            project=project, key="bench-extra", name="Extra benchmark criteria"
        )
        missing = n_elements - have
        per = 5
        for c in range((missing + per - 1) // per):
            criterion = Criterion.objects.create(
                framework=framework, key=f"bench.c{c}", code=f"Z{c}",
                title=f"Benchmark criterion {c}", instrument="Benchmark",
                paraphrase="Generated.", order=c,
            )  # fmt: skip
            Element.objects.bulk_create(
                Element(criterion=criterion, key=f"E{i}", order=i,
                        question=f"Generated question {c}.{i}?")
                for i in range(min(per, missing - c * per))
            )  # fmt: skip
    elements = list(
        Element.objects.filter(criterion__framework__project=project).select_related(
            "criterion"
        )
    )[:n_elements]
    rng = random.Random(7)
    claims = Claim.objects.bulk_create(
        Claim(project=project, proposition=f"Generated claim {i}: {rng.random():.6f}",
              claimant=f"Claimant {i % 40}", created_by=user)
        for i in tqdm(range(n_claims), desc="claims")
    )  # fmt: skip
    findings = ["supports", "undermines", "inconclusive", "not_applicable"]
    batch = []
    # Skewed: a few elements get most assessments, ~15% get none (gaps).
    active = elements[: int(len(elements) * 0.85)]
    for claim in tqdm(claims, desc="assessments"):
        for element in rng.sample(active, 4):
            batch.append(
                Assessment(project=project, claim=claim, element=element,
                           criterion=element.criterion, finding=rng.choice(findings),
                           rationale="Generated rationale.", author=user)
            )  # fmt: skip
    Assessment.objects.bulk_create(batch, batch_size=5000)
    return project, user


def time_get(client, url: str, n: int) -> list[float]:
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--elements", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default=None, help="benchmark database name")
    parser.add_argument("--fresh", action="store_true", help="rebuild the data")
    args = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server (the benchmark makes its own DB)."
        )
    url, db = bench_database_url(base, args.database)
    ensure_database(base, db, args.fresh)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.test_settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    project, user = build(args.claims, args.elements)
    from legal.models import Assessment, Element

    n_elements = Element.objects.filter(criterion__framework__project=project).count()
    n_assess = Assessment.objects.filter(project=project).count()
    client = Client()
    client.force_login(user)

    matrix_url = f"/p/{project.slug}/matrix/"
    baseline = time_get(client, "/", args.requests)
    matrix = time_get(client, matrix_url, args.requests)
    page2 = time_get(client, matrix_url + "?page=40", max(5, args.requests // 3))

    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    client.get(matrix_url)
    queries = len(connection.queries)
    settings.DEBUG = False

    figures = {
        "benchmark": "matrix_page",
        "claims": project.claims.count(),
        "elements": n_elements,
        "assessments": n_assess,
        "requests": args.requests,
        "matrix_median_ms": round(statistics.median(matrix), 1),
        "matrix_p95_ms": round(percentile(matrix, 0.95), 1),
        "matrix_page40_median_ms": round(statistics.median(page2), 1),
        "baseline_median_ms": round(statistics.median(baseline), 1),
        "baseline_p95_ms": round(percentile(baseline, 0.95), 1),
        "queries_per_matrix_page": queries,
        "target_p95_ms": 300,
    }
    figures["ratio"] = round(figures["matrix_p95_ms"] / figures["baseline_p95_ms"], 2)
    figures["meets_target"] = figures["matrix_p95_ms"] < 300
    print(
        f"matrix page: median {figures['matrix_median_ms']} ms, p95 "
        f"{figures['matrix_p95_ms']} ms over {args.requests} requests "
        f"({figures['claims']} claims, {n_elements} elements, {n_assess} "
        f"assessments, {queries} queries); baseline '/' median "
        f"{figures['baseline_median_ms']} ms, p95 {figures['baseline_p95_ms']} ms"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
