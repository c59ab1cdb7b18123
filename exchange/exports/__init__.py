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
from exchange.exports.brat import stream_brat
from exchange.exports.claimreview import stream_claimreview
from exchange.exports.csv_export import stream_csv
from exchange.exports.docbin import stream_docbin
from exchange.exports.doccano import stream_doccano, stream_doccano_graphemes
from exchange.exports.hypothesis import stream_hypothesis
from exchange.exports.inception import stream_inception
from exchange.exports.jsonl import stream_jsonl
from exchange.exports.labelstudio import stream_labelstudio, stream_labelstudio_config
from exchange.exports.prodigy import stream_prodigy
from exchange.exports.w3c import stream_w3c
from exchange.exports.xlsx import stream_xlsx
from projects.models import Project, Role

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
            "doccano",
            "doccano sequence labelling (JSONL)",
            "application/jsonl",
            "doccano.jsonl",
            stream_doccano,
            "text + label [[start, end, TAG]] in UTF-16 units, doccano's default.",
        ),
        ExportFormat(
            "doccano-graphemes",
            "doccano sequence labelling, grapheme mode (JSONL)",
            "application/jsonl",
            "doccano.jsonl",
            stream_doccano_graphemes,
            "The same, offsets in grapheme clusters (doccano's grapheme mode).",
        ),
        ExportFormat(
            "labelstudio",
            "Label Studio tasks (JSON)",
            "application/json",
            "labelstudio.json",
            stream_labelstudio,
            "Tasks with annotations; import after setting the labelling config.",
        ),
        ExportFormat(
            "labelstudio-config",
            "Label Studio labelling config (XML)",
            "application/xml",
            "labelstudio.xml",
            stream_labelstudio_config,
            "The Labeling Interface for the project's tags.",
        ),
        ExportFormat(
            "prodigy",
            "Prodigy (JSONL)",
            "application/jsonl",
            "prodigy.jsonl",
            stream_prodigy,
            "text, tokens and spans per document (answer: accept).",
        ),
        ExportFormat(
            "brat",
            "BRAT standoff (zip)",
            "application/zip",
            "brat.zip",
            stream_brat,
            ".txt + .ann per document and annotation.conf.",
        ),
        ExportFormat(
            "hypothesis",
            "Hypothesis annotation JSON",
            "application/json",
            "hypothesis.json",
            stream_hypothesis,
            "Rows with quote and UTF-16 position selectors on the text representation.",
        ),
        ExportFormat(
            "inception",
            "INCEpTION UIMA CAS XMI (zip)",
            "application/zip",
            "inception.zip",
            stream_inception,
            "One .xmi per document and TypeSystem.xml (layer GlossaSpan).",
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


def export_role(key: str, project: Project | None = None) -> str:
    """The role an export needs: the full archive (originals, history) is the
    owner's; every other format any member may download, except in a
    blind-mode project, where exports (everyone's annotations, claims and
    assessments) are for reviewers and owners: those working blind see only
    their own work, and an export would show them everyone's."""
    if key == "archive":
        return Role.OWNER
    if project is not None and project.blind_mode:
        return Role.REVIEWER
    return Role.VIEWER
