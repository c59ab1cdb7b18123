"""Shared by the Label Studio peer scripts: the server's address, its REST
API (legacy token, as ``labelstudio_setup.sh`` starts it) and our own texts.

The texts are the ones of ``tests/exchange/data/peers/make_fixtures.mjs``
(our own writing): an emoji pair, a ZWJ emoji with a skin tone, a decomposed
accent (e + U+0301), a flag, a CJK sentence, a CJK character outside the
BMP (U+2000B), and Arabic and Hebrew names, each before spans.
"""

from __future__ import annotations

import os
import time
from typing import Any

import requests

URL = os.environ.get("LS_URL", "http://127.0.0.1:8401")
USER = os.environ.get("LS_USER", "glossa@example.org")
PASSWORD = os.environ.get("LS_PASSWORD", "glossa-peer-1")
TOKEN = os.environ.get("LS_TOKEN", "0123456789abcdef0123456789abcdef01234567")

TEXTS: list[dict[str, Any]] = [
    {
        "title": "Coast bulletin",
        "text": (
            "Update \U0001f6a2\U0001f525 from the coast: Captain "
            "\u064a\u0648\u0633\u0641 \u0627\u0644\u062d\u062f\u0627\u062f "
            "said the patrol boat stopped two skiffs. "
            "\u8239\u4e0a\u6709\u5341\u56db\u4eba\u3002 "
            "The ministry said 14 people were killed and gave no evidence."
        ),
        "spans": [
            ("the patrol boat stopped two skiffs", "official_claim"),
            ("\u8239\u4e0a\u6709\u5341\u56db\u4eba", "casualty_figure"),
            ("14 people were killed", "casualty_figure"),
            ("gave no evidence", "no_evidence_provided"),
        ],
    },
    {
        "title": "Port Lusk",
        "text": (
            "Cafe\u0301 owners \U0001f469\U0001f3fd\u200d\u2696\ufe0f "
            "in Port Lusk said 2 fishermen are missing. "
            "Nobody explained why the navy did not rescue them."
        ),
        "spans": [
            ("2 fishermen are missing", "casualty_figure"),
            ("the navy did not rescue them", "rescue_or_survivor"),
            ("Nobody explained", "refusal_or_non_answer"),
            ("Port Lusk", "location_or_jurisdiction"),
        ],
    },
    {
        "title": "Flags",
        "text": (
            "\U0001f1ea\U0001f1f8 \U0002000b Professor "
            "\u05d3\u05e0\u05d4 \u05dc\u05d5\u05d9 "
            'called the strikes unlawful: "These are extrajudicial executions." '
            "She asked for an inquiry."
        ),
        "spans": [
            ("called the strikes unlawful", "experts_say_illegal"),
            ("These are extrajudicial executions.", "experts_say_illegal"),
            ("asked for an inquiry", "call_for_investigation"),
            ("Professor", "unnamed_source"),
        ],
    },
]

LABELS = sorted({label for t in TEXTS for _, label in t["spans"]})

CONFIG = (
    "<View>\n"
    '  <Labels name="label" toName="text">\n'
    + "".join(f'    <Label value="{label}"/>\n' for label in LABELS)
    + "  </Labels>\n"
    '  <Text name="text" value="$text"/>\n'
    "</View>\n"
)


class LabelStudio:
    """The few REST calls the scripts make (``Authorization: Token``)."""

    def __init__(self, url: str = URL, token: str = TOKEN) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = self.session.request(
            method, f"{self.url}{path}", timeout=120, **kwargs
        )
        if response.status_code >= 400:
            raise RuntimeError(
                f"{method} {path}: {response.status_code} {response.text[:2000]}"
            )
        return response

    def version(self) -> str:
        return self.call("GET", "/api/version").json()["release"]

    def create_project(self, title: str, config: str) -> dict[str, Any]:
        return self.call(
            "POST", "/api/projects", json={"title": title, "label_config": config}
        ).json()

    def validate_config(self, project: int, config: str) -> requests.Response:
        return self.call(
            "POST", f"/api/projects/{project}/validate", json={"label_config": config}
        )

    def import_tasks(self, project: int, tasks: list[dict] | bytes) -> dict[str, Any]:
        if isinstance(tasks, bytes):
            return self.call(
                "POST",
                f"/api/projects/{project}/import",
                files={"file": ("tasks.json", tasks, "application/json")},
            ).json()
        return self.call("POST", f"/api/projects/{project}/import", json=tasks).json()

    def tasks(self, project: int) -> list[dict[str, Any]]:
        body = self.call(
            "GET",
            "/api/tasks",
            params={"project": project, "page_size": 1000, "fields": "all"},
        ).json()
        return body["tasks"] if isinstance(body, dict) else body

    def task(self, task: int) -> dict[str, Any]:
        return self.call("GET", f"/api/tasks/{task}").json()

    def export(self, project: int, export_type: str) -> bytes:
        return self.call(
            "GET",
            f"/api/projects/{project}/export",
            params={"exportType": export_type, "download_all_tasks": "true"},
        ).content

    def snapshot_export(
        self, project: int, export_type: str, options: dict[str, Any]
    ) -> bytes:
        """An export snapshot (``POST /api/projects/<id>/exports/``) with
        ``serialization_options``; the plain export gives predictions as ids
        only, a snapshot with ``{"predictions": {"only_id": false}}`` gives
        them whole."""
        base = f"/api/projects/{project}/exports"
        snapshot = self.call(
            "POST",
            f"{base}/",
            json={"title": "glossa check", "serialization_options": options},
        ).json()
        deadline = time.monotonic() + 300
        while snapshot["status"] != "completed":
            if snapshot["status"] == "failed" or time.monotonic() > deadline:
                raise RuntimeError(f"export snapshot {snapshot}")
            time.sleep(1)
            snapshot = self.call("GET", f"{base}/{snapshot['id']}").json()
        return self.call(
            "GET",
            f"{base}/{snapshot['id']}/download",
            params={"exportType": export_type},
        ).content
