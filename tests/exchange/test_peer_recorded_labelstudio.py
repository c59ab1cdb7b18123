"""Files recorded with the real Label Studio 1.23.2, imported into Glossa
and exported back span by span (how they were made:
data/peers/recorded/labelstudio/README.md). No Label Studio runs here.

* ``export.json`` / ``export_min.json``: Label Studio's JSON and JSON-MIN
  exports of our three texts, the 12 spans selected with the mouse in its
  web UI, so every offset is what its front end computed.
* ``glossa_export.json``, ``glossa_config.xml``: Glossa's own export and
  labelling config, which Label Studio accepted (``glossa_export_check.json``);
  ``glossa_export_via_labelstudio.json`` is Label Studio's export of them.

Expected quotes come from the files (``value.text``, and ``data.text`` cut
with Python's code-point slicing), never from Glossa's converter.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from annotations.models import Annotation
from corpus.models import Document
from exchange.exports.labelstudio import labelstudio_config, stream_labelstudio
from exchange.imports.formats import IMPORTERS
from projects.services import project_create

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "data" / "peers" / "recorded" / "labelstudio"
IMPORT = IMPORTERS["labelstudio"][1]


def load(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def utf16_slice(text: str, start: int, end: int) -> str:
    """What JavaScript's ``text.slice(start, end)`` returns."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le", "replace")


def recorded_spans(name: str = "export.json") -> list[tuple[str, dict[str, Any]]]:
    """(task text, value) of every ``labels`` result in a full JSON export."""
    return [
        (task["data"]["text"], result["value"])
        for task in load(name)
        for annotation in task["annotations"]
        for result in annotation["result"]
        if result["type"] == "labels"
    ]


def import_file(name: str, project, owner):
    with (RECORDED / name).open("rb") as handle:
        return IMPORT(handle, project=project, user=owner, name=name)


def stored(project) -> Counter:
    """(quote, tag) of every annotation, each checked against its text."""
    found: Counter = Counter()
    for a in Annotation.objects.filter(project=project).select_related("document"):
        assert a.document.text[a.start : a.end] == a.quote
        for key in a.tags.values_list("key", flat=True):
            found[(a.quote, key)] += 1
    return found


def expected(name: str = "export.json") -> Counter:
    return Counter(
        (nfc(value["text"]), label)
        for _, value in recorded_spans(name)
        for label in value["labels"]
    )


def test_the_recording_counts_code_points_and_exercises_them():
    """Label Studio 1.23.2 counts code points: its quote is the text cut in
    code points, and in none of the 12 spans the UTF-16 cut (an emoji, a
    ZWJ sequence, a flag or U+2000B comes first)."""
    spans = recorded_spans()
    assert len(spans) == 12
    for text, value in spans:
        assert text[value["start"] : value["end"]] == value["text"]
        assert utf16_slice(text, value["start"], value["end"]) != value["text"]
    # JSON-MIN holds the same spans, one row per task
    rows = load("export_min.json")
    assert sorted(
        (row["text"], s["start"], s["end"], s["text"], tuple(s["labels"]))
        for row in rows
        for s in row["label"]
    ) == sorted(
        (text, v["start"], v["end"], v["text"], tuple(v["labels"])) for text, v in spans
    )


@pytest.mark.parametrize("name", ["export.json", "export_min.json"])
def test_recorded_exports_land_span_by_span(project, owner, name):
    result = import_file(name, project, owner)
    assert (result.documents_created, result.annotations_created) == (3, 12)
    assert stored(project) == expected("export.json")
    # each quote is also the recorded text cut in code points (normalised)
    assert stored(project) == Counter(
        (nfc(text[value["start"] : value["end"]]), value["labels"][0])
        for text, value in recorded_spans()
    )
    titles = set(
        Document.objects.filter(project=project).values_list("title", flat=True)
    )
    assert titles == {"Coast bulletin", "Port Lusk", "Flags"}


