"""Checks of an archive's content that hashes alone cannot make.

The manifest's SHA-256s catch a changed byte, but whoever edits an archive
can re-hash the manifest too. Two checks tie the rows to the history:

* every object's history must be a continuous chain — each entry's
  ``before`` equal to the previous entry's ``after`` — the rule
  ``audit.selectors.history_replay`` applies to a live database; a dropped
  or edited entry breaks it;
* a chain must start with the object's creation (``before`` empty), so
  dropping the first entry shows too;
* an annotation must be its last recorded state (every field but the
  timestamps): rewriting offsets, quote and prefix in ``annotations.jsonl``
  without forging the history, or dropping its latest entry, is caught.

Both run on the archive's rows before anything is written.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from projects.errors import ApplicationError

# Written by auto_now and saved after the snapshot is taken: not compared.
UNRECORDED = {"created_at", "updated_at"}


class IntegrityProblem(ApplicationError):
    """The archive's rows and history disagree."""


def _chains(history: Iterable[dict[str, Any]]) -> dict[tuple, list[dict]]:
    chains: dict[tuple, list[dict]] = {}
    for row in history:
        key = (row.get("object_type"), row.get("object_id"))
        chains.setdefault(key, []).append(row)
    for entries in chains.values():
        entries.sort(key=lambda e: (str(e.get("at") or ""), e.get("id") or 0))
    return chains


def check_history(
    history: Iterable[dict[str, Any]], annotations: Iterable[dict[str, Any]]
) -> None:
    """Raise ``IntegrityProblem`` naming the first object whose history has
    a gap, or whose stored span is not its last recorded state."""
    chains = _chains(history)
    for (object_type, object_id), entries in chains.items():
        if entries[0].get("before") is not None:
            raise IntegrityProblem(
                f"history.jsonl: the history of {object_type} {object_id} does not "
                f"start with its creation (the first entry, of {entries[0].get('at')}, "
                "has a 'before'): an entry was dropped."
            )
        for previous, entry in itertools.pairwise(entries):
            before = entry.get("before")
            if before is not None and before != previous.get("after"):
                raise IntegrityProblem(
                    f"history.jsonl: the history of {object_type} {object_id} has "
                    f"a gap before the entry of {entry.get('at')} (its 'before' is "
                    "not the previous 'after'): an entry was dropped or changed."
                )
    for row in annotations:
        chain = chains.get(("annotation", row.get("id")))
        if not chain:
            continue
        last = chain[-1].get("after")
        if last is None:
            raise IntegrityProblem(
                f"annotations.jsonl: annotation {row.get('id')} is present but its "
                "history ends with its deletion."
            )
        for name in sorted(set(last) - UNRECORDED):
            if row.get(name) != last[name]:
                raise IntegrityProblem(
                    f"annotations.jsonl: annotation {row.get('id')} has {name} "
                    f"{row.get(name)!r}, but its last recorded state in "
                    f"history.jsonl has {last[name]!r}: the row was rewritten or a "
                    "history entry was dropped."
                )
