"""Shared set-up for benchmarks: a dedicated PostgreSQL database and Django.

Benchmarks never touch the database in DATABASE_URL itself: they use (and
create if needed) ``<name>_bench_<suffix>`` on the same server, migrate it,
and configure Django for it before ``django.setup()``.
"""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5)) if ordered else 0
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "p95": round(percentile(values, 95), 2),
        "n": len(values),
    }


def bench_database(suffix: str) -> str:
    """Create the benchmark database if needed; return its URL."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL URL; benchmarks need PostgreSQL.")
    prefix, _, name = base.rpartition("/")
    name = name.split("?")[0]
    bench = f"{name}_bench_{suffix}"
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (bench,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{bench}"')
    return f"{prefix}/{bench}"


def django_setup(url: str) -> None:
    """Point Django at the benchmark database, set it up and migrate."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.test_settings")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
