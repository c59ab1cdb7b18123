"""Reading the real-text dev set (``corpus/nlp/devset``) against its cache.

The repository holds no text of the dev set's documents: ``manifest.jsonl``
says where each text was found (and its SHA-256), ``labels.jsonl`` gives per
sentence unit a fingerprint (its first six whitespace-separated words) and
the labels. The texts themselves are in a cache outside the repository
(``$DEVSET_CACHE`` or ``var/devset-cache``; corpus/nlp/devset/README.md says
how to fill it). This module joins the three into ``DevText`` objects whose
units carry character offsets, so that ``annotations.evaluation`` can score
predictions on them exactly as it scores the fictional gold sets.

A unit runs from its fingerprint to the next unit's fingerprint (trailing
whitespace excluded); the last runs to the end of the text. A missing cache
file is reported and the text skipped; a text whose SHA-256 differs (the
stored page changed) is kept and flagged, and any unit whose fingerprint is
no longer found is dropped and reported, never silently scored.

Kept out of ``corpus/nlp`` on purpose: it is evaluation data handling, and
only needs the pipeline's ``DocumentContext``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.analysis import context_build
from corpus.nlp.context import DocumentContext

SEGMENTS = ("headline", "body")


class DevsetError(ValueError):
    """A dev-set file is missing or malformed; the message names it."""


@dataclass
class Unit:
    """One labelled sentence unit, located in the cached text."""

    index: int
    fingerprint: str
    start: int
    end: int
    segment: str
    tags: list[str]
    claimant: str
    claimant_type: str
    numbers: list[dict[str, Any]]

    def as_gold(self) -> dict[str, Any]:
        """The unit in the shape the gold scorer uses for a sentence."""
        return {
            "start": self.start,
            "end": self.end,
            "segment": self.segment,
            "tags": self.tags,
            "claimant": self.claimant,
            "claimant_type": self.claimant_type,
            "numbers": self.numbers,
        }


@dataclass
class DevText:
    """One dev-set text: its manifest entry, cached text and located units."""

    id: str
    entry: dict[str, Any]
    text: str
    sha256_ok: bool
    units: list[Unit] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return str(self.entry.get("lang") or "en")

    def context(self) -> DocumentContext:
        """What the pipeline is told about the text (as ingestion would)."""
        state = self.entry.get("acting_state") or ""
        states = state if isinstance(state, list) else [state]
        return context_build(
            source_kind=str(self.entry.get("source_kind") or ""),
            source_name=str(self.entry.get("source_name") or ""),
            acting_states=tuple(str(s) for s in states),
            lang=self.lang,
            document_kind=str(self.entry.get("kind") or ""),
        )


@dataclass
class DevSet:
    texts: list[DevText]
    missing: list[str]  # ids whose cache file is absent
    problems: list[str]  # every other thing worth a reader's attention

    @property
    def changed(self) -> list[str]:
        return [t.id for t in self.texts if not t.sha256_ok]


def default_cache() -> Path:
    """``$DEVSET_CACHE``, else ``var/devset-cache`` under the project root."""
    env = os.environ.get("DEVSET_CACHE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "var" / "devset-cache"


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise DevsetError(f"No such file: {path}")
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DevsetError(
                    f"{path.name}, line {number}: not JSON ({exc.msg})."
                ) from exc
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise DevsetError(f"{path.name}, line {number}: needs an 'id' string.")
            rows.append(row)
    return rows


def _bounded(text: str, at: int, length: int) -> bool:
    before_ok = at == 0 or text[at - 1].isspace()
    after = at + length
    return before_ok and (after == len(text) or text[after].isspace())


def fingerprint_find(text: str, fingerprint: str, cursor: int) -> int:
    """Where ``fingerprint`` starts at or after ``cursor``, or -1.

    A fingerprint is whole words, so a match standing between whitespace
    (or the text's ends) is preferred: a one-word fingerprint such as "1"
    must not be found inside "2019". A glued match ("said.The") is the
    fallback.
    """
    if not fingerprint:
        return -1
    at = text.find(fingerprint, cursor)
    first = at
    while at >= 0:
        if _bounded(text, at, len(fingerprint)):
            return at
        at = text.find(fingerprint, at + 1)
    return first


def units_locate(
    text: str, sentences: list[dict[str, Any]]
) -> tuple[list[Unit], list[str]]:
    """Units with offsets, and the fingerprints that could not be found."""
    starts: list[tuple[int, int, dict[str, Any]]] = []
    lost: list[str] = []
    cursor = 0
    for index, sentence in enumerate(sentences):
        fingerprint = str(sentence.get("fingerprint") or "")
        at = fingerprint_find(text, fingerprint, cursor)
        if at < 0:
            lost.append(fingerprint)
            continue
        starts.append((index, at, sentence))
        cursor = at + max(1, len(fingerprint))
    units = []
    for n, (index, at, sentence) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(text)
        while end > at and text[end - 1].isspace():
            end -= 1
        segment = sentence.get("segment")
        units.append(
            Unit(
                index=index,
                fingerprint=str(sentence.get("fingerprint")),
                start=at,
                end=end,
                segment=segment if segment in SEGMENTS else "body",
                tags=list(sentence.get("tags") or []),
                claimant=str(sentence.get("claimant") or ""),
                claimant_type=str(sentence.get("claimant_type") or ""),
                numbers=list(sentence.get("numbers") or []),
            )
        )
    return units, lost


def devset_load(
    directory: Path | str,
    cache: Path | str | None = None,
    *,
    lang: str | None = None,
    labels: str = "labels.jsonl",
) -> DevSet:
    """The dev set's texts found in ``cache``, optionally of one language."""
    directory = Path(directory)
    cache = default_cache() if cache is None else Path(cache)
    manifest = {row["id"]: row for row in _jsonl(directory / "manifest.jsonl")}
    texts: list[DevText] = []
    missing: list[str] = []
    problems: list[str] = []
    for row in _jsonl(directory / labels):
        key = row["id"]
        entry = manifest.get(key)
        if entry is None:
            problems.append(f"{key}: labelled but not in the manifest; skipped")
            continue
        if lang and entry.get("lang") != lang:
            continue
        path = cache / f"{key}.txt"
        if not path.is_file():
            missing.append(key)
            continue
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{key}: {path} is not UTF-8; skipped")
            continue
        sentences = row.get("sentences")
        if not isinstance(sentences, list):
            problems.append(f"{key}: labels have no 'sentences' list; skipped")
            continue
        devtext = DevText(
            id=key,
            entry=entry,
            text=text,
            sha256_ok=hashlib.sha256(raw).hexdigest() == entry.get("text_sha256"),
        )
        try:
            devtext.context()
        except ValueError as exc:
            problems.append(f"{key}: {exc} Skipped.")
            continue
        devtext.units, devtext.lost = units_locate(text, sentences)
        if not devtext.sha256_ok:
            problems.append(f"{key}: the cached text's SHA-256 differs (scored)")
        if devtext.lost:
            problems.append(
                f"{key}: {len(devtext.lost)} unit(s) not found and not scored: "
                + "; ".join(repr(f) for f in devtext.lost[:3])
            )
        texts.append(devtext)
    return DevSet(texts=texts, missing=missing, problems=problems)