def test_export_back_matches_the_recording_span_by_span(project, owner):
    """Glossa's export gives back every span Label Studio recorded. The text
    with a decomposed accent is stored composed (NFC), so its offsets are
    the recorded ones counted on the composed text; the rest are the same
    numbers."""
    import_file("export.json", project, owner)
    exported = json.loads(b"".join(stream_labelstudio(project)))
    by_text = {
        nfc(task["data"]["text"]): task["data"]["text"] for task in load("export.json")
    }
    got: Counter = Counter()
    for task in exported:
        text = task["data"]["text"]
        assert text in by_text
        for annotation in task["annotations"]:
            for r in annotation["result"]:
                assert (r["from_name"], r["to_name"], r["type"]) == (
                    "label",
                    "text",
                    "labels",
                )
                v = r["value"]
                assert text[v["start"] : v["end"]] == v["text"]
                got[(text, v["start"], v["end"], v["text"], tuple(v["labels"]))] += 1
    want: Counter = Counter()
    same = 0
    for text, v in recorded_spans():
        start, end = len(nfc(text[: v["start"]])), len(nfc(text[: v["end"]]))
        same += (start, end) == (v["start"], v["end"])
        want[(nfc(text), start, end, nfc(v["text"]), tuple(v["labels"]))] += 1
    assert got == want
    assert same == 8  # the Port Lusk text's 4 spans come after "Cafe\u0301"


def test_reimport_reuses_documents_and_adds_nothing(project, owner):
    import_file("export.json", project, owner)
    again = import_file("export.json", project, owner)
    assert (again.documents_created, again.documents_reused) == (0, 3)
    assert (again.annotations_created, again.annotations_skipped) == (0, 12)
    minimal = import_file("export_min.json", project, owner)
    assert (minimal.documents_created, minimal.annotations_created) == (0, 0)
    # and Glossa's own export of them, read back, duplicates nothing either
    exported = b"".join(stream_labelstudio(project))
    back = IMPORT(io.BytesIO(exported), project=project, user=owner, name="back.json")
    assert (back.documents_created, back.annotations_created) == (0, 0)
    assert Document.objects.filter(project=project).count() == 3
    assert sum(stored(project).values()) == 12


def test_the_command_line_import_reads_the_recording(project, owner, tmp_path):
    out = io.StringIO()
    call_command(
        "import_annotations",
        str(RECORDED / "export.json"),
        project=project.slug,
        format="labelstudio",
        user=owner.username,
        stdout=out,
    )
    assert "3 documents created" in out.getvalue()
    assert stored(project) == expected()


def glossa_results(tasks: list[dict[str, Any]]) -> Counter:
    """(text, type, start, end, value text, labels) of every result."""
    found: Counter = Counter()
    for task in tasks:
        for annotation in task["annotations"]:
            for r in annotation["result"]:
                v = r["value"]
                found[
                    (
                        task["data"]["text"],
                        r["from_name"],
                        r["type"],
                        v["start"],
                        v["end"],
                        json.dumps(v["text"], ensure_ascii=False),
                        tuple(v.get("labels", ())),
                    )
                ] += 1
    return found


def test_label_studio_kept_glossas_export_unchanged():
    """What Label Studio 1.23.2 did with Glossa's file: config valid, every
    task and region accepted and read back on the same text (the check the
    recording script made), and its own export holds the same results."""
    check = load("glossa_export_check.json")
    assert check["label_studio"] == "1.23.2"
    assert check["config_validation_status"] == 204
    assert check["tasks_imported"] == check["tasks_in_file"] == 6
    assert check["spans_read_back"] == check["spans_in_file"] == 14
    assert check["highlights_shown"] == 14
    assert check["problems"] == check["ui_problems"] == []
    mine, theirs = (
        load("glossa_export.json"),
        load("glossa_export_via_labelstudio.json"),
    )
    assert glossa_results(theirs) == glossa_results(mine)
    assert sum(glossa_results(mine).values()) == 15  # 14 regions and a note


def test_glossas_export_comes_back_from_label_studio(project, owner):
    """Label Studio's export of Glossa's file, imported into a new project:
    the same spans, tags and note as Glossa's own file gives."""
    theirs = import_file("glossa_export_via_labelstudio.json", project, owner)
    other = project_create(name="Direct", slug="direct", created_by=owner)
    mine = import_file("glossa_export.json", other, owner)
    assert theirs.annotations_created == mine.annotations_created == 14
    assert stored(project) == stored(other)
    note = Annotation.objects.get(project=project, note__startswith="Which strike")
    assert set(note.tags.values_list("key", flat=True)) == {
        "official_claim",
        "casualty_figure",
    }
    assert note.quote == "the dinghy capsized after the strike"


