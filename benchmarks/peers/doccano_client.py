"""A small REST client for a running doccano 1.8.4 (standard library only).

Used by the peer scripts in this folder and by ``benchmarks/api.py``. It
speaks doccano's own API as its web front end does: token login, projects,
span types, the filepond upload then ``/upload`` (doccano's dataset import,
run by its Celery worker), and ``/download`` (its dataset export, a zip).
Nothing of doccano's code is copied here; only its URLs are used.
"""

from __future__ import annotations

import io
import json
import os
import time
import urllib.error
import urllib.request
import uuid
import zipfile

DEFAULT_URL = os.environ.get("DOCCANO_URL", "http://127.0.0.1:8400")
DEFAULT_USER = os.environ.get("DOCCANO_USER", "admin")
DEFAULT_PASSWORD = os.environ.get("DOCCANO_PASSWORD", "peer-admin-1")


class DoccanoError(RuntimeError):
    pass


class Doccano:
    def __init__(
        self,
        url: str = DEFAULT_URL,
        username: str = DEFAULT_USER,
        password: str = DEFAULT_PASSWORD,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"doccano's URL must be http(s): {url!r}")
        self.url = url.rstrip("/")
        self.token = ""
        self.token = self.request(
            "POST", "/v1/auth/login/", {"username": username, "password": password}
        )["key"]

    # -- plumbing -------------------------------------------------------
    def raw(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> bytes:
        headers = {"Accept": accept}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if body is not None:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
            self.url + path, data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:500].decode("utf-8", "replace")
            raise DoccanoError(f"{method} {path}: {error.code} {detail}") from error

    def request(self, method: str, path: str, data: object | None = None):
        body = None if data is None else json.dumps(data).encode()
        payload = self.raw(method, path, body)
        return json.loads(payload) if payload else None

    def wait_task(self, task_id: str, timeout: float = 120.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.request("GET", f"/v1/tasks/status/{task_id}")
            if status["ready"]:
                if status["error"]:
                    raise DoccanoError(f"task {task_id}: {status['error']}")
                return status
            time.sleep(0.2)
        raise DoccanoError(f"task {task_id} not ready after {timeout} s")

    # -- projects and labels -------------------------------------------
    def create_project(self, name: str, grapheme_mode: bool = False) -> int:
        project = self.request(
            "POST",
            "/v1/projects",
            {
                "name": name,
                "description": "Glossa peer fixtures (our own texts)",
                "project_type": "SequenceLabeling",
                "resourcetype": "SequenceLabelingProject",
                "guideline": "",
                "random_order": False,
                "collaborative_annotation": True,
                "single_class_classification": False,
                "allow_overlapping": False,
                "grapheme_mode": grapheme_mode,
                "use_relation": False,
                "tags": [],
            },
        )
        return int(project["id"])

    def add_span_type(self, project: int, name: str, key: str | None = None) -> int:
        created = self.request(
            "POST",
            f"/v1/projects/{project}/span-types",
            {
                "text": name,
                "prefix_key": None,
                "suffix_key": key,
                "background_color": "#2196f3",
                "text_color": "#ffffff",
            },
        )
        return int(created["id"])

    def span_types(self, project: int) -> dict[str, int]:
        rows = self.request("GET", f"/v1/projects/{project}/span-types")
        return {row["text"]: row["id"] for row in rows}

    # -- import and export (doccano's own) --------------------------------
    def upload(self, filename: str, data: bytes) -> str:
        boundary = uuid.uuid4().hex
        body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="filepond"; '
                f'filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        upload_id = self.raw(
            "POST",
            "/v1/fp/process/",
            body,
            f"multipart/form-data; boundary={boundary}",
            accept="text/plain",
        )
        return upload_id.decode().strip()

    def import_jsonl(
        self, project: int, filename: str, data: bytes, label_column: str = "label"
    ) -> dict:
        """doccano's own dataset import of a JSONL file; returns its task result."""
        upload_id = self.upload(filename, data)
        task = self.request(
            "POST",
            f"/v1/projects/{project}/upload",
            {
                "uploadIds": [upload_id],
                "format": "JSONL",
                "task": "SequenceLabeling",
                "column_data": "text",
                "column_label": label_column,
                "encoding": "utf_8",
            },
        )
        return self.wait_task(task["task_id"])["result"]

    def export_jsonl(self, project: int) -> bytes:
        """doccano's own export: the zip its worker wrote, byte for byte."""
        task = self.request(
            "POST",
            f"/v1/projects/{project}/download",
            {"format": "JSONL", "exportApproved": False},
        )
        self.wait_task(task["task_id"])
        return self.raw(
            "GET",
            f"/v1/projects/{project}/download?taskId={task['task_id']}",
            accept="*/*",
        )

    # -- examples and spans ------------------------------------------------
    def examples(self, project: int) -> list[dict]:
        rows: list[dict] = []
        path: str | None = f"/v1/projects/{project}/examples?limit=100&offset=0"
        while path:
            page = self.request("GET", path)
            rows.extend(page["results"])
            following = page.get("next")
            path = following[len(self.url) :] if following else None
            if following and not following.startswith(self.url):
                path = "/" + following.split("/", 3)[3]
        return rows

    def spans(self, project: int, example: int) -> list[dict]:
        return self.request("GET", f"/v1/projects/{project}/examples/{example}/spans")

    def add_span(
        self, project: int, example: int, label: int, start: int, end: int
    ) -> dict:
        return self.request(
            "POST",
            f"/v1/projects/{project}/examples/{example}/spans",
            {"label": label, "start_offset": start, "end_offset": end},
        )


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
