"""Benchmark: storing an X archive of N posts, without analysis.

    python benchmarks/social.py [N] [--reps 3]

Generates a fictional X archive zip (``data/account.js`` and
``data/tweets.js`` of N posts, one in five a reply continuing a thread, one
in fifty with a photo in ``data/tweets_media/``) and times Glossa's
``ingest_file`` on it (detection, one document per post with its record as
original, the export kept once, media by hash, duplicates and
near-duplicates, ``SocialPost`` rows, thread linking) with ``analyse=False``.
The bare baseline, interleaved in the same run on an archive of the same
shape: unzip, strip the ``window.YTD`` wrapper, ``json.loads``, and
``bulk_create`` the same ``Document`` and ``SocialPost`` rows per 1,000,
nothing else. Target: N = 10,000 stored in under 60 s. ``ratio`` = baseline
median / Glossa median. Peak resident memory is read from the kernel after
a first run of each side at N/10 and after the runs at N, to show how it
grows with N (``rss_growth_kb_per_post``: Glossa's next to the baseline's,
whose growth is the export and its parsed JSON).

The last line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VOCABULARY = (
    "the navy said its patrol intercepted a vessel near the strait at dawn "
    "three people were killed and two survivors were rescued officials said "
    "the ministry described the crew as members of a designated organisation "
    "coast guard harbour fishermen relatives statement minister spokesperson "
    "operation maritime waters boat crew cargo smugglers evidence details "
    "briefing morning evening north south east west island bay port channel "
    "aircraft helicopter drone radar sighting convoy escort inspection search "
    "rescue medical clinic hospital bodies families names released confirmed "
    "denied rejected reports allegations unlawful legal forces units command "
    "weather storm night fog visibility distance miles kilometres position"
)
WORDS = VOCABULARY.split()


def _offset(side: str) -> int:
    """Numeric post ids (as X's) distinct per side and repetition."""
    kind = {"S": 1, "B": 2, "G": 3}[side[0]]
    return kind * 10**12 + int(side[1:] or 0) * 10**8


def make_archive(n: int, side: str) -> bytes:
    """A fictional X archive of ``n`` posts (``side`` keeps texts apart)."""
    rng = random.Random(f"{side}-{n}")
    records = []
    media: dict[str, bytes] = {}
    for i in range(n):
        post_id = str(_offset(side) + i)
        words = " ".join(rng.choice(WORDS) for _ in range(24))
        tweet: dict = {
            "id_str": post_id,
            "id": post_id,
            "created_at": f"Tue Sep 02 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:"
            f"{i % 60:02d} +0000 2025",
            "full_text": f"Update {side}-{i}: {words}.",
            "lang": "en",
            "entities": {"hashtags": [], "urls": [], "user_mentions": []},
            "favorite_count": "0",
            "retweet_count": "0",
        }
        if i % 5:
            tweet["in_reply_to_status_id_str"] = str(_offset(side) + i - 1)
        if i % 50 == 0:
            name = f"Media{side}{i}.jpg"
            tweet["extended_entities"] = {
                "media": [{"media_url_https": f"https://pbs.example/media/{name}"}]
            }
            media[f"data/tweets_media/{post_id}-{name}"] = (
                f"fake image {side} {i}".encode()
            )
        records.append({"tweet": tweet})
    account = [
        {
            "account": {
                "username": "BenchMinistry",
                "accountDisplayName": "Benchmark Ministry",
                "accountId": "1",
            }
        }
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data/account.js", "window.YTD.account.part0 = " + json.dumps(account)
        )
        archive.writestr(
            "data/tweets.js", "window.YTD.tweets.part0 = " + json.dumps(records)
        )
        for path, data in media.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def baseline_store(project, data: bytes) -> int:
    """Bare: unzip, parse, ``bulk_create`` Document and SocialPost rows."""
    import hashlib
    from datetime import datetime

    from django.db import transaction
    from django.utils import timezone

    from corpus.models import Document, SocialPost

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("data/tweets.js").decode()
    records = json.loads(text.split("=", 1)[1])
    now = timezone.now()
    stored = 0
    with transaction.atomic():
        for start in range(0, len(records), 1000):
            documents, posts = [], []
            for record in records[start : start + 1000]:
                tweet = record["tweet"]
                raw = json.dumps(record).encode()
                body = tweet["full_text"]
                posted = datetime.strptime(
                    tweet["created_at"], "%a %b %d %H:%M:%S %z %Y"
                )
                document = Document(
                    project=project,
                    kind="social",
                    text=body,
                    text_sha256=hashlib.sha256(body.encode()).hexdigest(),
                    sha256=hashlib.sha256(raw).hexdigest(),
                    size=len(raw),
                    published_at=posted,
                    captured_at=now,
                )
                documents.append(document)
                posts.append((document, tweet, posted))
            Document.objects.bulk_create(documents)
            SocialPost.objects.bulk_create(
                [
                    SocialPost(
                        document=d,
                        project=project,
                        platform="x",
                        post_id=t["id_str"],
                        handle="BenchMinistry",
                        posted_at=p,
                        reply_to_ref=t.get("in_reply_to_status_id_str", ""),
                    )
                    for d, t, p in posts
                ]
            )
            stored += len(documents)
    return stored


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def setup(media: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["MEDIA_ROOT"] = media
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.GLOSSA_MAX_UPLOAD_BYTES = max(
        settings.GLOSSA_MAX_UPLOAD_BYTES, 200 * 1024 * 1024
    )


def child(side: str, n: int, tag: str, project_id: int) -> None:
    """One timed run in a fresh process, so its peak memory is its own."""
    from django.contrib.auth import get_user_model

    from corpus.ingest import ingest_file
    from projects.models import Project

    project = Project.objects.get(pk=project_id)
    user = get_user_model().objects.get(username="benchmark-social")
    data = make_archive(n, tag)
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    if side == "baseline":
        stored = baseline_store(project, data)
    else:
        result = ingest_file(
            project=project, name=f"x-{tag}.zip", data=data, user=user, analyse=False
        )
        stored = len(result.documents)
        if result.errors:
            raise SystemExit(f"errors: {result.errors[:3]}")
    seconds = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "stored": stored,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak_rss_mb(),
                "archive_bytes": len(data),
            }
        )
    )


