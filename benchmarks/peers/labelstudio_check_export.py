"""Glossa's own Label Studio export, imported into the real Label Studio.

Start Label Studio first (``sh benchmarks/peers/labelstudio_setup.sh``),
then, from the repository root, with a Glossa database of your own:

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa_x \\
        .venv/bin/python benchmarks/peers/labelstudio_check_export.py [OUTDIR]

1. Glossa side (``manage.py`` only): ``load_demo`` (the demo project and
   its 18 tags), ``import_annotations --format labelstudio`` of the file
   Label Studio recorded (``recorded/labelstudio/export.json``) and of a
   small task of our own with one region carrying two labels and a
   per-region note, then ``export --format labelstudio`` and
   ``export --format labelstudio-config``.
2. Label Studio side (REST API): validate Glossa's labelling config, create
   a project with it, upload the tasks file as a user would (multipart
   ``file``), read every task back and check, span by span, that each
   region is on the same text (``data.text`` cut at ``value.start:end`` in
   code points is ``value.text``), has the same offsets and labels as in
   Glossa's file, and that notes arrived as per-region ``textarea``
   results; then open every task in Label Studio's web UI (Debian chromium,
   Playwright) and check the highlighted texts are the quotes.
3. Write to OUTDIR (default ``tests/exchange/data/peers/recorded/labelstudio``)
   Glossa's files as exported (``glossa_export.json``,
   ``glossa_config.xml``), Label Studio's own JSON export of that project
   (``glossa_export_via_labelstudio.json``) unchanged, and a summary
   (``glossa_export_check.json``).
4. The same results sent as ``predictions`` (pre-annotations) to another
   project, read back unchanged, and Label Studio's JSON export of it
   (``glossa_predictions_via_labelstudio.json``) from an export snapshot with
   ``serialization_options={"predictions": {"only_id": false}}``: its plain
   export lists predictions by id only (kept too, as
   ``glossa_predictions_plain_export.json``).

Ends with one JSON line (the summary); exits 1 on any mismatch.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from labelstudio_common import LabelStudio
from labelstudio_record import logged_in_page

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/exchange/data/peers/recorded/labelstudio"
SLUG = "strikes-at-sea-demo"
USER = "demo"

# One task of our own writing: a region with two labels and a note.
EXTRA_TEXT = (
    "Harbour log \u2014 \U0001f30a The coastguard said the dinghy capsized "
    "after the strike; a survivor, \u0645\u0631\u064a\u0645, was picked up "
    "by fishermen."
)
EXTRA_QUOTE = "the dinghy capsized after the strike"


def extra_tasks() -> list[dict[str, Any]]:
    start = EXTRA_TEXT.index(EXTRA_QUOTE)  # code points (a Python str index)
    end = start + len(EXTRA_QUOTE)
    where = {"start": start, "end": end}
    survivor = EXTRA_TEXT.index("a survivor")
    return [
        {
            "data": {"text": EXTRA_TEXT, "title": "Harbour log"},
            "annotations": [
                {
                    "result": [
                        {
                            "id": "harbour-1",
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {
                                **where,
                                "text": EXTRA_QUOTE,
                                "labels": ["official_claim", "casualty_figure"],
                            },
                        },
                        {
                            "id": "harbour-1",
                            "from_name": "note",
                            "to_name": "text",
                            "type": "textarea",
                            "value": {
                                **where,
                                "text": ["Which strike? No date given."],
                            },
                        },
                        {
                            "id": "harbour-2",
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {
                                "start": survivor,
                                "end": survivor + len("a survivor"),
                                "text": "a survivor",
                                "labels": ["rescue_or_survivor"],
                            },
                        },
                    ]
                }
            ],
        }
    ]


def manage(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-3000:]}")
    return done.stdout


def glossa_export(folder: Path) -> tuple[bytes, str]:
    manage("load_demo", "--username", USER, "--password", "demo-pass-123")
    extra = folder / "harbour.json"
    extra.write_text(json.dumps(extra_tasks(), ensure_ascii=False), encoding="utf-8")
    for path in (OUT / "export.json", extra):
        print(
            manage(
                "import_annotations",
                str(path),
                "--project",
                SLUG,
                "--format",
                "labelstudio",
                "--user",
                USER,
            ).strip()
        )
    tasks, config = folder / "tasks.json", folder / "config.xml"
    manage(
        "export", "--project", SLUG, "--format", "labelstudio", "--output", str(tasks)
    )
    manage(
        "export",
        "--project",
        SLUG,
        "--format",
        "labelstudio-config",
        "--output",
        str(config),
    )
    return tasks.read_bytes(), config.read_text(encoding="utf-8")


def spans_of(task: dict[str, Any], key: str) -> Counter:
    """(start, end, text, labels) of every labels result, and the notes."""
    found: Counter = Counter()
    for group in task.get(key) or []:
        for r in group["result"]:
            v = r["value"]
            if r["type"] == "labels":
                found[
                    ("span", v["start"], v["end"], v["text"], tuple(v["labels"]))
                ] += 1
            elif r["type"] == "textarea":
                found[("note", v["start"], v["end"], tuple(v["text"]))] += 1
    return found


def check(ls: LabelStudio, glossa_tasks: list[dict], config: str) -> dict[str, Any]:
    validation = ls.call(
        "POST", "/api/projects/validate", json={"label_config": config}
    )
    project = ls.create_project("Glossa export check", config)["id"]
    tasks_bytes = json.dumps(glossa_tasks, ensure_ascii=False).encode()
    imported = ls.import_tasks(project, tasks_bytes)
    back = sorted(ls.tasks(project), key=lambda t: t["id"])
    by_text = {t["data"]["text"]: t for t in glossa_tasks}
    problems: list[str] = []
    spans = notes = 0
    for task in back:
        full = ls.task(task["id"])
        text = full["data"]["text"]
        mine = by_text.get(text)
        if mine is None:
            problems.append(f"task {task['id']}: text not in Glossa's file")
            continue
        got, want = spans_of(full, "annotations"), spans_of(mine, "annotations")
        if got != want:
            problems.append(f"task {task['id']}: {sorted(got)} != {sorted(want)}")
        for kind, start, end, quote, *_ in got.elements():
            if kind == "span":
                spans += 1
                if text[start:end] != quote:
                    problems.append(
                        f"task {task['id']}: {start}-{end} is {text[start:end]!r}"
                    )
            else:
                notes += 1
    return {
        "project": project,
        "config_validation_status": validation.status_code,
        "tasks_in_file": len(glossa_tasks),
        "tasks_imported": imported.get("task_count"),
        "annotations_imported": imported.get("annotation_count"),
        "tasks_read_back": len(back),
        "spans_read_back": spans,
        "notes_read_back": notes,
        "spans_in_file": sum(
            1
            for t in glossa_tasks
            for a in t["annotations"]
            for r in a["result"]
            if r["type"] == "labels"
        ),
        "problems": problems,
    }


def as_predictions(glossa_tasks: list[dict]) -> list[dict]:
    """Glossa's tasks with each annotation's results given as a prediction
    instead (pre-annotations, as a model would send them)."""
    return [
        {
            "data": task["data"],
            "predictions": [
                {"model_version": "glossa-export", "result": group["result"]}
                for group in task["annotations"]
            ],
        }
        for task in glossa_tasks
    ]


def check_predictions(ls: LabelStudio, glossa_tasks: list[dict], config: str) -> int:
    """Import Glossa's results as predictions; read back, the same regions."""
    project = ls.create_project("Glossa export as predictions", config)["id"]
    ls.import_tasks(project, as_predictions(glossa_tasks))
    by_text = {t["data"]["text"]: t for t in glossa_tasks}
    for task in ls.tasks(project):
        full = ls.task(task["id"])
        mine = by_text[full["data"]["text"]]
        if spans_of(full, "predictions") != spans_of(mine, "annotations"):
            raise RuntimeError(f"predictions of task {task['id']} differ")
    return project


