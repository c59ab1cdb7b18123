"""Near-duplicates by MinHash over word 5-gram shingles, with LSH banding.

Jaccard similarity of shingle sets is estimated by the share of equal
MinHash values. Signatures are split into ``BANDS`` bands of ``ROWS``
values; two texts sharing a band become candidates (with 32 bands of 4
rows: probability 0.87 at Jaccard 0.5, 0.9998 at 0.7, 0.05 at 0.2). The
candidates sharing the most bands (at most ``MAX_CANDIDATES``, counted by
the database) are confirmed with the full signature against ``THRESHOLD``,
so the cost per document stays bounded however large the project grows.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
from django.db import connection

from corpus.models import Document, DocumentFingerprint, FingerprintBand

SCHEME = "minhash128-w5-v1"
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5
THRESHOLD = 0.5
MAX_CANDIDATES = 20
_PRIME = np.uint64(4294967311)  # smallest prime above 2**32
_rng = np.random.default_rng(20250304)
_A = _rng.integers(1, 2**31, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def signature(text: str) -> list[int] | None:
    """MinHash signature of the word 5-grams, or None for very short texts."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE * 2:
        return None
    shingles = {
        zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
        for i in range(len(words) - SHINGLE + 1)
    }
    hashes = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    # (a*x + b) mod p for each permutation; a, x < 2**32 so no overflow.
    values = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    return values.min(axis=1).tolist()


def band_values(sig: list[int]) -> list[int]:
    """One hash per band, band number in bits 32+ (fits a bigint column)."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS]
        digest = zlib.crc32(repr(chunk).encode()) | (band << 32)
        out.append(digest)
    return out


def similarity(a: list[int], b: list[int]) -> float:
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


class PendingFingerprints:
    """Fingerprints of documents stored in the current batch, not yet written.

    They are written in two bulk inserts when the batch ends (``flush``), and
    meanwhile searched in memory, so a near-duplicate inside the same batch
    is found too.
    """

    def __init__(self) -> None:
        self.items: list[tuple[Document, list[int]]] = []
        self.by_band: dict[int, list[int]] = {}

    def add(self, document: Document, sig: list[int]) -> None:
        index = len(self.items)
        self.items.append((document, sig))
        for value in band_values(sig):
            self.by_band.setdefault(value, []).append(index)

    def candidates(self, bands: list[int], exclude: set[int]) -> list[tuple[int, list]]:
        counts: dict[int, int] = {}
        for value in bands:
            for index in self.by_band.get(value, ()):
                counts[index] = counts.get(index, 0) + 1
        best = sorted(counts, key=lambda i: (-counts[i], i))[:MAX_CANDIDATES]
        return [
            (self.items[i][0].pk, self.items[i][1])
            for i in best
            if self.items[i][0].pk not in exclude
        ]

    def flush(self) -> None:
        if not self.items:
            return
        DocumentFingerprint.objects.bulk_create(
            DocumentFingerprint(
                document=document,
                project_id=document.project_id,
                scheme=SCHEME,
                signature=sig,
            )
            for document, sig in self.items
        )
        FingerprintBand.objects.bulk_create(
            (
                FingerprintBand(
                    project_id=document.project_id,
                    document=document,
                    band=band,
                    value=value,
                )
                for document, sig in self.items
                for band, value in enumerate(band_values(sig))
            ),
            batch_size=5000,
        )
        self.items.clear()
        self.by_band.clear()


def _candidate_ids(project_id: int, bands: list[int], exclude: set[int]) -> set[int]:
    """Documents sharing the most bands with ``bands`` (one indexed query).

    Plain SQL because this runs once per ingested document and the ORM's
    query building costs more than the query itself.
    """
    table = FingerprintBand._meta.db_table
    values = ", ".join(["%s"] * len(bands))
    sql = (
        f"SELECT document_id FROM {table} "  # noqa: S608 (no user input in names)
        f"WHERE project_id = %s AND value IN ({values}) "
        "GROUP BY document_id ORDER BY COUNT(*) DESC, document_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, *bands, MAX_CANDIDATES + len(exclude)])
        found = [row[0] for row in cursor.fetchall()]
    return {doc_id for doc_id in found if doc_id not in exclude}


def find_near_duplicate(
    *,
    project,
    sig: list[int],
    exclude: set[int] | None = None,
    pending: PendingFingerprints | None = None,
) -> tuple[Document | None, float]:
    """The earliest document in ``project`` whose text is a near-duplicate."""
    exclude = exclude or set()
    # Each band value carries its band number in its high bits, so one IN
    # query over (project, value) finds documents sharing any band.
    bands = band_values(sig)
    candidate_ids = _candidate_ids(project.pk, bands, exclude)
    signatures: list[tuple[int, list]] = []
    if candidate_ids:
        signatures = list(
            DocumentFingerprint.objects.filter(
                document_id__in=candidate_ids, scheme=SCHEME
            ).values_list("document_id", "signature")
        )
    if pending is not None:
        signatures += pending.candidates(bands, exclude)
    best: tuple[int, float] | None = None
    for doc_id, other in signatures:
        score = similarity(sig, other)
        if score >= THRESHOLD and (best is None or doc_id < best[0]):
            best = (doc_id, score)
    if best is None:
        return None, 0.0
    return Document.objects.get(pk=best[0]), best[1]
