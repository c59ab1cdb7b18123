"""CSV export: the rows of ``tabular`` as UTF-8 CSV (with a BOM for Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from exchange.exports.base import Progress, no_progress
from exchange.exports.tabular import rows
from projects.models import Project
from projects.spreadsheets import spreadsheet_safe


def stream_csv(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    for row in rows(project, progress):
        writer.writerow([spreadsheet_safe(value) for value in row])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
