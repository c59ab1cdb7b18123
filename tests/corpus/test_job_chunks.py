"""How an upload's documents are split into analysis tasks (``corpus.jobs.chunks``)."""

from __future__ import annotations

import pytest

from corpus.jobs import ANALYSIS_CHUNK, MAX_CHUNK, chunks


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        (0, []),
        (7, [7]),
        (ANALYSIS_CHUNK, [ANALYSIS_CHUNK]),
        (40, [20, 20]),
        (64, [32, 32]),  # was 24 + 24 + 16: one of two workers did 40
        (72, [18, 18, 18, 18]),
        (120, [30, 30, 30, 30]),
    ],
)
def test_sizes(count, sizes):
    assert [len(part) for part in chunks(list(range(count)))] == sizes


def test_every_id_once_in_order_in_an_even_number_of_equal_chunks():
    for count in range(ANALYSIS_CHUNK + 1, 1500):
        ids = list(range(1000, 1000 + count))
        parts = chunks(ids)
        sizes = [len(part) for part in parts]
        assert [i for part in parts for i in part] == ids
        assert len(parts) % 2 == 0, (count, sizes)
        assert max(sizes) <= MAX_CHUNK and max(sizes) - min(sizes) <= 1, sizes
