"""CSV and XLSX exports opened as a spreadsheet would: no cell runs as a
formula (= + - @, leading TAB or CR), XLSX cells are typed text holding the
exact value, the header is frozen with filters, and tags come by key and
by name in their own columns."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from annotations.models import Tag
from tests.exchange.test_exports import export
from tests.factories import make_annotation

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_notes(rich_project, owner):
    document = rich_project["documents"][1]
    words = document.text.split()
    return [
        make_annotation(document, owner, word, tags=["official_claim"], note=note)
        for word, note in zip(words, HOSTILE, strict=False)
    ]


def _csv_rows(project) -> list[dict[str, str]]:
    text = export(project, "csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_defuses_every_formula_start(rich_project, hostile_notes):
    notes = {r["note"] for r in _csv_rows(rich_project["project"])}
    for note in HOSTILE:
        assert "'" + note in notes, note
        assert note not in notes


def test_xlsx_cells_are_text_with_the_exact_value(rich_project, hostile_notes):
    data = export(rich_project["project"], "xlsx")
    sheet = load_workbook(io.BytesIO(data))["Glossa"]
    header = [c.value for c in sheet[1]]
    note_col = header.index("note") + 1
    cells = {
        sheet.cell(row=r, column=note_col).value: sheet.cell(row=r, column=note_col)
        for r in range(2, sheet.max_row + 1)
    }
    for note in HOSTILE:
        cell = cells[note]  # the value itself, no quote added
        assert cell.data_type == "s" and cell.number_format == "@", note
    # No formula anywhere in the file.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")
    assert sheet.freeze_panes == "A2"
    last = get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    assert all(c.font.b for c in sheet[1])


def test_tag_keys_and_names_each_have_a_column(rich_project):
    project = rich_project["project"]
    Tag.objects.filter(project=project, key="official_claim").update(
        name="Official claim (renamed)"
    )
    rows = _csv_rows(project)
    first = rows[0]
    assert first["tags"] == "official_claim"
    assert first["tag_names"] == "Official claim (renamed)"
    sheet = load_workbook(io.BytesIO(export(project, "xlsx")), read_only=True)["Glossa"]
    header, row = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert row[header.index("tags")] == "official_claim"
    assert row[header.index("tag_names")] == "Official claim (renamed)"


def test_xlsx_keeps_text_a_spreadsheet_cannot_hold_visible(rich_project, owner):
    document = rich_project["documents"][1]
    make_annotation(
        document, owner, document.text.split()[0], note="bell\x07 and vt\x0b here"
    )
    sheet = load_workbook(
        io.BytesIO(export(rich_project["project"], "xlsx")), read_only=True
    )["Glossa"]
    values = {v for row in sheet.iter_rows(values_only=True) for v in row}
    assert "bell\ufffd and vt\ufffd here" in values
