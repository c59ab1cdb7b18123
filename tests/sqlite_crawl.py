"""Crawl the loaded demo as its user; print the pages that fail.

Run by ``tests/test_embedded_default.py`` in a subprocess on ``make run``'s
SQLite file, after the demo is loaded: every page reachable by a link from
the home page (GET only, same site, logout, static and media files left
out) is fetched with Django's test client, and each answer of 500 or more,
404 or 403 (a link of Glossa's own leading nowhere, or where the user may not
go), is reported with its path. The last line of output is a JSON object.
``tests/test_demo_crawl.py`` runs the same crawl on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import deque
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glossa.settings")

LINK = re.compile(r'(?:href|hx-get)="(/[^"#]*)"')
SKIP = ("/logout", "/static/", "/media/", "/admin/")
LIMIT = 400


def crawl(client) -> dict:
    """Every page a link reaches from ``/`` for ``client``'s user."""
    queue, seen = deque(["/"]), {"/"}
    failures: list[dict] = []
    statuses: dict[int, int] = {}
    while queue and len(seen) <= LIMIT:
        path = queue.popleft()
        response = client.get(path)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        # A page that fails, or a link of Glossa's own that leads nowhere or
        # to a page the user may not open.
        if response.status_code >= 500 or response.status_code in (403, 404):
            failures.append({"path": path, "status": response.status_code})
            continue
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not kind.startswith("text/html"):
            continue
        for link in LINK.findall(response.content.decode("utf-8", "replace")):
            link = unescape(link)
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    return {"pages": sum(statuses.values()), "statuses": statuses, "failures": failures}


def main(username: str = "demo") -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return crawl(client)


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
