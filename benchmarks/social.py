"""Benchmark: storing an X archive of N posts, without analysis: time and memory.

    python benchmarks/social.py [--sizes 1000,10000,50000] [--reps 3]

Generates fictional X archive zips (``data/account.js`` and ``data/tweets.js``
of N posts, one in five a reply continuing a thread, one in fifty with a
photo in ``data/tweets_media/``), written to files before any run, and for
each size runs three sides, interleaved, each in a fresh process that reads
the zip from its file (so a side's peak memory is its own):

- ``glossa``: ``ingest_file`` with ``analyse=False`` (detection, the posts
  file streamed post by post, one document per post whose original is its
  record's byte range in the posts file kept once, the export kept once,
  media by hash, duplicates and near-duplicates, ``SocialPost`` rows,
  replies and threads linked by the database), into a fresh project;
- ``bulk``, the bare baseline for time: unzip, strip the ``window.YTD``
  wrapper, ``json.loads``, ``bulk_create`` the same ``Document`` and
  ``SocialPost`` rows per 1,000, nothing else;
- ``json``, the bare baseline for memory: unzip and ``json.loads`` the
  posts file, nothing else (the least any reader that parses the whole
  export holds).

Peak resident memory (``VmHWM``) is reset once Django is set up, the
language detector loaded and the zip read (``/proc/self/clear_refs``), and
read at the end; the figure is the peak's growth over the memory then. Memory
is flat when that difference does not grow with N: ``rss_growth_kb_per_post``
is its slope from the smallest size to the largest (median peaks), next to
the ``json`` baseline's, and ``..._past_first`` the slope between the two
largest sizes (past the first chunks' fixed cost). Target: N = 10,000
stored in under 60 s, with flat memory. ``ratio`` = bare ``bulk`` median /
Glossa median at 10,000 (or the largest size below). The last line of output
is one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
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
sys.path.insert(0, str(ROOT / "benchmarks"))

from rss import peak_since_reset, reset_peak  # noqa: E402

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
    kind = {"J": 1, "B": 2, "G": 3}[side[0]]
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


def posts_file(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("data/tweets.js")


def json_only(data: bytes) -> int:
    """Bare memory baseline: the posts file parsed whole, nothing stored."""
    text = posts_file(data).decode()
    records = json.loads(text.split("=", 1)[1])
    return len(records)


def baseline_store(project, data: bytes) -> int:
    """Bare time baseline: unzip, parse, ``bulk_create`` Document and
    SocialPost rows."""
    import hashlib
    from datetime import datetime

    from django.db import transaction
    from django.utils import timezone

    from corpus.models import Document, SocialPost

    records = json.loads(posts_file(data).decode().split("=", 1)[1])
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


def setup(media: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40)
    os.environ["MEDIA_ROOT"] = media
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings

    # DEBUG keeps a log of up to 9,000 queries (each batch INSERT's SQL in
    # full), which would be measured as the import's memory: off, as in a
    # deployment, whatever the environment says.
    settings.DEBUG = False
    settings.GLOSSA_MAX_UPLOAD_BYTES = max(
        settings.GLOSSA_MAX_UPLOAD_BYTES, 200 * 1024 * 1024
    )
    settings.GLOSSA_MAX_ARCHIVE_BYTES = max(
        settings.GLOSSA_MAX_ARCHIVE_BYTES, 400 * 1024 * 1024
    )


def child(side: str, path: str, tag: str) -> None:
    """One measured run in a fresh process, so its peak memory is its own."""
    from django.contrib.auth import get_user_model

    from corpus.ingest import ingest_file
    from corpus.language import with_detected_language
    from projects.services import project_create

    user = get_user_model().objects.get(username="benchmark-social")
    slug = f"bench-social-{tag}-{os.getpid()}-{int(time.time())}"
    project = project_create(name=slug, slug=slug, created_by=user)
    with_detected_language({}, "The navy said its patrol intercepted a vessel.")
    data = Path(path).read_bytes()
    gc.collect()
    reset_peak()
    rss_before = round(peak_since_reset(), 1)
    t0 = time.perf_counter()
    if side == "json":
        stored = json_only(data)
    elif side == "bulk":
        stored = baseline_store(project, data)
    else:
        result = ingest_file(
            project=project, name=f"x-{tag}.zip", data=data, user=user, analyse=False
        )
        stored = result.stored
        failed = result.errors
        if failed:
            raise SystemExit(f"errors: {failed[:3]}")
    seconds = time.perf_counter() - t0
    peak = round(peak_since_reset(), 1)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "stored": stored,
                "rss_before_mb": rss_before,
                "peak_rss_mb": peak,
                "growth_mb": round(peak - rss_before, 1),
                "archive_bytes": len(data),
            }
        )
    )


def run_child(side: str, n: int, path: str, tag: str, media: str) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            side,
            "--path",
            path,
            "--tag",
            tag,
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
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--child", choices=["json", "bulk", "glossa"])
    parser.add_argument("--path", default="")
    parser.add_argument("--tag", default="")
    parser.add_argument("--media", default="")
    args = parser.parse_args()
    if args.child:
        setup(args.media)
        child(args.child, args.path, args.tag)
        return
    media = tempfile.mkdtemp(prefix="glossa-bench-social-")
    setup(media)
    try:
        result = run(args, media)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(json.dumps(result))


SIDES = (("json", "J"), ("bulk", "B"), ("glossa", "G"))


def run(args, media: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    get_user_model().objects.get_or_create(username="benchmark-social")
    sizes = sorted(int(n) for n in args.sizes.split(","))
    print(f"database: {connection.vendor}; sizes: {sizes}; reps: {args.reps}")
    stamp = int(time.time()) % 10**6
    runs: dict[int, dict[str, list[dict]]] = {}
    for n in sizes:
        runs[n] = {side: [] for side, _ in SIDES}
        for rep in range(args.reps):
            for side, letter in SIDES:
                # Its own post ids per run (never duplicates of another's).
                tag = f"{letter}{stamp % 1000 + rep * 1000 + sizes.index(n) * 100}"
                path = Path(media) / f"{tag}-{n}.zip"
                path.write_bytes(make_archive(n, tag))
                runs[n][side].append(run_child(side, n, str(path), tag, media))
                path.unlink()
            print(
                f"{n} posts, rep {rep + 1}: "
                + "; ".join(
                    f"{side} {runs[n][side][-1]['seconds']} s, +"
                    f"{runs[n][side][-1]['growth_mb']} MB peak"
                    for side, _ in SIDES
                ),
                flush=True,
            )
    median = {
        n: {
            side: {
                "seconds": round(statistics.median(r["seconds"] for r in items), 3),
                "peak_growth_mb": round(
                    statistics.median(r["growth_mb"] for r in items), 1
                ),
            }
            for side, items in by_side.items()
        }
        for n, by_side in runs.items()
    }
    small, large = sizes[0], sizes[-1]

    def growth(n: int, side: str) -> float:
        return median[n][side]["peak_growth_mb"]

    slope = {
        side: round(
            (growth(large, side) - growth(small, side)) * 1024 / max(large - small, 1),
            3,
        )
        for side, _ in SIDES
    }
    timed = max((n for n in sizes if n <= 10_000), default=small)
    ratio = round(
        median[timed]["bulk"]["seconds"] / median[timed]["glossa"]["seconds"], 3
    )
    for n in sizes:
        print(
            f"median at {n}: Glossa {median[n]['glossa']['seconds']} s (peak "
            f"+{median[n]['glossa']['peak_growth_mb']} MB); bare bulk_create "
            f"{median[n]['bulk']['seconds']} s (+{median[n]['bulk']['peak_growth_mb']}"
            f" MB); json.loads alone +{median[n]['json']['peak_growth_mb']} MB"
        )
    print(f"peak memory growth per post, {small} to {large} posts (KB): {slope}")
    return {
        "benchmark": "social-store",
        "sizes": sizes,
        "reps": args.reps,
        "baselines": {
            "bulk": "unzip, json.loads, bulk_create Document + SocialPost per 1,000",
            "json": "unzip and json.loads the posts file, nothing else",
        },
        "median": {str(n): m for n, m in median.items()},
        "rss_growth_kb_per_post": slope,
        "rss_growth_kb_per_post_past_first": {
            side: round(
                (growth(large, side) - growth(sizes[-2], side))
                * 1024
                / max(large - sizes[-2], 1),
                3,
            )
            for side, _ in SIDES
        }
        if len(sizes) > 2
        else slope,
        "glossa_seconds_10k": median.get(10_000, {}).get("glossa", {}).get("seconds"),
        "target": "N=10000 stored in < 60 s without analysis; peak memory flat in N "
        "(growth per post well under the json.loads baseline's)",
        "meets_target": (
            median[10_000]["glossa"]["seconds"] < 60
            and slope["glossa"] < slope["json"] / 4
            if 10_000 in median
            else None
        ),
        "ratio": ratio,
        "ratio_is": f"bare bulk_create median / Glossa median at {timed} posts",
    }


if __name__ == "__main__":
    main()
