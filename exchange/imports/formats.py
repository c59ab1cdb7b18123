"""The span-import formats by key, for the CLI, the API and the web."""

from __future__ import annotations

from functools import partial

from exchange.imports.spans import import_spans
from exchange.imports.w3c import import_w3c

IMPORTERS = {
    "doccano": ("doccano JSONL", partial(import_spans, tool="doccano")),
    "labelstudio": (
        "Label Studio JSON/JSONL",
        partial(import_spans, tool="labelstudio"),
    ),
    "w3c": ("W3C Web Annotation JSON-LD", import_w3c),
}
