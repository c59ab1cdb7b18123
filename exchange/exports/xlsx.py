"""XLSX export with openpyxl's write-only mode.

Write-only workbooks stream rows to a temporary file, so memory stays
flat; the finished file is then streamed out in chunks.

Every text cell is typed as text (an inline string with the ``@`` number
format), so a value such as ``=HYPERLINK(...)``, ``+1``, ``@SUM`` or one
starting with a TAB or CR is shown as written and never run as a formula:
unlike the CSV (``projects.spreadsheets.spreadsheet_safe``), nothing is
prefixed, so the cell holds the exact quote. The header row is frozen and
carries filters.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exchange.exports.base import Progress, no_progress
from exchange.exports.tabular import rows
from projects.models import Project

READ_CHUNK = 1 << 16
MAX_CELL = 32767  # Excel's limit on characters per cell
HEADER_FONT = Font(bold=True)


def text_cell(sheet: WriteOnlyWorksheet, value: object) -> Cell:
    """A cell for ``value``: strings typed as text, never as formulas.

    Control characters XLSX cannot hold become U+FFFD (openpyxl would
    refuse the whole file), and text past Excel's cell limit is cut with
    an ellipsis.
    """
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl types "=..." as a formula otherwise
    cell.number_format = "@"
    return cell


def stream_xlsx(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Glossa")
    sheet.freeze_panes = "A2"
    width = count = 0
    for row in rows(project, progress):
        cells = [text_cell(sheet, value) for value in row]
        if count == 0:
            width = len(cells)
            for cell in cells:
                cell.font = HEADER_FONT
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{count}"
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(READ_CHUNK):
            yield chunk
