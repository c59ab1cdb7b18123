"""Ingestion also works on the embedded SQLite default (not marked postgres)."""

from __future__ import annotations

from corpus.ingest import ingest_batch
from tests.corpus.ingest.conftest import ARTICLE, ARTICLE_REWRITE, OTHER_ARTICLE


def test_batch_with_duplicate_and_near_duplicate_on_any_database(project, analyst):
    files = [
        ("wire.txt", ARTICLE.encode()),
        ("copy.txt", ARTICLE.encode()),
        ("outlet.txt", ARTICLE_REWRITE.encode()),
        ("other.txt", OTHER_ARTICLE.encode()),
    ]
    result = ingest_batch(project=project, files=files, user=analyst, analyse=False)
    stored = {d.original_name: d for d in result.documents}
    assert sorted(stored) == ["other.txt", "outlet.txt", "wire.txt"]
    assert [name for name, _ in result.duplicates] == ["copy.txt"]
    # Found within the same batch, before the fingerprints were written.
    assert stored["outlet.txt"].near_duplicate_of == stored["wire.txt"]
    assert stored["other.txt"].near_duplicate_of is None
    later = ingest_batch(
        project=project,
        files=[("again.txt", (ARTICLE_REWRITE + " Updated.").encode())],
        user=analyst,
        analyse=False,
    )
    # Found from the stored fingerprints in a later batch.
    assert later.documents[0].near_duplicate_of == stored["wire.txt"]
