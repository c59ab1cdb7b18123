"""Shared plumbing for Glossa's data-driven spaCy components.

Each component keeps its patterns as plain data (``self.data``), builds its
matchers from them in ``_build`` and serialises only that data, the way
spaCy's own ``span_ruler`` does: ``initialize(data=...)`` replaces the data,
``to_disk``/``from_disk`` and ``to_bytes``/``from_bytes`` round-trip it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

DATA_FILE = "data.json"
# Guillemets are how Spanish (and French) texts quote.
QUOTES = ['"', "\u201c", "\u201d", "\u00ab", "\u00bb"]

# Results of Glossa's components on a Doc (plain lists and dicts).
for _name in (
    "glossa_quantities",
    "glossa_attributions",
    "glossa_voice",
    "glossa_context",  # a corpus.nlp.context.DocumentContext, set by the caller
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class DataComponent:
    """A pipeline component configured by one JSON-serialisable dict."""

    def __init__(self, nlp: Language, name: str, *, data: dict[str, Any]) -> None:
        self.nlp = nlp
        self.name = name
        self.data = data
        self._build()

    def _build(self) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def initialize(self, get_examples=None, *, nlp=None, data=None) -> None:
        """Replace the component's data (e.g. a project's own patterns)."""
        if data is not None:
            self.data = data
            self._build()

    def to_bytes(self, *, exclude=()) -> bytes:
        return srsly.json_dumps(self.data).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude=()):
        self.data = srsly.json_loads(data.decode("utf-8"))
        self._build()
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / DATA_FILE, self.data)

    def from_disk(self, path, *, exclude=()):
        self.data = srsly.read_json(Path(path) / DATA_FILE)
        self._build()
        return self
