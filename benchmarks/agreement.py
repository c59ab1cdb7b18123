"""Agreement figures for a realistic project compute fast enough for a page.

Builds a throw-away project (bulk inserts): N documents of 30 sentences,
three annotators each tagging about a third of the sentences with one of
the default tags (mostly the same choices, some disagreements). Times
``agreement_compute`` (median of 5 runs). The bare baseline, measured in the
same run, reads the same rows the computation needs (annotations with their
tag keys, the documents' texts) without computing anything. The project is
deleted afterwards.

Usage: DATABASE_URL=postgres://... python benchmarks/agreement.py [N]
Target: median agreement_compute <= 2 s at N=200 documents (600 readings);
``ratio`` is median / baseline median.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotations.models import Annotation, Tag  # noqa: E402
from corpus.models import Document, sha256_hex  # noqa: E402
from projects.models import Project  # noqa: E402
from projects.services import membership_set, project_create  # noqa: E402
from review.selectors import agreement_compute  # noqa: E402

SENTENCES = 30
TARGET_SECONDS = 2.0
RUNS = 5


def build(n_docs: int) -> Project:
    rng = random.Random(7)
    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-agreement-owner")
    project = project_create(
        name="Bench agreement", slug=f"bench-agreement-{os.getpid()}", created_by=owner
    )
    users = []
    for name in ("bench-ann-a", "bench-ann-b", "bench-ann-c"):
        user, _ = User.objects.get_or_create(username=name)
        membership_set(project=project, user=user, role="analyst")
        users.append(user)
    tags = list(Tag.objects.filter(project=project))
    now = timezone.now()
    docs = []
    for i in range(n_docs):
        text = " ".join(
            f"Sentence {j} of report {i} says the patrol boat stopped {j} vessels."
            for j in range(SENTENCES)
        )
        docs.append(
            Document(
                project=project,
                title=f"Bench report {i}",
                text=text,
                text_sha256=sha256_hex(text),
                sha256=sha256_hex(f"bench-{os.getpid()}-{i}"),
                size=len(text),
                captured_at=now,
            )
        )
    docs = Document.objects.bulk_create(docs)
    annotations, tag_for = [], []
    for doc in docs:
        starts = [0]
        for j, ch in enumerate(doc.text):
            if ch == " " and doc.text[j - 1] == ".":
                starts.append(j + 1)
        for start in starts:
            if rng.random() > 0.33:
                continue
            chosen = rng.choice(tags)
            end = start + 20
            for user in users:
                tag = chosen if rng.random() > 0.15 else rng.choice(tags)
                shift = 0 if rng.random() > 0.2 else 2
                annotations.append(
                    Annotation(
                        project=project,
                        document=doc,
                        author=user,
                        start=start + shift,
                        end=end,
                        quote=doc.text[start + shift : end],
                        prefix=doc.text[max(0, start + shift - 32) : start + shift],
                        suffix=doc.text[end : end + 32],
                    )
                )
                tag_for.append(tag)
    created = Annotation.objects.bulk_create(annotations, batch_size=2000)
    Through = Annotation.tags.through
    Through.objects.bulk_create(
        [
            Through(annotation_id=a.pk, tag_id=t.pk)
            for a, t in zip(created, tag_for, strict=True)
        ],
        batch_size=5000,
    )
    return project


def baseline(project: Project) -> None:
    rows = list(
        Annotation.objects.filter(project=project).values_list(
            "document_id", "author_id", "start", "end", "tags__key"
        )
    )
    texts = list(
        Document.objects.filter(project=project).values_list("text", flat=True)
    )
    assert rows and texts


def timed(fn) -> list[float]:
    values = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        values.append(time.perf_counter() - started)
    return values


def main() -> None:
    n_docs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    call_command("migrate", verbosity=0)
    project = build(n_docs)
    try:
        annotations = Annotation.objects.filter(project=project).count()
        report = agreement_compute(project=project)
        print(
            f"{n_docs} documents, {report.sentences} sentences, {annotations} "
            f"annotations, {len(report.used_tags)} tags in use"
        )
        base = timed(lambda: baseline(project))
        full = timed(lambda: agreement_compute(project=project))
        print(f"baseline (read rows) median {statistics.median(base):.3f} s")
        print(f"agreement_compute    median {statistics.median(full):.3f} s")
    finally:
        project.delete()
    median = statistics.median(full)
    print(
        json.dumps(
            {
                "documents": n_docs,
                "sentences": report.sentences,
                "annotations": annotations,
                "agreement_median_s": round(median, 3),
                "baseline_median_s": round(statistics.median(base), 3),
                "target_s": TARGET_SECONDS,
                "meets_target": median <= TARGET_SECONDS,
                "ratio": round(median / statistics.median(base), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