def test_the_config_label_studio_validated_is_what_glossa_writes(project):
    """A project with the default taxonomy gets the labelling config that
    Label Studio 1.23.2 validated (same tags, colours and tags' order)."""
    assert labelstudio_config(project) == (RECORDED / "glossa_config.xml").read_text(
        encoding="utf-8"
    )


def regions(tasks: list[dict[str, Any]]) -> Counter:
    """(text, start, end, quote, labels, note) per region: a ``labels``
    result joined with the per-region ``textarea`` of the same id."""
    found: Counter = Counter()
    for task in tasks:
        for annotation in task["annotations"]:
            notes = {
                r["id"]: "\n".join(r["value"]["text"])
                for r in annotation["result"]
                if r["type"] == "textarea"
            }
            for r in annotation["result"]:
                if r["type"] != "labels":
                    continue
                v = r["value"]
                found[
                    (
                        task["data"]["text"],
                        v["start"],
                        v["end"],
                        v["text"],
                        frozenset(v["labels"]),
                        notes.get(r["id"], ""),
                    )
                ] += 1
    return found


def test_two_labels_and_notes_made_in_label_studios_ui(project, owner):
    """Recorded in the UI of a project with Glossa's config: a region with
    two labels is one annotation with both tags, a per-region note is the
    annotation's note, and Glossa's export gives back the same regions."""
    recorded = load("ui_glossa_config.json")
    want = regions(recorded)
    assert sum(want.values()) == 5
    assert sum(1 for r in want if len(r[4]) == 2) == 2
    assert sum(1 for r in want if r[5]) == 3
    for text, start, end, quote, *_ in want:
        assert text[start:end] == quote
    result = import_file("ui_glossa_config.json", project, owner)
    assert (result.documents_created, result.annotations_created) == (2, 5)
    by_quote = {
        a.quote: a
        for a in Annotation.objects.filter(project=project).prefetch_related("tags")
    }
    assert set(
        by_quote["14 people were killed"].tags.values_list("key", flat=True)
    ) == {
        "casualty_figure",
        "official_claim",
    }
    assert (
        by_quote["14 people were killed"].note
        == "Cifra del ministerio \u2014 sin pruebas."
    )
    assert by_quote["Professor"].note == "Name withheld in the notes."
    exported = json.loads(b"".join(stream_labelstudio(project)))
    assert regions(exported) == want
    again = import_file("ui_glossa_config.json", project, owner)
    assert (again.documents_created, again.annotations_created) == (0, 0)


def test_glossas_results_as_label_studio_predictions(project, owner):
    """Glossa's results sent to Label Studio as predictions and exported in
    a snapshot with predictions whole: a task without annotations is read
    from its predictions, so the same spans and note arrive."""
    tasks = load("glossa_predictions_via_labelstudio.json")
    assert all(not task["annotations"] for task in tasks)
    result = import_file("glossa_predictions_via_labelstudio.json", project, owner)
    assert (result.documents_created, result.annotations_created) == (6, 14)
    assert result.refused == []
    other = project_create(name="Direct", slug="direct", created_by=owner)
    import_file("glossa_export.json", other, owner)
    assert stored(project) == stored(other)
    assert (
        Annotation.objects.filter(project=project, note__contains="strike").count() == 1
    )


def test_predictions_listed_by_id_are_reported_not_dropped(project, owner):
    """Label Studio's plain JSON export lists predictions by id only: the
    texts are imported and each such task is reported as refused, naming
    it, instead of passing as a task with no spans."""
    tasks = load("glossa_predictions_plain_export.json")
    with_ids = [t for t in tasks if t["predictions"]]
    assert len(with_ids) == 4
    assert all(isinstance(p, int) for t in with_ids for p in t["predictions"])
    result = import_file("glossa_predictions_plain_export.json", project, owner)
    assert (result.documents_created, result.annotations_created) == (6, 0)
    assert len(result.refused) == 4
    for item, reason in result.refused:
        assert item.startswith("item ") and "predictions [" in item
        assert "listed by id only" in reason
