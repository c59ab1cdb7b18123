"""Record Label Studio fixtures with the real Label Studio (1.23.2).

Start the server first (``sh benchmarks/peers/labelstudio_setup.sh``), then:

    .venv/bin/python benchmarks/peers/labelstudio_record.py [OUTDIR]

OUTDIR defaults to ``tests/exchange/data/peers/recorded/labelstudio``.

1. Through the REST API: a new project whose labelling config has a
   ``Labels`` for the tags our spans use on a ``Text`` reading ``$text``,
   and our three texts imported as tasks (``data.text``, ``data.title``).
2. Through Label Studio's own web UI, in Debian's chromium driven by
   Playwright: log in, open each task in the labelling stream, and for each
   span click its label and drag the mouse over the span's characters,
   from the left edge of its first character to the right edge of its last,
   so the offsets are what Label Studio's front end computes from the
   browser's selection; then Submit. Nothing writes offsets but the UI.
3. Read back every annotation through the API and check each region's
   ``value.text`` is the span we meant to select (the run stops otherwise).
4. Export with Label Studio's own export (``JSON`` and ``JSON_MIN``) and
   write the bytes unchanged to OUTDIR.

With ``--glossa-config FILE`` (Glossa's labelling config, as
``labelstudio_check_export.py`` saves it in ``glossa_config.xml``) it
records ``ui_glossa_config.json`` instead: two of our texts labelled in
the UI of a project with Glossa's config, some regions with two labels
(clicked one after the other on the selected region) and a per-region note
typed in its text area, exported with Label Studio's JSON export.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from labelstudio_common import CONFIG, PASSWORD, TEXTS, URL, USER, LabelStudio
from playwright.sync_api import Page, sync_playwright

Span = tuple[str, list[str], str]  # quote, labels, note

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/exchange/data/peers/recorded/labelstudio"

# Spans for the recording with Glossa's config: several labels, notes.
GLOSSA_TEXTS: list[dict[str, Any]] = [
    {
        **TEXTS[0],
        "spans": [
            (
                "14 people were killed",
                ["casualty_figure", "official_claim"],
                "Cifra del ministerio \u2014 sin pruebas.",
            ),
            ("\u8239\u4e0a\u6709\u5341\u56db\u4eba", ["casualty_figure"], ""),
            ("gave no evidence", ["no_evidence_provided"], "Asked twice; no answer."),
        ],
    },
    {
        **TEXTS[2],
        "spans": [
            (
                "These are extrajudicial executions.",
                ["experts_say_illegal", "counter_claim"],
                "",
            ),
            ("Professor", ["unnamed_source"], "Name withheld in the notes."),
        ],
    },
]

# Where each span's characters are on screen: a DOM Range over the text
# node(s) of Label Studio's rendered text, by JavaScript string index (the
# browser's own unit), one rectangle for the first and one for the last
# character of the span.
RECTS_JS = """
([quote, occurrence]) => {
  const root = document.querySelector('.lsf-richtext__container');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push([n, all.length]);
    all += n.data;
  }
  let start = -1;
  for (let i = 0; i <= occurrence; i += 1) start = all.indexOf(quote, start + 1);
  if (start < 0) return null;
  const end = start + quote.length;
  const locate = (index) => {
    for (let k = nodes.length - 1; k >= 0; k -= 1) {
      if (nodes[k][1] <= index) return [nodes[k][0], index - nodes[k][1]];
    }
    return null;
  };
  const charRect = (from, to) => {
    const range = document.createRange();
    const [a, ao] = locate(from);
    const [b, bo] = locate(to - 1);
    range.setStart(a, ao);
    range.setEnd(b, bo + 1);
    const rects = range.getClientRects();
    return rects[0].toJSON();
  };
  // the first character, and the last (a surrogate pair counts two units)
  const lastLen = /[\\uDC00-\\uDFFF]/.test(quote[quote.length - 1]) ? 2 : 1;
  const firstLen = /[\\uD800-\\uDBFF]/.test(quote[0]) ? 2 : 1;
  return {first: charRect(start, start + firstLen), last: charRect(end - lastLen, end)};
}
"""


def log_in(page: Page) -> None:
    page.goto(f"{URL}/user/login")
    page.fill("input[name=email]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url)


@contextlib.contextmanager
def logged_in_page() -> Iterator[Page]:
    """A page of Debian's chromium, logged in to Label Studio."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        log_in(page)
        yield page
        browser.close()


