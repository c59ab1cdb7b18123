"""Benchmark: the incident register, an incident page and the campaign page
with 1,000 incidents and 20,000 figures.

Builds (once) a dedicated PostgreSQL database, ``<your db>_bench`` by
default, with one project holding 200 documents from 40 graded sources,
20,000 claims (each stated by an annotation, with one figure) linked to
1,000 incidents, and 30 campaign tallies; then times with the Django test
client (full stack) the register, one incident page and the campaign page
(chart and tallies), and a bare page (the project list) in the same run.
The pages that keep per-project results until the project's history moves
(the register sorted by an aggregate, the campaign) are also timed "after a
change": each request follows a recorded grade change (untimed), so nothing
kept helps. Target: p95 < 150 ms. The last line of output is JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa_incidents \
        python benchmarks/incidents.py [--incidents 1000] [--figures 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matrix import (  # noqa: E402  (the script's directory is on sys.path)
    bench_database_url,
    ensure_database,
    percentile,
    time_get,
)

SLUG = "bench-incidents"
CATEGORIES = ["killed"] * 5 + ["injured", "survivors", "missing", "aboard"]
BOUNDS = ["exact"] * 6 + ["at_least", "about", "up_to", "more_than"]


def build(n_incidents: int, n_figures: int):
    from django.contrib.auth import get_user_model
    from tqdm import tqdm

    from annotations.models import Annotation
    from corpus.models import Source
    from corpus.services import document_create
    from legal.models import Claim, ClaimQuantity, Incident, SourceGrade
    from projects.models import Project
    from projects.services import project_create

    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench-owner")
    project = Project.objects.filter(slug=SLUG).first()
    if (
        project is not None
        and Incident.objects.filter(project=project).count() == n_incidents
        and ClaimQuantity.objects.filter(claim__project=project).count() >= n_figures
    ):
        return project, user
    if project is not None:
        project.delete()
    project = project_create(name="Bench incidents", slug=SLUG, created_by=user)
    rng = random.Random(11)
    sources = [
        Source.objects.create(project=project, name=f"Outlet {i}") for i in range(40)
    ]
    SourceGrade.objects.bulk_create(
        SourceGrade(
            source=s,
            project=project,
            reliability="ABCDEF"[i % 6],
            rationale="Generated.",
            graded_by=user,
        )
        for i, s in enumerate(sources)
        if i % 4
    )
    sentence = "Officials said {n} people were killed when the boat was struck. "
    documents = []
    for d in tqdm(range(200), desc="documents"):
        text = "".join(sentence.format(n=rng.randint(1, 30)) for _ in range(100))
        documents.append(
            document_create(
                project=project,
                original=f"{d}-{time.time()}-{text}".encode(),
                text=text,
                title=f"Generated report {d}",
                captured_by=user,
                kind="report",
            )
        )
    for document in documents:
        document.source = rng.choice(sources)
        document.save(update_fields=["source"])
    start = date(2025, 9, 1)
    Incident.objects.bulk_create(
        Incident(
            project=project,
            number=i + 1,
            date=start + timedelta(days=i // 4),
            place=f"Sea point {i}",
            description=f"Generated strike {i}.",
            latitude=10 + rng.random() * 5,
            longitude=-75 + rng.random() * 10,
            created_by=user,
        )
        for i in range(n_incidents)
    )
    incidents = list(Incident.objects.filter(project=project).order_by("number"))
    import re

    spots = {
        d.pk: [m.start() for m in re.finditer("people", d.text)] for d in documents
    }
    annotations = []
    for i in range(n_figures):
        document = documents[i % len(documents)]
        at = spots[document.pk][(i // len(documents)) % 100]
        annotations.append(
            Annotation(
                document=document,
                project=project,
                author=user,
                start=at,
                end=at + 6,
                quote="people",
            )
        )
    annotations = Annotation.objects.bulk_create(annotations, batch_size=2000)
    claims = Claim.objects.bulk_create(
        (
            Claim(
                project=project,
                proposition=f"Generated claim {i}",
                claimant=f"Claimant {i % 30}",
                incident=incidents[i % n_incidents],
                credibility=rng.choice(["", "1", "2", "3", "4", "6"]),
                created_by=user,
            )
            for i in range(n_figures)
        ),
        batch_size=2000,
    )
    ClaimQuantity.objects.bulk_create(
        (
            ClaimQuantity(
                claim=claim,
                value=rng.randint(0, 20),
                counts=rng.choice(CATEGORIES),
                bound=rng.choice(BOUNDS),
                annotation=annotation,
            )
            for claim, annotation in zip(claims, annotations, strict=True)
        ),
        batch_size=2000,
    )
    from legal.models import ClaimMention

    ClaimMention.objects.bulk_create(
        (
            ClaimMention(claim=claim, annotation=annotation)
            for claim, annotation in zip(claims, annotations, strict=True)
        ),
        batch_size=2000,
    )
    for t in range(30):
        claim = Claim.objects.create(
            project=project, proposition=f"Tally {t}", created_by=user
        )
        ClaimQuantity.objects.create(
            claim=claim,
            value=rng.randint(100, 20000),
            counts="killed",
            bound="at_least",
            cumulative=True,
            as_of=start + timedelta(days=8 * t + 5),
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return project, user


def time_after_change(client, url: str, n: int, project, user) -> list[float]:
    """Time ``url`` right after a recorded change (a figure's grade set
    through its service, untimed), so no kept aggregate can be reused."""
    from legal.models import ClaimQuantity
    from legal.services.grades import quantity_grade_set

    quantity = ClaimQuantity.objects.filter(
        claim__project=project, cumulative=False
    ).first()
    assert quantity is not None
    times = []
    for i in range(n):
        quantity_grade_set(
            quantity=quantity,
            user=user,
            credibility="23"[i % 2],
            rationale="Benchmark change.",
        )
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--figures", type=int, default=20000)
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
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    project, user = build(args.incidents, args.figures)
    from legal.models import ClaimQuantity, Incident

    client = Client()
    client.force_login(user)
    incident = Incident.objects.filter(project=project).order_by("number")[500]
    pages = {
        "register": f"/p/{project.slug}/incidents/",
        "register_sorted_killed": f"/p/{project.slug}/incidents/?sort=-killed",
        "incident": f"/p/{project.slug}/incidents/{incident.pk}/",
        "campaign": f"/p/{project.slug}/incidents/tallies/",
    }
    baseline = time_get(client, "/", args.requests)
    timings = {
        name: time_get(client, path, args.requests) for name, path in pages.items()
    }
    changing = {
        "register_sorted_killed_after_change": pages["register_sorted_killed"],
        "campaign_after_change": pages["campaign"],
    }
    for name, path in changing.items():
        timings[name] = time_after_change(client, path, args.requests, project, user)
    figures: dict[str, object] = {
        "benchmark": "incident_pages",
        "incidents": Incident.objects.filter(project=project).count(),
        "figures": ClaimQuantity.objects.filter(claim__project=project).count(),
        "requests": args.requests,
        "baseline_median_ms": round(statistics.median(baseline), 1),
        "baseline_p95_ms": round(percentile(baseline, 0.95), 1),
        "target_p95_ms": 150,
    }
    for name, values in timings.items():
        figures[f"{name}_median_ms"] = round(statistics.median(values), 1)
        figures[f"{name}_p95_ms"] = round(percentile(values, 0.95), 1)
        print(
            f"{name}: median {figures[f'{name}_median_ms']} ms, "
            f"p95 {figures[f'{name}_p95_ms']} ms"
        )
    figures["meets_target"] = all(
        percentile(values, 0.95) < 150 for values in timings.values()
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
