"""Near-duplicates by MinHash over word 5-gram shingles, with LSH banding.

Jaccard similarity of shingle sets is estimated by the share of equal
MinHash values. Signatures are split into ``BANDS`` bands of ``ROWS``
values; two texts sharing a band become candidates (with 32 bands of 4
rows: probability 0.87 at Jaccard 0.5, 0.9998 at 0.7, 0.05 at 0.2). The
candidates sharing the most bands (at most ``MAX_CANDIDATES`` per document)
are confirmed with the full signature against ``THRESHOLD``, so the cost
per document stays bounded however large the project grows.

The signature is computed in a streaming, fixed-size way: the text is
tokenised ``SEGMENT`` characters at a time, shingle hashes are folded into
the running minimum in blocks of ``BLOCK``. Memory is one segment's words
plus ``PERMUTATIONS x BLOCK`` integers (4 MB) whatever the text's length;
an earlier version built a ``PERMUTATIONS x n-grams`` matrix (4.7 GB for a
16.7 M-character text, measured). The values
are the same: a minimum does not depend on how the inputs are grouped, and
repeated shingles do not change it.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Iterator

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
BLOCK = 4096
SEGMENT = 1 << 20  # characters of text tokenised at a time
_PRIME = np.uint64(4294967311)  # smallest prime above 2**32
_MAX = np.iinfo(np.uint64).max
_rng = np.random.default_rng(20250304)
_A = _rng.integers(1, 2**31, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 2**31, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def _fold(minimum: np.ndarray, hashes: np.ndarray) -> None:
    # (a*x + b) mod p for each permutation; a, x < 2**32 so no overflow.
    values = (np.outer(_A, hashes) + _B[:, None]) % _PRIME
    np.minimum(minimum, values.min(axis=1), out=minimum)


def _words(text: str) -> Iterator[list[str]]:
    """The lower-cased words of ``text``, in lists of about ``SEGMENT`` characters.

    Each segment ends at whitespace, so no word is cut in two.
    """
    start = 0
    while start < len(text):
        end = min(start + SEGMENT, len(text))
        if end < len(text):
            space = text.rfind(" ", start, end)
            newline = text.rfind("\n", start, end)
            cut = max(space, newline)
            end = cut + 1 if cut > start else end
        yield _WORD.findall(text[start:end].lower())
        start = end


def signature(text: str) -> list[int] | None:
    """MinHash signature of the word 5-grams, or None for very short texts."""
    if len(text) < SEGMENT and len(_WORD.findall(text.lower())) < SHINGLE * 2:
        return None  # one segment, too few words: nothing to hash
    minimum = np.full(PERMUTATIONS, _MAX, dtype=np.uint64)
    tail: list[str] = []
    words = 0
    for segment in _words(text):
        words += len(segment)
        window = tail + segment
        hashes = [
            zlib.crc32(" ".join(window[i : i + SHINGLE]).encode())
            for i in range(len(window) - SHINGLE + 1)
        ]
        tail = window[-(SHINGLE - 1) :]
        for start in range(0, len(hashes), BLOCK):
            block = hashes[start : start + BLOCK]
            _fold(minimum, np.fromiter(block, dtype=np.uint64, count=len(block)))
    if words < SHINGLE * 2:
        return None
    return minimum.tolist()


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


def fingerprint_rows(
    documents: list[tuple[Document, list[int]]],
) -> tuple[list[DocumentFingerprint], list[FingerprintBand]]:
    """The fingerprint and band rows of stored documents, for ``bulk_create``."""
    prints = [
        DocumentFingerprint(
            document=document,
            project_id=document.project_id,
            scheme=SCHEME,
            signature=sig,
        )
        for document, sig in documents
    ]
    bands = [
        FingerprintBand(
            project_id=document.project_id, document=document, band=band, value=value
        )
        for document, sig in documents
        for band, value in enumerate(band_values(sig))
    ]
    return prints, bands


def write_fingerprints(documents: list[tuple[Document, list[int]]]) -> None:
    """Store the signatures and bands of ``documents`` in two bulk inserts."""
    if not documents:
        return
    if connection.vendor == "postgresql":
        # Signatures and 32 band rows per document as arrays through unnest,
        # not as model instances, whose construction and SQL compilation cost
        # more than the insert itself (a 10,000-post export writes 320,000
        # bands). The arrays go as PostgreSQL array literals built here: the
        # driver's own list adaptation costs seconds per 10,000 documents.
        # Only integers and the scheme's constant name enter the literals.
        ids = _array([d.pk for d, _ in documents])
        projects = _array([d.project_id for d, _ in documents])
        # Each signature's JSON text ("[1, 2]": digits, commas, spaces) quoted
        # as one element of a jsonb[] literal.
        signatures = "{" + ",".join(
            f'"{json.dumps([int(v) for v in sig])}"' for _, sig in documents
        )
        columns: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
        for document, sig in documents:
            for band, value in enumerate(band_values(sig)):
                columns[0].append(document.project_id)
                columns[1].append(document.pk)
                columns[2].append(band)
                columns[3].append(value)
        print_table = DocumentFingerprint._meta.db_table
        band_table = FingerprintBand._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {print_table} "  # noqa: S608 (no user input in names)
                "(document_id, project_id, scheme, signature) "
                "SELECT d, p, %s, s FROM unnest(CAST(%s AS bigint[]), "
                "CAST(%s AS bigint[]), CAST(%s AS jsonb[])) AS u(d, p, s)",
                [SCHEME, ids, projects, signatures + "}"],
            )
            cursor.execute(
                f"INSERT INTO {band_table} (project_id, document_id, band, value) "  # noqa: S608 (no user input in names)
                "SELECT * FROM unnest(CAST(%s AS bigint[]), CAST(%s AS bigint[]), "
                "CAST(%s AS smallint[]), CAST(%s AS bigint[]))",
                [_array(column) for column in columns],
            )
        return
    prints, bands = fingerprint_rows(documents)
    DocumentFingerprint.objects.bulk_create(prints, batch_size=1000)
    FingerprintBand.objects.bulk_create(bands, batch_size=5000)


def _array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers (``int()`` refuses anything else)."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"


def band_matches(project_id: int, values: set[int]) -> dict[int, list[int]]:
    """Band value -> documents of the project having it (one indexed query).

    Plain SQL because this runs once per stored chunk with thousands of
    values, where the ORM's query building costs more than the query.
    """
    if not values:
        return {}
    table = FingerprintBand._meta.db_table
    found: dict[int, list[int]] = {}
    if connection.vendor == "postgresql":
        # One array parameter, not thousands of placeholders to parse.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT value, document_id FROM {table} "  # noqa: S608 (no user input in names)
                "WHERE project_id = %s AND value = ANY(CAST(%s AS bigint[]))",
                [project_id, _array(values)],
            )
            for value, document_id in cursor.fetchall():
                found.setdefault(value, []).append(document_id)
        return found
    placeholders = ", ".join(["%s"] * len(values))
    sql = (
        f"SELECT value, document_id FROM {table} "  # noqa: S608 (no user input in names)
        f"WHERE project_id = %s AND value IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id, *values])
        for value, document_id in cursor.fetchall():
            found.setdefault(value, []).append(document_id)
    return found


def top_candidates(
    bands: list[int], matches: dict[int, list[int]], exclude: set[int]
) -> list[int]:
    """The documents sharing the most bands with ``bands`` (ties: oldest first)."""
    counts: dict[int, int] = {}
    for value in bands:
        for document_id in matches.get(value, ()):
            if document_id not in exclude:
                counts[document_id] = counts.get(document_id, 0) + 1
    return sorted(counts, key=lambda d: (-counts[d], d))[:MAX_CANDIDATES]


def signatures_of(document_ids: set[int]) -> dict[int, list[int]]:
    """Stored signatures of the given documents (one query)."""
    if not document_ids:
        return {}
    return dict(
        DocumentFingerprint.objects.filter(
            document_id__in=document_ids, scheme=SCHEME
        ).values_list("document_id", "signature")
    )


def best_match(
    sig: list[int], candidates: list[tuple[int, list[int]]]
) -> tuple[int, float] | None:
    """The lowest key among ``candidates`` at or above ``THRESHOLD``, with its score."""
    best: tuple[int, float] | None = None
    for key, other in candidates:
        score = similarity(sig, other)
        if score >= THRESHOLD and (best is None or key < best[0]):
            best = (key, score)
    return best
