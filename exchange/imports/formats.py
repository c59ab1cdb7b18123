"""The span-import formats by key, for the CLI, the API and the web."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from exchange.imports.common import ImportResult
from exchange.imports.spans import import_spans
from exchange.imports.w3c import import_w3c

# Key -> (label, importer); an importer takes the file and keyword arguments.
IMPORTERS: dict[str, tuple[str, Callable[..., ImportResult]]] = {
    "doccano": ("doccano JSONL", partial(import_spans, tool="doccano")),
    "labelstudio": (
        "Label Studio JSON/JSONL",
        partial(import_spans, tool="labelstudio"),
    ),
    "w3c": ("W3C Web Annotation JSON-LD", import_w3c),
}
