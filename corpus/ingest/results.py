"""What an ingestion reports: one ``Outcome`` per file, record or URL (plain
successes of a large upload counted in ``StoredRun`` objects)."""

from __future__ import annotations

from array import array
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


KEEP_OUTCOMES = 1000
"""Outcomes listed one by one before plain successes are only counted."""


class StoredRun:
    """Documents stored with nothing to say about them (no near-duplicate,
    no warning), past the first ``KEEP_OUTCOMES`` outcomes of an ingestion:
    counted, with their ids (8 bytes each) and the first and last names,
    instead of one outcome each, so that a 50,000-post export does not hold
    50,000 outcomes. Failures, duplicates and stored documents with a
    message are always listed one by one."""

    __slots__ = ("first", "ids", "last")

    status = STORED
    message = ""
    document = None
    document_id = None

    def __init__(self, name: str) -> None:
        self.first = name
        self.last = name
        self.ids = array("q")

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def name(self) -> str:
        if self.count == 1:
            return self.first
        return f"{self.first} … {self.last} ({self.count:,} records)"

    def add(self, name: str, document_id: int) -> None:
        self.last = name
        self.ids.append(document_id)

    def release(self) -> None:
        """Nothing to let go of (see ``Outcome.release``)."""

    def report(self) -> dict[str, Any]:
        low, high = min(self.ids), max(self.ids)
        return {
            "name": self.name,
            "status": STORED,
            "document": None,
            "count": self.count,
            "first_document": low,
            "last_document": high,
            "message": f"{self.count:,} documents stored, ids {low} to {high}.",
        }

    def __repr__(self) -> str:
        return f"StoredRun({self.first!r} … {self.last!r}, {self.count})"


@dataclass
class IngestResult:
    """Per-item outcomes of one ingestion, plus the analysis job it queued.

    ``outcomes`` lists each file, record or URL, except that plain
    successes past the first ``KEEP_OUTCOMES`` are folded into
    ``StoredRun`` objects (use ``add`` to record an outcome); ``stored``,
    ``documents`` and ``total`` count every item."""

    outcomes: list[Outcome | StoredRun] = field(default_factory=list)
    job: Job | None = None

    def add(self, outcome: Outcome | StoredRun) -> None:
        """Record one outcome (a plain success past ``KEEP_OUTCOMES`` is
        folded into the current run)."""
        if (
            isinstance(outcome, Outcome)
            and outcome.status == STORED
            and not outcome.message
            and outcome.document_id is not None
            and len(self.outcomes) >= KEEP_OUTCOMES
        ):
            last = self.outcomes[-1]
            if not isinstance(last, StoredRun):
                last = StoredRun(outcome.name)
                self.outcomes.append(last)
            last.add(outcome.name, outcome.document_id)
            return
        self.outcomes.append(outcome)

    @property
    def total(self) -> int:
        """How many items (files, records, URLs) the ingestion reported on."""
        return sum(o.count if isinstance(o, StoredRun) else 1 for o in self.outcomes)

    @property
    def stored(self) -> int:
        """How many documents were stored."""
        return sum(
            o.count if isinstance(o, StoredRun) else 1
            for o in self.outcomes
            if o.status == STORED
        )

    @property
    def documents(self) -> list[Document]:
        # Stored and duplicate outcomes always carry their document; a run's
        # documents come as instances holding their id (columns load on use).
        found: list[Document] = []
        for o in self.outcomes:
            if isinstance(o, StoredRun):
                found.extend(Document.from_db(None, ["id"], [pk]) for pk in o.ids)
            elif o.status == STORED:
                found.append(cast(Document, o.document))
        return found

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
        for outcome in other.outcomes:
            if isinstance(outcome, StoredRun):
                self.outcomes.append(outcome)
            else:
                self.add(outcome)

    def as_report(self) -> dict[str, Any]:
        """JSON summary for ``Job.report`` and the CLI."""
        return {
            "stored": self.stored,
            "duplicates": len(self.duplicates),
            "failed": len(self.errors),
            "items": [
                o.report()
                if isinstance(o, StoredRun)
                else {
                    "name": o.name,
                    "status": o.status,
                    "document": o.document_id,
                    "message": o.message,
                }
                for o in self.outcomes
            ],
        }
