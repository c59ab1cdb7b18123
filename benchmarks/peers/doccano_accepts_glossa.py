"""Does the real doccano accept Glossa's doccano export, every span in place?

Needs a running doccano 1.8.4 (doccano_setup.sh) and Glossa's PostgreSQL.
In a benchmark database (``<DATABASE_URL name>_bench_doccano_peer``) it
creates a project, imports the recorded doccano files with ``manage.py
import_annotations`` (so Glossa holds the 3 texts and 12 spans), writes
``manage.py export --format doccano`` and ``--format doccano-graphemes``,
and imports each file into a new doccano project (UTF-16, and one with
"Count grapheme clusters as one character") with doccano's own dataset
import. Then, through doccano's REST API, every span doccano stored is cut
from doccano's text in doccano's unit and compared with the quote Glossa
holds; and doccano's own export of the project is compared, span by span,
with Glossa's file. Prints one JSON line.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa_doccano \\
        .venv/bin/python benchmarks/peers/doccano_accepts_glossa.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import _setup  # noqa: E402
from doccano_client import Doccano, zip_members  # noqa: E402

RECORDED = HERE.parents[1] / "tests" / "exchange" / "data" / "peers" / "recorded"


def cut(text: str, start: int, end: int, unit: str) -> str:
    if unit == "grapheme":
        import regex  # type: ignore[import-untyped]

        clusters = regex.findall(r"\X", text)
        return "".join(clusters[start:end])
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def main() -> None:
    _setup.django_setup(_setup.bench_database("doccano_peer"))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from annotations.models import Annotation
    from projects.services import project_create

    stamp = time.strftime("%Y%m%d%H%M%S")
    user = get_user_model().objects.create_user(
        username=f"peer{stamp}", password="x" * 12
    )
    project = project_create(
        name=f"doccano peer {stamp}", slug=f"doccano-peer-{stamp}", created_by=user
    )
    for mode, fmt in (("utf16", "doccano"), ("graphemes", "doccano-graphemes")):
        path = RECORDED / "doccano" / f"doccano_{mode}_all.jsonl"
        call_command(
            "import_annotations",
            str(path),
            "--project",
            project.slug,
            "--format",
            fmt,
            "--user",
            user.username,
        )
    held = {
        (a.document.text, a.quote, key)
        for a in Annotation.objects.filter(project=project).select_related("document")
        for key in a.tags.values_list("key", flat=True)
    }
    client = Doccano()
    report: dict[str, object] = {"glossa_spans": len(held)}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, unit, grapheme in (
            ("doccano", "utf16", False),
            ("doccano-graphemes", "grapheme", True),
        ):
            out = Path(tmp) / f"{fmt}.jsonl"
            call_command(
                "export",
                "--project",
                project.slug,
                "--format",
                fmt,
                "--output",
                str(out),
            )
            data = out.read_bytes()
            target = client.create_project(f"from-glossa-{fmt}-{stamp}", grapheme)
            errors = client.import_jsonl(target, out.name, data)["error"]
            landed: set[tuple[str, str, str]] = set()
            wrong: list[tuple[str, str, str]] = []
            examples = client.examples(target)
            for example in examples:
                for span in client.spans(target, example["id"]):
                    label = next(
                        name
                        for name, pk in client.span_types(target).items()
                        if pk == span["label"]
                    )
                    quote = cut(
                        example["text"], span["start_offset"], span["end_offset"], unit
                    )
                    item = (example["text"], quote, label)
                    if item in held:
                        landed.add(item)
                    else:
                        wrong.append(item)
            # doccano's own export of what it imported, span by span
            theirs = {
                json.loads(x)["text"]: sorted(map(tuple, json.loads(x)["label"]))
                for x in zip_members(client.export_jsonl(target))[
                    "all.jsonl"
                ].splitlines()
            }
            ours = {
                json.loads(x)["text"]: sorted(map(tuple, json.loads(x)["label"]))
                for x in data.splitlines()
            }
            report[fmt] = {
                "doccano_project": target,
                "import_errors": errors,
                "examples": len(examples),
                "spans_on_the_right_text": len(landed),
                "spans_on_wrong_text": len(wrong),
                "wrong": wrong[:5],
                "doccano_export_equals_glossa_file": theirs == ours,
            }
    ok = all(
        isinstance(r, dict)
        and not r["import_errors"]
        and r["spans_on_the_right_text"] == len(held)
        and not r["spans_on_wrong_text"]
        and r["doccano_export_equals_glossa_file"]
        for k, r in report.items()
        if k.startswith("doccano")
    )
    report["accepted"] = ok
    print(json.dumps(report, ensure_ascii=False))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
