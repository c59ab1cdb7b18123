"""``make run``'s embedded default, SQLite, loads the demo end to end.

The suite runs on PostgreSQL, so code written for it alone (UNNEST of typed
arrays, triggers, raw SQL) can break the README's first command unseen: it
did once (bulk_insert_unnest). This runs what ``make run`` runs before it
serves, in a subprocess on a fresh SQLite file, and checks the demo's
documents were analysed into suggestions; then it opens, as the demo user,
every page a link reaches from the home page (``tests/sqlite_crawl.py``):
none may fail (the annotator once did, on a PostgreSQL-only DISTINCT ON).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_steps_load_the_demo_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "GLOSSA_VAR_DIR": str(tmp_path),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "glossa.settings",
    }
    env.pop("DATABASE_URL", None)

    def run(*argv: str) -> str:
        """Run a script of the repository on that database; its output."""
        done = subprocess.run(
            [sys.executable, *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, (argv, done.stderr[-3000:])
        return done.stdout

    for command in (
        ["migrate", "--noinput"],
        ["load_defaults"],
        ["load_demo", "--url", "http://127.0.0.1:8000/"],
        ["load_demo_incidents"],
    ):
        run("manage.py", *command)
    database = sqlite3.connect(tmp_path / "glossa.sqlite3")
    try:
        # The demo's own samples are analysed as they load; the incident
        # reports load_demo_incidents adds wait for a worker (pending).
        statuses = dict(
            database.execute(
                "SELECT analysis_status, count(*) FROM corpus_document "
                "GROUP BY analysis_status"
            ).fetchall()
        )
        (suggestions,) = database.execute(
            "SELECT count(*) FROM annotations_suggestion"
        ).fetchone()
    finally:
        database.close()
    assert statuses.get("done", 0) >= 2 and "failed" not in statuses, statuses
    assert suggestions > 0

    crawled = json.loads(run("tests/sqlite_crawl.py", "demo").strip().splitlines()[-1])
    assert crawled["failures"] == [], crawled
    # The crawl reached the workspace: the project, its documents, the annotator.
    assert crawled["pages"] >= 30, crawled
