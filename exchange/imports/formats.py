"""The span-import formats by key, for the CLI, the API and the web.

doccano's two offset units are two keys, so every interface offers them
without an extra option: ``doccano`` (UTF-16 code units, doccano's
default) and ``doccano-graphemes`` (its grapheme mode).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from exchange.imports.brat import import_brat
from exchange.imports.common import ImportResult
from exchange.imports.hypothesis import import_hypothesis
from exchange.imports.inception import import_inception
from exchange.imports.spans import import_spans
from exchange.imports.w3c import import_w3c

# Key -> (label, importer); an importer takes the file and keyword arguments.
IMPORTERS: dict[str, tuple[str, Callable[..., ImportResult]]] = {
    "doccano": (
        "doccano sequence labelling JSONL (UTF-16 offsets, doccano's default)",
        partial(import_spans, tool="doccano", unit="utf16"),
    ),
    "doccano-graphemes": (
        "doccano JSONL from a project counting grapheme clusters",
        partial(import_spans, tool="doccano", unit="grapheme"),
    ),
    "labelstudio": (
        "Label Studio JSON/JSONL tasks",
        partial(import_spans, tool="labelstudio"),
    ),
    "prodigy": ("Prodigy JSONL", partial(import_spans, tool="prodigy")),
    "brat": ("BRAT standoff (.txt + .ann in a zip)", import_brat),
    "hypothesis": ("Hypothesis annotation JSON", import_hypothesis),
    "inception": ("INCEpTION UIMA CAS XMI (zip with TypeSystem.xml)", import_inception),
    "w3c": ("W3C Web Annotation JSON-LD", import_w3c),
}
# Formats that place annotations on documents Glossa holds (no text of their
# own): they accept a ``document`` that overrides each annotation's source.
ANCHORED = ("w3c", "hypothesis")
