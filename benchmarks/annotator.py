#!/usr/bin/env python
"""Annotator benchmark: a 20,000-word document with 2,000 annotations.

Measures, against a dedicated PostgreSQL database (``<DATABASE_URL>_bench_annotator``):
1. server time for the annotator page, median and p95 over 30 requests
   (in-process Django client; baseline: the project list page);
2. time until the page is interactive in headless Debian chromium (the
   annotator sets ``data-ready-ms`` when highlights are rendered and handlers
   bound; baseline: the login page's load event);
3. saving an annotation (PATCH /api/annotations/<id>/) with 16 concurrent
   clients against gunicorn on 127.0.0.1 (baseline: GET /api/ with the same
   clients). Each client works like a (very fast) analyst: it pauses a random
   think time between saves, exponential with mean ``--think-ms`` (500 ms;
   real analysts save every few seconds). With no pause at all ("closed
   loop", also reported) 16 clients queue for the two cores and latency
   measures queueing, not the save: see the saturation figures.
4. triage: a document of 50 paragraphs with 550 pending suggestions (the
   annotator built for it): time until interactive, the time of one ``j``
   (next suggestion: the key handler and the layout it causes, measured in
   the page; baseline: a key no handler acts on, with the same layout), and
   the accept round trip (``Enter`` until the status line says it is saved
   and the list has moved on; baseline: a bare ``fetch`` of ``/api/`` from
   the same page).
Targets: server p95 < 150 ms, interactive < 1.5 s, save p95 < 30 ms; triage
interactive < 1 s, ``j`` < 50 ms, accept round trip p95 < 150 ms.
The last line of output is one JSON object with the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa \
        python benchmarks/annotator.py
Options: --words 20000 --annotations 2000 --requests 30 --clients 16 --saves 25
         --think-ms 500 --triage-only (only part 4)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import ROOT, bench_database, django_setup, summary

SYLLABLE_TEXT = "ka lo mi ra ten vor sa li den mar quo bel ni tas ur fen dal os ri"
SYLLABLES = SYLLABLE_TEXT.split()


def fake_words(rng: random.Random, count: int) -> list[str]:
    words = []
    for i in range(count):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
        if i % 97 == 0:
            word = f"{rng.randint(2, 90)}"
        words.append(word)
    return words


def build_text(rng: random.Random, words: int) -> str:
    tokens = fake_words(rng, words)
    paragraphs, sentence, out = [], [], []
    for i, word in enumerate(tokens):
        sentence.append(word)
        if len(sentence) >= rng.randint(12, 22):
            text = " ".join(sentence)
            out.append(text[0].upper() + text[1:] + ".")
            sentence = []
        if len(out) >= 4:
            paragraphs.append(" ".join(out))
            out = []
        if i == words // 2:
            sentence.append("🚤")  # an astral character mid-document
    if sentence:
        out.append(" ".join(sentence) + ".")
    if out:
        paragraphs.append(" ".join(out))
    return "\n\n".join(paragraphs)


def make_data(words: int, annotations: int):
    import re

    from django.contrib.auth import get_user_model

    from annotations.models import Annotation, Suggestion, Tag
    from corpus.services import document_create
    from projects.models import Project, Role
    from projects.services import membership_set, project_create

    rng = random.Random(7)
    Project.objects.filter(slug="bench-annotator").delete()
    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    owner.set_password("bench password 2025")
    owner.save()
    project = project_create(
        name="Benchmark annotator", slug="bench-annotator", created_by=owner
    )
    text = build_text(rng, words)
    document = document_create(
        project=project,
        original=text.encode() + str(time.time()).encode(),
        text=text,
        title="Generated 20,000-word report",
        captured_by=owner,
        kind="report",
    )
    spans = [m.span() for m in re.finditer(r"\w+", document.text)]
    tags = list(Tag.objects.filter(project=project))
    rows = []
    for _ in range(annotations):
        i = rng.randrange(len(spans) - 10)
        start, end = spans[i][0], spans[i + rng.randint(0, 6)][1]
        a = Annotation(
            document=document,
            project=project,
            author=owner,
            start=start,
            end=end,
            note="generated" if rng.random() < 0.2 else "",
        )
        a.quote, a.prefix, a.suffix = a.context_for(document.text, start, end)
        rows.append(a)
    created = Annotation.objects.bulk_create(rows, batch_size=500)
    through = Annotation.tags.through
    through.objects.bulk_create(
        [through(annotation_id=a.pk, tag_id=rng.choice(tags).pk) for a in created],
        batch_size=1000,
    )
    suggestions = []
    seen = set()
    for _ in range(100):
        i = rng.randrange(len(spans) - 3)
        tag = rng.choice(tags)
        key = (tag.pk, spans[i][0])
        if key in seen:
            continue
        seen.add(key)
        s = Suggestion(
            document=document,
            project=project,
            tag=tag,
            start=spans[i][0],
            end=spans[i + 2][1],
            rule="bench",
        )
        s.quote, s.prefix, s.suffix = s.context_for(document.text, s.start, s.end)
        suggestions.append(s)
    Suggestion.objects.bulk_create(suggestions)
    clients = []
    for n in range(16):
        user, _ = User.objects.get_or_create(username=f"bench-analyst-{n}")
        membership_set(project=project, user=user, role=Role.ANALYST)
        clients.append(user)
    return project, document, owner, clients, created


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def time_server(project, document, owner, requests: int):
    from django.test import Client

    client = Client()
    client.force_login(owner)
    url = f"/p/{project.slug}/d/{document.pk}/"

    def run(path):
        for _ in range(3):
            assert client.get(path).status_code == 200
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        return times, len(response.content)

    page, size = run(url)
    base, _ = run("/")
    return summary(page), summary(base), size


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn; on a loaded machine its graceful stop can take a
    while, so it is killed after 60 s rather than failing the run."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_gunicorn(url: str) -> tuple[subprocess.Popen, str, str]:
    static = tempfile.mkdtemp(prefix="glossa-bench-static-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "glossa.test_settings",
        "STATIC_ROOT": static,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [
            gunicorn or "gunicorn",
            "glossa.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--worker-class",
            "gthread",
            "--threads",
            "6",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(200):
        try:
            requests.get(base + "/login/", timeout=10)
            break
        except requests.RequestException:
            time.sleep(0.1)
    else:
        process.terminate()
        raise SystemExit("gunicorn did not answer on " + base)
    return process, base, static


def time_interactive(base: str, url: str, session_key: str, loads: int = 5):
    from playwright.sync_api import sync_playwright

    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    ready, baseline = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=args
        )
        for _ in range(loads + 1):
            context = browser.new_context(viewport={"width": 1360, "height": 900})
            context.add_cookies(
                [{"name": "sessionid", "value": session_key, "url": base}]
            )
            page = context.new_page()
            page.goto(base + url)
            page.wait_for_selector("#annotator[data-ready=true]", state="attached")
            ready_ms = page.locator("#annotator").get_attribute("data-ready-ms")
            assert ready_ms is not None
            ready.append(float(ready_ms))
            page.goto(base + "/login/", wait_until="load")
            baseline.append(
                page.evaluate(
                    "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
                )
            )
            context.close()
        browser.close()
    return summary(ready[1:]), summary(baseline[1:])


def time_saves(base: str, sessions, annotation_ids, saves: int, think_ms: float = 0):
    """Save latencies (ms) of concurrent clients, and of GET /api/ alike.

    Between requests each client pauses an exponential think time with mean
    ``think_ms`` (none when 0: a closed loop that saturates the server).
    """
    import requests

    rng = random.Random(7)

    def think() -> None:
        if think_ms > 0:
            time.sleep(rng.expovariate(1.0 / think_ms) / 1000)

    latencies: list[float] = []
    baseline: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def client(session_key, annotation_id):
        http = requests.Session()
        http.cookies.set("sessionid", session_key)
        http.cookies.set("csrftoken", "b" * 32)
        headers = {"X-CSRFToken": "b" * 32, "Referer": base + "/"}
        version = http.get(
            f"{base}/api/annotations/{annotation_id}/", headers=headers
        ).json()["version"]
        mine, bare = [], []
        barrier.wait()
        for i in range(saves + 3):
            t0 = time.perf_counter()
            r = http.patch(
                f"{base}/api/annotations/{annotation_id}/",
                json={"version": version, "note": f"save {i}"},
                headers=headers,
            )
            elapsed = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                errors.append(f"{r.status_code} {r.text[:200]}")
                return
            version = r.json()["version"]
            if i >= 3:
                mine.append(elapsed)
            think()
        barrier.wait()
        for i in range(saves + 3):
            t0 = time.perf_counter()
            r = http.get(f"{base}/api/", headers=headers)
            elapsed = (time.perf_counter() - t0) * 1000
            if i >= 3:
                bare.append(elapsed)
            think()
        with lock:
            latencies.extend(mine)
            baseline.extend(bare)

    threads = [
        threading.Thread(target=client, args=(s, a))
        for s, a in zip(sessions, annotation_ids, strict=True)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"save errors: {errors[:3]}")
    return summary(latencies), summary(baseline), len(latencies) / wall


def make_triage_data(owner, paragraphs: int = 50, pending: int = 550):
    """A document of ``paragraphs`` paragraphs with ``pending`` pending
    suggestions, each on two words and keeping its sentence as context."""
    import re

    from annotations.models import Suggestion, Tag
    from corpus.services import document_create
    from projects.models import Project
    from projects.services import project_create

    rng = random.Random(11)
    Project.objects.filter(slug="bench-triage").delete()
    project = project_create(
        name="Benchmark triage", slug="bench-triage", created_by=owner
    )
    paras = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(6):
            words = fake_words(rng, rng.randint(14, 20))
            text = " ".join(words)
            sentences.append(text[0].upper() + text[1:] + ".")
        paras.append(" ".join(sentences))
    text = "\n\n".join(paras)
    document = document_create(
        project=project,
        original=text.encode() + str(time.time()).encode(),
        text=text,
        title="Generated 50-paragraph report",
        captured_by=owner,
        kind="report",
    )
    bounds = [m.span() for m in re.finditer(r"[^.\n]+\.", document.text)]
    tags = list(Tag.objects.filter(project=project))
    rows: list[Suggestion] = []
    seen: set[tuple[int, int, int]] = set()
    while len(rows) < pending:
        lo, hi = rng.choice(bounds)
        spans = [m.span() for m in re.finditer(r"\w+", document.text[lo:hi])]
        i = rng.randrange(len(spans) - 1)
        start, end = lo + spans[i][0], lo + spans[i + 1][1]
        tag = rng.choice(tags)
        if (tag.pk, start, end) in seen:
            continue
        seen.add((tag.pk, start, end))
        row = Suggestion(
            document=document,
            project=project,
            tag=tag,
            start=start,
            end=end,
            context_start=lo,
            context_end=hi,
            rule="bench.triage",
            confidence=round(rng.random(), 2),
        )
        row.quote, row.prefix, row.suffix = row.context_for(document.text, start, end)
        rows.append(row)
    Suggestion.objects.bulk_create(rows)
    return project, document


# One ``j`` (or a key nobody acts on: the baseline), timed in the page from
# the key event to the end of the layout it causes.
KEY_TIMES_JS = """async ([key, n]) => {
  const times = [];
  for (let i = 0; i < n; i++) {
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    const t0 = performance.now();
    document.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    document.body.getBoundingClientRect();
    void document.body.offsetHeight;
    times.push(performance.now() - t0);
  }
  return times;
}"""

# The accept round trip: Enter until the status line says saved and the list
# has one suggestion fewer; the baseline is a bare fetch of /api/.
ACCEPT_TIMES_JS = """async (n) => {
  const state = document.querySelector("#save-state");
  const count = document.querySelector("#suggestion-count");
  const accepts = [], bare = [];
  for (let i = 0; i < n; i++) {
    const before = Number(count.textContent);
    const saved = new Promise((done) => {
      const observer = new MutationObserver(() => {
        const moved = Number(count.textContent) === before - 1;
        if (state.dataset.state === "saved" && moved) {
          observer.disconnect();
          done();
        }
      });
      observer.observe(document.querySelector(".side-column"),
        { attributes: true, childList: true, characterData: true, subtree: true });
    });
    const t0 = performance.now();
    const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true });
    document.dispatchEvent(enter);
    await saved;
    accepts.push(performance.now() - t0);
    const t1 = performance.now();
    await (await fetch("/api/", { credentials: "same-origin" })).text();
    bare.push(performance.now() - t1);
  }
  return [accepts, bare];
}"""


def time_triage(base: str, url: str, session_key: str, loads: int = 5):
    """Interactive, ``j`` and accept round trip on the triage document."""
    from playwright.sync_api import sync_playwright

    ready, j_times, idle, accepts, bare = [], [], [], [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        context = browser.new_context(viewport={"width": 1360, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": session_key, "url": base}])
        page = context.new_page()
        for _ in range(loads + 1):
            page.goto(base + url)
            page.wait_for_selector("#annotator[data-ready=true]", state="attached")
            ready.append(
                float(page.locator("#annotator").get_attribute("data-ready-ms") or 0)
            )
        count = int(page.locator("#suggestion-count").inner_text())
        assert count >= 500, f"only {count} pending suggestions on the page"
        page.evaluate(KEY_TIMES_JS, ["j", 5])  # warm up
        j_times = page.evaluate(KEY_TIMES_JS, ["j", 100])
        idle = page.evaluate(KEY_TIMES_JS, ["F2", 100])
        accepts, bare = page.evaluate(ACCEPT_TIMES_JS, 40)
        assert int(page.locator("#suggestion-count").inner_text()) == count - 40
        context.close()
        browser.close()
    return (
        summary(ready[1:]),
        summary(j_times),
        summary(idle),
        summary(accepts[5:]),
        summary(bare[5:]),
    )


def run_triage(base: str, project, document, session_key: str) -> dict:
    ready, j_key, idle, accept, bare = time_triage(
        base, f"/p/{project.slug}/d/{document.pk}/", session_key
    )
    print(
        f"triage (50 paragraphs, 550 pending): interactive median {ready['median']} "
        f"ms, p95 {ready['p95']} ms; j median {j_key['median']} ms, p95 "
        f"{j_key['p95']} ms (baseline unhandled key: median {idle['median']} ms); "
        f"accept round trip median {accept['median']} ms, p95 {accept['p95']} ms "
        f"(baseline fetch /api/: median {bare['median']} ms, p95 {bare['p95']} ms)"
    )
    return {
        "interactive_ms": ready,
        "j_ms": j_key,
        "j_baseline_ms": idle,
        "accept_ms": accept,
        "accept_baseline_ms": bare,
        "target": {"interactive_ms": 1000, "j_ms": 50, "accept_p95_ms": 150},
        "met": {
            "interactive": ready["p95"] < 1000,
            "j": j_key["p95"] < 50,
            "accept": accept["p95"] < 150,
        },
    }


def triage_only() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connections

    url = bench_database("annotator")
    django_setup(url)
    owner, _ = get_user_model().objects.get_or_create(username="bench-owner")
    project, document = make_triage_data(owner)
    session = session_for(owner)
    connections.close_all()
    process, base, static = start_gunicorn(url)
    try:
        result = run_triage(base, project, document, session)
    finally:
        stop(process)
        shutil.rmtree(static, ignore_errors=True)
    print(json.dumps({"benchmark": "annotator-triage", **result}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--annotations", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--saves", type=int, default=25)
    parser.add_argument("--think-ms", type=float, default=500.0)
    parser.add_argument("--triage-only", action="store_true")
    args = parser.parse_args()
    if args.triage_only:
        triage_only()
        return

    url = bench_database("annotator")
    django_setup(url)
    print(f"database: {url.rsplit('/', 1)[-1]}")
    t0 = time.perf_counter()
    project, document, owner, analysts, created = make_data(
        args.words, args.annotations
    )
    print(
        f"generated: {len(document.text.split())} words, {len(created)} annotations "
        f"in {time.perf_counter() - t0:.1f}s"
    )

    page, home, size = time_server(project, document, owner, args.requests)
    print(
        f"server, annotator page ({size / 1024:.0f} KiB): median {page['median']} ms, "
        f"p95 {page['p95']} ms (baseline project list: median {home['median']} ms, "
        f"p95 {home['p95']} ms)"
    )

    from annotations.services.annotations import annotation_create

    words = [
        (m.start(), m.end()) for m in __import__("re").finditer(r"\w+", document.text)
    ]
    own = []
    for i, user in enumerate(analysts[: args.clients]):
        start, end = words[i * 3]
        own.append(
            annotation_create(
                document=document,
                author=user,
                start=start,
                end=end,
                tag_keys=["official_claim"],
            ).pk
        )
    sessions = [session_for(u) for u in analysts[: args.clients]]
    owner_session = session_for(owner)
    triage_project, triage_document = make_triage_data(owner)
    from django.db import connections

    connections.close_all()

    process, base, static = start_gunicorn(url)
    try:
        for _ in range(3):  # warm every worker
            __import__("requests").get(base + "/login/", timeout=10)
        ready, login_load = time_interactive(
            base, f"/p/{project.slug}/d/{document.pk}/", owner_session
        )
        print(
            f"chromium, until interactive: median {ready['median']} ms, p95 "
            f"{ready['p95']} ms (baseline login page load: median "
            f"{login_load['median']} ms)"
        )
        single, _, _ = time_saves(base, sessions[:1], own[:1], args.saves)
        print(
            f"save (PATCH) with 1 client: median {single['median']} ms, "
            f"p95 {single['p95']} ms"
        )
        saves, bare, rate = time_saves(
            base, sessions, own, args.saves, think_ms=args.think_ms
        )
        print(
            f"save (PATCH) with {args.clients} concurrent clients, mean think "
            f"{args.think_ms:.0f} ms: median {saves['median']} ms, p95 "
            f"{saves['p95']} ms, {rate:.0f} saves/s (baseline GET /api/: median "
            f"{bare['median']} ms, p95 {bare['p95']} ms)"
        )
        sat, sat_bare, sat_rate = time_saves(base, sessions, own, args.saves)
        triage = run_triage(base, triage_project, triage_document, owner_session)
        print(
            f"saturation, {args.clients} clients with no think time: save median "
            f"{sat['median']} ms, p95 {sat['p95']} ms, {sat_rate:.0f} saves/s "
            f"(baseline GET /api/: median {sat_bare['median']} ms, p95 "
            f"{sat_bare['p95']} ms)"
        )
    finally:
        stop(process)
        shutil.rmtree(static, ignore_errors=True)

    result = {
        "benchmark": "annotator",
        "words": args.words,
        "annotations": args.annotations,
        "server_ms": page,
        "server_baseline_ms": home,
        "interactive_ms": ready,
        "interactive_baseline_ms": login_load,
        "save_ms": saves,
        "save_single_client_ms": single,
        "save_baseline_ms": bare,
        "saves_per_second": round(rate, 1),
        "clients": args.clients,
        "think_ms": args.think_ms,
        "saturation_save_ms": sat,
        "saturation_baseline_ms": sat_bare,
        "saturation_saves_per_second": round(sat_rate, 1),
        "triage": triage,
        "target": {"server_p95_ms": 150, "interactive_ms": 1500, "save_p95_ms": 30},
        "ratio": {
            "server_p95_vs_baseline": round(page["p95"] / home["p95"], 2),
            "interactive_vs_baseline": round(ready["median"] / login_load["median"], 2),
            "save_p95_vs_baseline": round(saves["p95"] / bare["p95"], 2),
        },
        "met": {
            "server": page["p95"] < 150,
            "interactive": ready["p95"] < 1500,
            "save": saves["p95"] < 30,
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
