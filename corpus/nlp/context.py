"""What the pipeline knows about a document before reading it.

The text alone cannot say whose forces acted or who published it, yet both
decide claimant types: "the ministry said" is the acting government in one
project and another government in the next; an unattributed sentence in an
NGO's release speaks as that NGO. Callers (analysis jobs, ``suggest``, the
evaluation) build a ``DocumentContext`` from the document's source and its
project's settings and hand it to ``analyse_texts``; components read it from
``doc._.glossa_context`` (``None`` = nothing known, infer from the text).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The source kinds of ``corpus.models.SourceKind``, repeated here because
# this package must not import Django models; ``tests/corpus`` checks that
# the two lists agree.
SOURCE_KINDS = (
    "outlet",
    "wire",
    "government",
    "military",
    "un_body",
    "ngo",
    "court",
    "social",
    "academic",
    "other",
)
# What kind of document it is (``corpus.models.DocumentKind`` plus the dev
# set's ``op_ed``): an outlet's op-ed speaks as a columnist, not a reporter.
DOCUMENT_KINDS = (
    "article",
    "statement",
    "social",
    "report",
    "transcript",
    "other",
    "op_ed",
)


@dataclass(frozen=True)
class DocumentContext:
    """Publisher, acting state(s) and language of one document.

    ``source_kind`` is one of ``SOURCE_KINDS`` or ``""`` (unknown: the
    pipeline infers the voice from the text); ``acting_states`` names the
    states whose forces used force (a project setting), in any case;
    ``document_kind`` is one of ``DOCUMENT_KINDS`` or ``""``.
    """

    source_kind: str = ""
    source_name: str = ""
    acting_states: tuple[str, ...] = field(default_factory=tuple)
    lang: str = "en"
    document_kind: str = ""
    voice_claimant: str = ""
    """Who speaks in the document's own sentences when the caller knows it
    (a social post: the registered account holder, else its display name)."""
    voice_claimant_type: str = ""
    """That speaker's claimant type (a registered account's); "" = infer."""

    def __post_init__(self) -> None:
        from corpus.nlp.validation import CLAIMANT_TYPES

        if self.voice_claimant_type and self.voice_claimant_type not in CLAIMANT_TYPES:
            raise ValueError(
                f"Unknown claimant type {self.voice_claimant_type!r}; expected one "
                f"of {', '.join(CLAIMANT_TYPES)}."
            )
        if self.source_kind and self.source_kind not in SOURCE_KINDS:
            raise ValueError(
                f"Unknown source kind {self.source_kind!r}; expected one of "
                f"{', '.join(SOURCE_KINDS)}."
            )
        if self.document_kind and self.document_kind not in DOCUMENT_KINDS:
            raise ValueError(
                f"Unknown document kind {self.document_kind!r}; expected one of "
                f"{', '.join(DOCUMENT_KINDS)}."
            )
        object.__setattr__(
            self,
            "acting_states",
            tuple(s.strip() for s in self.acting_states if s.strip()),
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["acting_states"] = list(self.acting_states)
        # Left out when empty, so stored contexts of documents that have
        # no known speaker stay equal (and current) after this field came.
        for key in ("voice_claimant", "voice_claimant_type"):
            if not data[key]:
                del data[key]
        return data
