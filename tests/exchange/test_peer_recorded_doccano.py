"""Files the real doccano 1.8.4 exported, imported into Glossa and back.

The files under data/peers/recorded/doccano/ were written by doccano itself
(spans selected in its web UI, offsets computed by its front end, export by
its Celery worker; see the README there). These tests need no doccano: they
read only those files. Expected quotes are cut from doccano's UTF-16 file by
slicing the UTF-16 encoding (what JavaScript's ``slice`` does), never with
Glossa's converter; the grapheme-mode file must land on the same quotes.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from annotations.models import Annotation
from corpus.models import Document
from exchange.exports.doccano import stream_doccano
from exchange.imports.spans import import_spans
from exchange.units import Unit
from tests.exchange.test_peer_formats import nfc, stored_spans, utf16_slice

pytestmark = pytest.mark.django_db

RECORDED = Path(__file__).parent / "data" / "peers" / "recorded" / "doccano"
MODES: dict[str, Unit] = {"utf16": "utf16", "graphemes": "grapheme"}


def recorded(mode: str) -> list[dict]:
    text = (RECORDED / f"doccano_{mode}_all.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines() if x.strip()]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def expected_spans() -> set[tuple[str, str]]:
    """(quote, label) of every span doccano stored, cut with its own unit."""
    return {
        (nfc(utf16_slice(line["text"], s, e)), label)
        for line in recorded("utf16")
        for s, e, label in line["label"]
    }


def source(mode: str, packed: str):
    """The recorded file as doccano wrote it: its zip, or all.jsonl from it."""
    if packed == "zip":
        return (RECORDED / f"doccano_{mode}_export.zip").open("rb")
    return (RECORDED / f"doccano_{mode}_all.jsonl").open("rb")


def test_the_recorded_files_are_what_doccano_exported():
    for mode in MODES:
        with zipfile.ZipFile(RECORDED / f"doccano_{mode}_export.zip") as archive:
            assert archive.namelist() == ["all.jsonl"]
            inside = archive.read("all.jsonl")
        assert inside == (RECORDED / f"doccano_{mode}_all.jsonl").read_bytes()
        lines = recorded(mode)
        assert len(lines) == 3 and sum(len(x["label"]) for x in lines) == 12
        assert all(set(x) >= {"id", "text", "label", "Comments"} for x in lines)
    # Read as code points, at least half of doccano's spans would be misplaced.
    misplaced = sum(
        line["text"][s:e] != utf16_slice(line["text"], s, e)
        for line in recorded("utf16")
        for s, e, _ in line["label"]
    )
    assert misplaced >= 6
    # The same texts in both projects; one holds a decomposed accent.
    texts = [x["text"] for x in recorded("utf16")]
    assert texts == [x["text"] for x in recorded("graphemes")]
    assert any(nfc(t) != t for t in texts)


@pytest.mark.parametrize("packed", ["jsonl", "zip"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_doccanos_export_lands_span_by_span(project, owner, mode, packed):
    with source(mode, packed) as handle:
        result = import_spans(
            handle, tool="doccano", unit=MODES[mode], project=project, user=owner
        )
    assert (result.documents_created, result.annotations_created) == (3, 12)
    assert not result.refused
    assert stored_spans(project) == expected_spans()
    document = Document.objects.get(project=project, title__startswith="Update")
    assert document.metadata["meta"]["source"] == "field notes/2025"


def expected_offset(text: str, offset: int, unit: Unit) -> int:
    """doccano's offset moved by what NFC removed before it (Glossa stores
    the text composed; a grapheme cluster survives composition whole)."""
    if unit == "grapheme":
        return offset
    head = utf16_slice(text, 0, offset)
    return offset - (utf16_length(head) - utf16_length(nfc(head)))


@pytest.mark.parametrize("mode", sorted(MODES))
def test_export_back_gives_doccanos_offsets(project, owner, mode):
    unit = MODES[mode]
    with source(mode, "jsonl") as handle:
        import_spans(handle, tool="doccano", unit=unit, project=project, user=owner)
    exported = [
        json.loads(x) for x in b"".join(stream_doccano(project, unit=unit)).splitlines()
    ]
    by_text = {nfc(line["text"]): line for line in recorded(mode)}
    assert len(exported) == 3
    compared = exact = 0
    for line in exported:
        original = by_text[line["text"]]
        want = sorted(
            [
                expected_offset(original["text"], s, unit),
                expected_offset(original["text"], e, unit),
                label,
            ]
            for s, e, label in original["label"]
        )
        assert line["label"] == want, line["text"]
        compared += len(want)
        recorded_labels = sorted(original["label"])
        exact += sum(
            a == b for a, b in zip(line["label"], recorded_labels, strict=True)
        )
        assert "glossa_widened" not in line
    assert compared == 12
    # UTF-16: the text with e + U+0301 is stored composed, one unit shorter
    # before its 4 spans; graphemes count the accent as one either way.
    assert exact == (12 if unit == "grapheme" else 8)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_reimport_duplicates_no_document(project, owner, mode):
    unit = MODES[mode]
    with source(mode, "jsonl") as handle:
        import_spans(handle, tool="doccano", unit=unit, project=project, user=owner)
    # doccano's file again, as its zip this time
    with source(mode, "zip") as handle:
        again = import_spans(
            handle, tool="doccano", unit=unit, project=project, user=owner
        )
    assert (again.documents_created, again.documents_reused) == (0, 3)
    assert (again.annotations_created, again.annotations_skipped) == (0, 12)
    # Glossa's own export of it, and the other mode's recording of the same spans
    exported = b"".join(stream_doccano(project, unit=unit))
    back = import_spans(
        io.BytesIO(exported), tool="doccano", unit=unit, project=project, user=owner
    )
    other = "graphemes" if mode == "utf16" else "utf16"
    with source(other, "jsonl") as handle:
        crossed = import_spans(
            handle, tool="doccano", unit=MODES[other], project=project, user=owner
        )
    for result in (back, crossed):
        assert (result.documents_created, result.documents_reused) == (0, 3)
        assert (result.annotations_created, result.annotations_skipped) == (0, 12)
    assert Document.objects.filter(project=project).count() == 3
    assert Annotation.objects.filter(project=project).count() == 12
    assert stored_spans(project) == expected_spans()
