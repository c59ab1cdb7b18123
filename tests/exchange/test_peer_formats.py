"""doccano and Label Studio files shaped like the tools' own exports,
imported span by span and exported back (fixtures: data/peers/README.md).

The expected quotes are cut from each file with the tool's own unit
(UTF-16 slices of the encoded text, or the quote Label Studio stored),
never with Glossa's converter, so a wrong conversion cannot pass.
"""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile
from pathlib import Path

import pytest

from annotations.models import Annotation
from corpus.models import Document
from corpus.services import document_create
from exchange.exports.doccano import stream_doccano, stream_doccano_graphemes
from exchange.exports.labelstudio import labelstudio_config, stream_labelstudio
from exchange.imports.common import ImportRefused
from exchange.imports.spans import import_spans
from exchange.units import Unit
from projects.services import project_create

pytestmark = pytest.mark.django_db

PEERS = Path(__file__).parent / "data" / "peers"


def lines(name: str) -> list[dict]:
    text = (PEERS / name).read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def utf16_slice(text: str, start: int, end: int) -> str:
    """What JavaScript's ``text.slice(start, end)`` returns."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def expected_from_doccano_utf16() -> set[tuple[str, str]]:
    return {
        (nfc(utf16_slice(line["text"], s, e)), label)
        for line in lines("doccano_utf16.jsonl")
        for s, e, label in line["label"]
    }


def stored_spans(project) -> set[tuple[str, str]]:
    """(quote, tag) of every annotation, checked against the stored text."""
    spans = set()
    for a in Annotation.objects.filter(project=project).select_related("document"):
        assert a.document.text[a.start : a.end] == a.quote
        for key in a.tags.values_list("key", flat=True):
            spans.add((a.quote, key))
    return spans


def open_peer(name: str):
    return (PEERS / name).open("rb")


def test_the_fixtures_exercise_the_units():
    """Reading these files as code points would misplace spans: most spans
    come after an emoji, a flag, a supplementary CJK character or a
    decomposed accent."""
    wrong = 0
    total = 0
    for line in lines("doccano_utf16.jsonl"):
        for s, e, _ in line["label"]:
            total += 1
            wrong += line["text"][s:e] != utf16_slice(line["text"], s, e)
    assert total == 12 and wrong >= 6


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("doccano", "doccano_utf16.jsonl"),
        ("doccano", "doccano_relations.jsonl"),
        ("doccano-graphemes", "doccano_graphemes.jsonl"),
    ],
)
def test_doccano_exports_land_span_by_span(project, owner, fmt, name):
    unit: Unit = "grapheme" if fmt == "doccano-graphemes" else "utf16"
    with open_peer(name) as handle:
        result = import_spans(
            handle, tool="doccano", unit=unit, project=project, user=owner
        )
    assert (result.documents_created, result.annotations_created) == (3, 12)
    assert stored_spans(project) == expected_from_doccano_utf16()
    # doccano spreads an example's meta into the line: kept as metadata
    document = Document.objects.get(project=project, title__startswith="Update")
    assert document.metadata["meta"]["source"] == "field notes/2025"


@pytest.mark.parametrize("name", ["labelstudio.json", "labelstudio_old_utf16.json"])
def test_label_studio_exports_land_span_by_span(project, owner, name):
    """Current Label Studio counts code points; older versions counted
    UTF-16 units, recovered because ``value.text`` is only there."""
    tasks = json.loads((PEERS / name).read_text(encoding="utf-8"))
    expected = {
        (r["value"]["text"], r["value"]["labels"][0])
        for task in tasks
        for r in task["annotations"][0]["result"]
    }
    with open_peer(name) as handle:
        result = import_spans(handle, tool="labelstudio", project=project, user=owner)
    assert (result.documents_created, result.annotations_created) == (3, 12)
    assert stored_spans(project) == {(nfc(q), k) for q, k in expected}
    assert stored_spans(project) == expected_from_doccano_utf16()


def test_doccano_round_trip_gives_back_the_same_offsets(project, owner):
    """Import doccano's file, export for doccano: every span comes back at
    the same UTF-16 offsets wherever Glossa stored the text unchanged; the
    text with a decomposed accent is stored composed (NFC), so there the
    offsets move by the one unit the accent lost and the quotes stay."""
    with open_peer("doccano_utf16.jsonl") as handle:
        import_spans(handle, tool="doccano", project=project, user=owner)
    exported = [json.loads(x) for x in b"".join(stream_doccano(project)).splitlines()]
    originals = {nfc(line["text"]): line for line in lines("doccano_utf16.jsonl")}
    exact = 0
    for line in exported:
        original = originals[line["text"]]
        if original["text"] == line["text"]:
            assert line["label"] == original["label"]
            exact += len(line["label"])
        got = {(utf16_slice(line["text"], s, e), k) for s, e, k in line["label"]}
        want = {
            (nfc(utf16_slice(original["text"], s, e)), k)
            for s, e, k in original["label"]
        }
        assert got == want
        assert set(line) >= {"id", "text", "label", "Comments"}
    assert exact == 8  # 2 of 3 texts are stored exactly as doccano had them
    graphemes = [
        json.loads(x) for x in b"".join(stream_doccano_graphemes(project)).splitlines()
    ]
    by_text = {nfc(line["text"]): line for line in lines("doccano_graphemes.jsonl")}
    for line in graphemes:
        if by_text[line["text"]]["text"] == line["text"]:
            assert line["label"] == by_text[line["text"]]["label"]


def test_label_studio_round_trip_and_reimport(project, owner):
    with open_peer("labelstudio.json") as handle:
        import_spans(handle, tool="labelstudio", project=project, user=owner)
    exported = b"".join(stream_labelstudio(project))
    tasks = json.loads(exported)
    results = [r for t in tasks for a in t["annotations"] for r in a["result"]]
    assert len(results) == 12
    for task in tasks:
        for r in task["annotations"][0]["result"]:
            value = r["value"]
            assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
            assert (r["from_name"], r["to_name"], r["type"]) == (
                "label",
                "text",
                "labels",
            )
    # Into another project: the same 12 spans, created from the export alone.
    other = project_create(name="Copy", slug="copy", created_by=owner)
    result = import_spans(
        io.BytesIO(exported), tool="labelstudio", project=other, user=owner
    )
    assert result.annotations_created == 12
    assert stored_spans(other) == stored_spans(project)
    # Into the same project: documents reused, nothing duplicated.
    again = import_spans(
        io.BytesIO(exported), tool="labelstudio", project=project, user=owner
    )
    assert (again.documents_created, again.documents_reused) == (0, 3)
    assert (again.annotations_created, again.annotations_skipped) == (0, 12)


def test_label_studio_config_lists_every_tag(project):
    config = labelstudio_config(project)
    keys = set(project.tags.values_list("key", flat=True))
    for key in keys:
        assert f'<Label value="{key}"' in config
    assert '<Text name="text" value="$text"/>' in config
    assert '<Labels name="label" toName="text" choice="multiple">' in config


def test_a_quote_mismatch_names_the_span_and_writes_nothing(project, owner):
    tasks = json.loads((PEERS / "labelstudio.json").read_text(encoding="utf-8"))
    tasks[2]["annotations"][0]["result"][1]["value"]["text"] = "These are lawful."
    with pytest.raises(ImportRefused) as refused:
        import_spans(
            io.BytesIO(json.dumps(tasks).encode()),
            tool="labelstudio",
            project=project,
            user=owner,
        )
    message = refused.value.message
    assert "item 3, result r2x1Qz" in message and "'These are lawful.'" in message
    assert "Nothing was imported" in message
    assert not Document.objects.filter(project=project).exists()
    assert not Annotation.objects.filter(project=project).exists()


def test_a_doccano_offset_inside_an_emoji_is_refused(project, owner):
    line = lines("doccano_utf16.jsonl")[0]
    ship = line["text"].index("\U0001f6a2")  # code points = UTF-16 units here
    line["label"].append([ship + 1, ship + 4, "official_claim"])
    with pytest.raises(ImportRefused, match=r"span 5 \[8, 11, .*surrogate pair"):
        import_spans(
            io.BytesIO(json.dumps(line).encode()),
            tool="doccano",
            project=project,
            user=owner,
        )
    assert not Document.objects.filter(project=project).exists()


def test_documents_glossa_holds_are_reused_not_copied(project, owner):
    """A document ingested from other bytes (an HTML page) is matched by
    its normalised text's hash when doccano sends back the text."""
    line = lines("doccano_utf16.jsonl")[1]
    held = document_create(
        project=project,
        original=b"<html><body><p>" + line["text"].encode() + b"</p></body></html>",
        text=line["text"],
        original_name="page.html",
        media_type="text/html",
        captured_by=owner,
    )
    with open_peer("doccano_utf16.jsonl") as handle:
        result = import_spans(handle, tool="doccano", project=project, user=owner)
    assert (result.documents_created, result.documents_reused) == (2, 1)
    assert Document.objects.filter(project=project).count() == 3
    assert Annotation.objects.filter(document=held).count() == 4
    assert stored_spans(project) == expected_from_doccano_utf16()


def test_doccano_zip_as_downloaded(project, owner):
    """doccano hands its export out as a zip holding all.jsonl."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(PEERS / "doccano_utf16.jsonl", "all.jsonl")
    buffer.seek(0)
    result = import_spans(buffer, tool="doccano", project=project, user=owner)
    assert result.annotations_created == 12
    assert stored_spans(project) == expected_from_doccano_utf16()
