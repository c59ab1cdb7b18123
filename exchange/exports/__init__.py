"""Exports of a project, one module per format; each streams bytes.

``FORMATS`` maps a format key to its ``ExportFormat`` (label, media type,
file extension and the generator). Every generator is called as
``stream(project, progress=..., base_url=...)`` and yields ``bytes``.
``export_response`` streams one as a download for the page and the API.
"""

from __future__ import annotations

from django.http import StreamingHttpResponse

from exchange.exports.archive import stream_archive
from exchange.exports.base import ExportFormat
from exchange.exports.claimreview import stream_claimreview
from exchange.exports.csv_export import stream_csv
from exchange.exports.docbin import stream_docbin
from exchange.exports.jsonl import stream_jsonl
from exchange.exports.w3c import stream_w3c
from exchange.exports.xlsx import stream_xlsx
from projects.models import Role

FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in [
        ExportFormat(
            "w3c",
            "W3C Web Annotation (JSON-LD)",
            "application/ld+json",
            "jsonld",
            stream_w3c,
            "Annotations with quote and position selectors (Hypothesis-style tools).",
        ),
        ExportFormat(
            "csv",
            "CSV",
            "text/csv",
            "csv",
            stream_csv,
            "One row per annotation and per claim, with quote and source.",
        ),
        ExportFormat(
            "xlsx",
            "Excel workbook (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            stream_xlsx,
            "The CSV rows as a spreadsheet.",
        ),
        ExportFormat(
            "jsonl",
            "JSON Lines",
            "application/jsonl",
            "jsonl",
            stream_jsonl,
            "One line per document with its text and annotations.",
        ),
        ExportFormat(
            "docbin",
            "spaCy DocBin",
            "application/octet-stream",
            "spacy",
            stream_docbin,
            "Annotations as spans (group 'sc') for spacy train.",
        ),
        ExportFormat(
            "claimreview",
            "schema.org ClaimReview (JSON-LD)",
            "application/ld+json",
            "claimreview.jsonld",
            stream_claimreview,
            "Reviewed claims (with assessments) for publication.",
        ),
        ExportFormat(
            "archive",
            "Full project archive (zip)",
            "application/zip",
            "glossa.zip",
            stream_archive,
            "Everything, with originals and hashes; imports into another Glossa.",
        ),
    ]
}

__all__ = ["FORMATS", "ExportFormat"]


def export_response(project, key: str, *, base_url: str) -> StreamingHttpResponse:
    """A streaming download of one export (shared by the API and the page)."""
    export = FORMATS[key]
    response = StreamingHttpResponse(
        export.stream(project, base_url=base_url), content_type=export.media_type
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{export.filename(project)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_role(key: str) -> str:
    """The role an export needs: the full archive (originals, history) is the
    owner's; every other format any member may download."""
    return Role.OWNER if key == "archive" else Role.VIEWER