def run_child(side: str, n: int, tag: str, project_id: int, media: str) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            str(n),
            "--child",
            side,
            "--tag",
            tag,
            "--project",
            str(project_id),
            "--media",
            media,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["stored"] != n:
        raise SystemExit(f"{side} stored {result['stored']} of {n}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--child", choices=["baseline", "glossa"])
    parser.add_argument("--tag", default="")
    parser.add_argument("--project", type=int, default=0)
    parser.add_argument("--media", default="")
    args = parser.parse_args()
    if args.child:
        setup(args.media)
        child(args.child, args.n, args.tag, args.project)
        return
    media = tempfile.mkdtemp(prefix="glossa-bench-social-")
    setup(media)
    try:
        result = run(args, media)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(json.dumps(result))


def run(args, media: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from projects.services import project_create

    user, _ = get_user_model().objects.get_or_create(username="benchmark-social")
    slug = f"bench-social-{int(time.time())}"
    project = project_create(name=slug, slug=slug, created_by=user)
    print(f"database: {connection.vendor}; posts: {args.n}; reps: {args.reps}")
    small_n = max(args.n // 10, 1)
    small = run_child("glossa", small_n, "S0", project.pk, media)
    small_base = run_child("baseline", small_n, "S1", project.pk, media)
    print(
        f"{small_n} posts: Glossa {small['seconds']} s, peak RSS "
        f"{small['peak_rss_mb']} MB; baseline peak RSS {small_base['peak_rss_mb']} MB"
    )
    runs: dict[str, list[dict]] = {"baseline": [], "glossa": []}
    for rep in range(args.reps):
        for side, letter in (("baseline", "B"), ("glossa", "G")):
            runs[side].append(
                run_child(side, args.n, f"{letter}{rep}", project.pk, media)
            )
        print(
            f"rep {rep + 1}: baseline {runs['baseline'][-1]['seconds']} s "
            f"(peak {runs['baseline'][-1]['peak_rss_mb']} MB), Glossa "
            f"{runs['glossa'][-1]['seconds']} s "
            f"(peak {runs['glossa'][-1]['peak_rss_mb']} MB)"
        )
    median = {
        side: round(statistics.median(r["seconds"] for r in items), 3)
        for side, items in runs.items()
    }
    peak = {side: max(r["peak_rss_mb"] for r in items) for side, items in runs.items()}
    ratio = round(median["baseline"] / median["glossa"], 3)
    # Memory growth per post between N/10 and N: Glossa's should be close to
    # the baseline's (the export itself and its parsed JSON), not several
    # kilobytes per stored document more.
    growth = {
        side: round(
            (peak[side] - start["peak_rss_mb"]) * 1024 / max(args.n - small_n, 1), 2
        )
        for side, start in (("glossa", small), ("baseline", small_base))
    }
    print(
        f"median of {args.reps}: bare bulk_create {median['baseline']} s, Glossa "
        f"{median['glossa']} s (ratio {ratio}); peak RSS Glossa {small['peak_rss_mb']}"
        f" MB at {small_n} posts, {peak['glossa']} MB at {args.n}; baseline "
        f"{peak['baseline']} MB; growth per post (KB): {growth}"
    )
    return {
        "benchmark": "social-store",
        "n": args.n,
        "reps": args.reps,
        "baseline": "unzip, json.loads, bulk_create Document + SocialPost per 1,000",
        "baseline_seconds": median["baseline"],
        "glossa_seconds": median["glossa"],
        "archive_bytes": runs["glossa"][-1]["archive_bytes"],
        "peak_rss_mb": {
            f"glossa_{small_n}": small["peak_rss_mb"],
            f"glossa_{args.n}": peak["glossa"],
            f"baseline_{small_n}": small_base["peak_rss_mb"],
            f"baseline_{args.n}": peak["baseline"],
        },
        "rss_growth_kb_per_post": growth,
        "target": "N=10000 stored in < 60 s without analysis, flat memory",
        "meets_target": median["glossa"] < 60 if args.n >= 10_000 else None,
        "ratio": ratio,
    }


if __name__ == "__main__":
    main()