def check_in_ui(project: int, ls: LabelStudio) -> dict[str, Any]:
    """Open each task in the labelling UI: the highlights are the quotes."""
    shown = 0
    problems: list[str] = []
    with logged_in_page() as page:
        for task in sorted(ls.tasks(project), key=lambda t: t["id"]):
            full = ls.task(task["id"])
            want = sorted(
                r["value"]["text"]
                for a in full["annotations"]
                for r in a["result"]
                if r["type"] == "labels"
            )
            page.goto(f"{ls.url}/projects/{project}/data?task={task['id']}")
            page.locator(".lsf-richtext__line").first.wait_for()
            if want:
                page.locator(".lsf-richtext__container .htx-highlight").nth(
                    len(want) - 1
                ).wait_for()
            got = sorted(
                page.evaluate(
                    """() => {
                      const byRegion = new Map();
                      for (const el of document.querySelectorAll(
                          '.lsf-richtext__container .htx-highlight')) {
                        const key = [...el.classList].find(
                          c => c.startsWith('htx-highlight-')) || el;
                        byRegion.set(key, (byRegion.get(key) || '') + el.textContent);
                      }
                      return [...byRegion.values()];
                    }"""
                )
            )
            shown += len(got)
            if got != want:
                problems.append(f"task {task['id']}: UI shows {got}, want {want}")
    return {"highlights_shown": shown, "ui_problems": problems}


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL (and DEBUG=1) to a Glossa database.")
    ls = LabelStudio()
    with tempfile.TemporaryDirectory() as folder:
        tasks_bytes, config = glossa_export(Path(folder))
    glossa_tasks = json.loads(tasks_bytes)
    summary = {"label_studio": ls.version(), **check(ls, glossa_tasks, config)}
    summary.update(check_in_ui(summary["project"], ls))
    (out / "glossa_export.json").write_bytes(tasks_bytes)
    (out / "glossa_config.xml").write_text(config, encoding="utf-8")
    (out / "glossa_export_via_labelstudio.json").write_bytes(
        ls.export(summary["project"], "JSON")
    )
    predictions = check_predictions(ls, glossa_tasks, config)
    summary["predictions_project"] = predictions
    (out / "glossa_predictions_via_labelstudio.json").write_bytes(
        ls.snapshot_export(predictions, "JSON", {"predictions": {"only_id": False}})
    )
    (out / "glossa_predictions_plain_export.json").write_bytes(
        ls.export(predictions, "JSON")
    )
    (out / "glossa_export_check.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(json.dumps(summary, ensure_ascii=False))
    if summary["problems"] or summary["ui_problems"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
