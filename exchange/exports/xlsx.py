"""XLSX export with openpyxl's write-only mode.

Write-only workbooks stream rows to a temporary file, so memory stays
flat; the finished file is then streamed out in chunks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from openpyxl import Workbook

from exchange.exports.base import Progress, no_progress
from exchange.exports.tabular import rows
from projects.models import Project
from projects.spreadsheets import spreadsheet_safe

READ_CHUNK = 1 << 16
MAX_CELL = 32767  # Excel's limit on characters per cell


def _cell(value: object) -> object:
    value = spreadsheet_safe(value)
    if isinstance(value, str) and len(value) > MAX_CELL:
        return value[: MAX_CELL - 1] + "…"
    return value


def stream_xlsx(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Glossa")
    for row in rows(project, progress):
        sheet.append([_cell(value) for value in row])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(READ_CHUNK):
            yield chunk
