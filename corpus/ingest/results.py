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


@dataclass
class Outcome:
    """What happened to one file, record or archive member."""

    name: str
    status: str
    document: Document | None = None
    message: str = ""


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
                    "document": o.document.pk if o.document else None,
                    "message": o.message,
                }
                for o in self.outcomes
            ],
        }
