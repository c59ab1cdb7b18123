"""What an ingestion reports: one ``Outcome`` per file, record or URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from corpus.models import (
    Document,
    Job,
)

STORED = "stored"


DUPLICATE = "duplicate"


FAILED = "failed"


class Outcome:
    """What happened to one file, record or archive member.

    Slotted, and able to let go of its document (``release``) and keep only
    its id: an upload of 50,000 posts then holds 50,000 small outcomes, not
    50,000 documents. A released outcome's ``document`` is a fresh instance
    whose columns load on first access."""

    __slots__ = ("_document", "document_id", "message", "name", "status")

    def __init__(
        self,
        name: str,
        status: str,
        document: Document | None = None,
        message: str = "",
    ) -> None:
        self.name = name
        self.status = status
        self.message = message
        self.document = document

    @property
    def document(self) -> Document | None:
        if self._document is None and self.document_id is not None:
            return Document.from_db(None, ["id"], [self.document_id])
        return self._document

    @document.setter
    def document(self, document: Document | None) -> None:
        self._document = document
        self.document_id = document.pk if document is not None else None

    def release(self) -> None:
        """Keep the document's id only."""
        self._document = None

    def __repr__(self) -> str:
        return (
            f"Outcome({self.name!r}, {self.status!r}, document={self.document_id}, "
            f"message={self.message!r})"
        )


@dataclass
class IngestResult:
    """Per-item outcomes of one ingestion, plus the analysis job it queued."""

    outcomes: list[Outcome] = field(default_factory=list)
    job: Job | None = None

    @property
    def documents(self) -> list[Document]:
        # Stored and duplicate outcomes always carry their document.
        return [cast(Document, o.document) for o in self.outcomes if o.status == STORED]

    @property
    def duplicates(self) -> list[tuple[str, Document]]:
        return [
            (o.name, cast(Document, o.document))
            for o in self.outcomes
            if o.status == DUPLICATE
        ]

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(o.name, o.message) for o in self.outcomes if o.status == FAILED]

    def extend(self, other: IngestResult) -> None:
        self.outcomes.extend(other.outcomes)

    def as_report(self) -> dict[str, Any]:
        """JSON summary for ``Job.report`` and the CLI."""
        return {
            "stored": len(self.documents),
            "duplicates": len(self.duplicates),
            "failed": len(self.errors),
            "items": [
                {
                    "name": o.name,
                    "status": o.status,
                    "document": o.document_id,
                    "message": o.message,
                }
                for o in self.outcomes
            ],
        }
