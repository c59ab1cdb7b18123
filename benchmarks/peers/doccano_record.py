"""Record doccano fixtures by running the real doccano 1.8.4 (see doccano_setup.sh).

For each mode (UTF-16, the default, and "Count grapheme clusters as one
character") this script:

1. creates a sequence-labelling project through doccano's REST API and its
   span types (Glossa's tag names);
2. imports our own texts (those of tests/exchange/data/peers/make_fixtures.mjs,
   read from the ``text`` field of doccano_utf16.jsonl beside it) with
   doccano's own dataset import (filepond upload + ``/upload``, run by its
   Celery worker), without labels;
3. labels every span in doccano's web UI with Playwright and Debian's
   chromium: the mouse is pressed on the first character of the quote and
   released on its last (positions from the SVG text's own glyph extents),
   then the label is picked from doccano's menu; doccano's front end computes
   the offsets and POSTs them, exactly as for an analyst;
4. checks through the API that every span was stored, then exports with
   doccano's own JSONL export and writes the zip and every file in it,
   unchanged, to tests/exchange/data/peers/recorded/doccano/.

Run with Glossa's venv (it has Playwright):
    .venv/bin/python benchmarks/peers/doccano_record.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from doccano_client import DEFAULT_PASSWORD, DEFAULT_USER, Doccano, zip_members

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT / "tests" / "exchange" / "data" / "peers"
OUT = PEERS / "recorded" / "doccano"

# Where the mouse goes for a quote: the first and last glyph of the quote in
# the SVG <text> line that holds it (doccano draws each line as one <text>).
GLYPHS = """([quote]) => {
  for (const el of document.querySelectorAll('#container text')) {
    const t = el.textContent, i = t.indexOf(quote);
    if (i < 0) continue;
    const a = el.getExtentOfChar(i), b = el.getExtentOfChar(i + quote.length - 1);
    const m = el.getScreenCTM();
    const at = (x, y) => {
      const p = el.ownerSVGElement.createSVGPoint(); p.x = x; p.y = y;
      return p.matrixTransform(m);
    };
    const p1 = at(a.x + 1, a.y + a.height / 2);
    const p2 = at(b.x + b.width - 1, b.y + b.height / 2);
    return {x1: p1.x, y1: p1.y, x2: p2.x, y2: p2.y};
  }
  return null;
}"""


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def our_texts() -> list[dict]:
    """Texts and (quote, label) pairs of make_fixtures.mjs, read from its output."""
    texts = []
    with open(PEERS / "doccano_utf16.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            spans = [
                (utf16_slice(record["text"], s, e), label)
                for s, e, label in record["label"]
            ]
            texts.append({"text": record["text"], "spans": spans})
    return texts


def label_in_ui(page, base: str, project: int, texts: list[dict]) -> None:
    for number in range(1, len(texts) + 1):
        page.goto(f"{base}/projects/{project}/sequence-labeling?page={number}")
        page.locator("#container text").first.wait_for()
        shown = "".join(page.locator("#container text").all_text_contents())
        entry = next(t for t in texts if t["text"].startswith(shown[:20]))
        for quote, label in entry["spans"]:
            box = page.evaluate(GLYPHS, [quote])
            if box is None:
                raise SystemExit(f"quote not on one line on page {number}: {quote!r}")
            page.mouse.move(box["x1"], box["y1"])
            page.mouse.down()
            page.mouse.move(box["x2"], box["y2"], steps=10)
            page.mouse.up()
            option = page.locator(".menuable__content__active .v-list-item").filter(
                has_text=label
            )
            option.first.wait_for()
            with page.expect_response(
                lambda r: r.request.method == "POST" and "/spans" in r.url
            ) as response:
                option.first.click()
            if response.value.status != 201:
                raise SystemExit(f"doccano refused {quote!r}: {response.value.status}")
            # the label menu closes once doccano has taken the span
            page.locator(".menuable__content__active").wait_for(state="hidden")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8400")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    client = Doccano(args.url)
    texts = our_texts()
    labels = sorted({label for t in texts for _, label in t["spans"]})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    summary = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox"],
        )
        page = browser.new_page(viewport={"width": 2600, "height": 1000})
        page.goto(f"{args.url}/auth")
        fields = page.locator("input")
        fields.nth(0).fill(DEFAULT_USER)
        fields.nth(1).fill(DEFAULT_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/projects**")
        for mode, grapheme in (("utf16", False), ("graphemes", True)):
            project = client.create_project(f"glossa-{mode}-{stamp}", grapheme)
            for label in labels:
                client.add_span_type(project, label)
            source = "".join(
                json.dumps(
                    {"text": t["text"], "source": "field notes/2025", "label": []},
                    ensure_ascii=False,
                )
                + "\n"
                for t in texts
            ).encode()
            result = client.import_jsonl(project, f"glossa-{mode}.jsonl", source)
            if result["error"]:
                raise SystemExit(f"doccano import errors: {result['error']}")
            label_in_ui(page, args.url, project, texts)
            stored = {
                ex["text"]: client.spans(project, ex["id"])
                for ex in client.examples(project)
            }
            for t in texts:
                if len(stored[t["text"]]) != len(t["spans"]):
                    raise SystemExit(f"{mode}: {len(stored[t['text']])} spans stored")
            archive = client.export_jsonl(project)
            (out / f"doccano_{mode}_export.zip").write_bytes(archive)
            for name, data in zip_members(archive).items():
                (out / f"doccano_{mode}_{name}").write_bytes(data)
            summary[mode] = {"project": project, "files": sorted(zip_members(archive))}
        browser.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
