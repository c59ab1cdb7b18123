# mypy: ignore-errors
# (runs in doccano's venv: its modules are not importable where mypy checks Glossa)
"""Time doccano 1.8.4's REST fetch of one example and its spans, in process
(run in doccano's venv; started by ``benchmarks/api.py``).

    /work/peers/doccano-venv/bin/python doccano_api_harness.py PROJECT EXAMPLE [USER]

Sets Django up as ``doccano webserver`` does (production settings, the
SQLite database of the running doccano in ``$DOCCANO_HOME``), signs USER
(default admin) in with Django's test client, and for every input line
answers one JSON line with the milliseconds of doccano's two requests for
an example with its spans, as its annotation page makes them:
``GET /v1/projects/P/examples/E`` and ``GET /v1/projects/P/examples/E/spans``
(the full middleware and DRF stack, no socket), the same way
``benchmarks/api.py`` times Glossa. Only doccano's installed code runs.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def setup() -> None:
    home = os.path.expanduser(
        os.environ.get("DOCCANO_HOME", "/work/peers/doccano-data")
    )
    os.chdir(home)
    os.environ["STANDALONE"] = "True"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ["DATABASE_URL"] = f"sqlite:///{home}/db.sqlite3"
    os.environ["MEDIA_ROOT"] = os.path.join(home, "media")
    import backend

    here = str(Path(__file__).resolve().parents[2])
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(here)]
    sys.path.insert(0, os.path.dirname(backend.__file__))
    import django

    django.setup()


def main() -> None:
    project, example = int(sys.argv[1]), int(sys.argv[2])
    username = sys.argv[3] if len(sys.argv) > 3 else "admin"
    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    urls = (
        f"/v1/projects/{project}/examples/{example}",
        f"/v1/projects/{project}/examples/{example}/spans",
    )

    def fetch() -> tuple[float, dict, list]:
        started = time.perf_counter()
        responses = [client.get(url, HTTP_ACCEPT="application/json") for url in urls]
        elapsed = (time.perf_counter() - started) * 1000
        for url, response in zip(urls, responses, strict=True):
            assert response.status_code == 200, (url, response.status_code)
        return elapsed, responses[0].json(), responses[1].json()

    _, body, spans = fetch()  # warm up, and show what is fetched
    print(
        json.dumps(
            {"ready": True, "text_length": len(body["text"]), "spans": len(spans)}
        ),
        flush=True,
    )
    for line in sys.stdin:
        if line.strip():
            print(json.dumps({"ms": fetch()[0]}), flush=True)


if __name__ == "__main__":
    main()