def select_span(page: Page, quote: str, occurrence: int = 0) -> None:
    """Drag the mouse over ``quote`` in the rendered text."""
    rects = page.evaluate(RECTS_JS, [quote, occurrence])
    if rects is None:
        raise RuntimeError(f"{quote!r} is not in the rendered text")
    first, last = rects["first"], rects["last"]
    page.mouse.move(first["left"] + 1, first["top"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["right"] - 1, last["top"] + last["height"] / 2, steps=8)
    page.mouse.up()


def label_task(page: Page, project: int, task: int, spans: list[Span]) -> None:
    """Label one task in the UI and submit it. For each span: click its
    first label, drag over the text; then, for more labels or a note, click
    the new region in the region list, click the other labels and type the
    note in the region's per-region text area (Enter adds it)."""
    page.goto(f"{URL}/projects/{project}/data?task={task}")
    page.locator(".lsf-richtext__line").first.wait_for()
    regions = page.locator(".lsf-outliner-item")
    for number, (quote, labels, note) in enumerate(spans, 1):
        page.keyboard.press("Escape")  # no region selected: a label click arms it
        page.locator(".lsf-label", has_text=labels[0]).first.click()
        select_span(page, quote)
        region = regions.nth(number - 1)
        region.wait_for()  # the new region is listed
        if len(labels) == 1 and not note:
            continue
        region.click()
        page.locator(".lsf-label_selected", has_text=labels[0]).first.wait_for()
        for label in labels[1:]:
            page.locator(".lsf-label", has_text=label).first.click()
            region.get_by_text(label).wait_for()
        if note:
            field = (
                page.locator("[role=treeitem]")
                .nth(number - 1)
                .locator("[data-testid=textarea-region-input]")
            )
            field.fill(note)
            field.press("Enter")
            page.locator("[role=treeitem]").nth(number - 1).locator(
                f"input[value={json.dumps(note, ensure_ascii=False)}]"
            ).wait_for()
    page.keyboard.press("Escape")
    with page.expect_response(
        lambda r: "/annotations" in r.url and r.request.method == "POST"
    ) as response:
        page.get_by_role("button", name="Submit").click()
    if response.value.status >= 400:
        raise RuntimeError(f"task {task}: submit answered {response.value.status}")


def recorded(ls: LabelStudio, task: int) -> list[Span]:
    """The spans of a task's annotations as read back through the API:
    (quote, labels, note), the note being the per-region text area."""
    full = ls.task(task)
    results = [r for a in full["annotations"] for r in a["result"]]
    notes = {
        r["id"]: "\n".join(r["value"]["text"])
        for r in results
        if r["type"] == "textarea"
    }
    return sorted(
        (r["value"]["text"], sorted(r["value"]["labels"]), notes.get(r["id"], ""))
        for r in results
        if r["type"] == "labels"
    )


def record(
    ls: LabelStudio, title: str, config: str, texts: list[dict[str, Any]]
) -> tuple[int, int]:
    """A project with ``config`` and ``texts``, labelled in the UI and read
    back: (project id, number of spans)."""
    project = ls.create_project(title, config)["id"]
    ls.import_tasks(
        project,
        [{"data": {"text": t["text"], "title": t["title"]}} for t in texts],
    )
    tasks = sorted(ls.tasks(project), key=lambda t: t["id"])
    with logged_in_page() as page:
        for task, spec in zip(tasks, texts, strict=True):
            label_task(page, project, task["id"], spec["spans"])
    count = 0
    for task, spec in zip(tasks, texts, strict=True):
        got = recorded(ls, task["id"])
        want = sorted((q, sorted(labels), note) for q, labels, note in spec["spans"])
        if got != want:
            raise RuntimeError(f"task {task['id']}: recorded {got}, meant {want}")
        count += len(got)
    return project, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", nargs="?", type=Path, default=OUT)
    parser.add_argument(
        "--glossa-config",
        type=Path,
        help="record ui_glossa_config.json with this labelling config "
        "(Glossa's, from manage.py export --format labelstudio-config)",
    )
    args = parser.parse_args()
    out: Path = args.outdir
    out.mkdir(parents=True, exist_ok=True)
    ls = LabelStudio()
    if args.glossa_config:
        config = args.glossa_config.read_text(encoding="utf-8")
        project, spans = record(ls, "Glossa config in the UI", config, GLOSSA_TEXTS)
        (out / "ui_glossa_config.json").write_bytes(ls.export(project, "JSON"))
    else:
        texts = [
            {**t, "spans": [(q, [label], "") for q, label in t["spans"]]} for t in TEXTS
        ]
        project, spans = record(ls, "Glossa peer fixtures", CONFIG, texts)
        for export_type, name in (
            ("JSON", "export.json"),
            ("JSON_MIN", "export_min.json"),
        ):
            (out / name).write_bytes(ls.export(project, export_type))
    print(
        json.dumps(
            {
                "label_studio": ls.version(),
                "project": project,
                "spans": spans,
                "out": str(out),
            }
        )
    )


if __name__ == "__main__":
    main()
