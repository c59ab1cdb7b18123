"""Reads of the corpus: the one document search.

Every search of documents (the document list, ``/api/search/``) goes through
``documents_search``: on PostgreSQL it matches the stored ``search_vector``
(GIN index, see the corpus migrations) and ranks a bounded candidate set; on
SQLite, the embedded default, it falls back to ``icontains``.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from corpus.models import Document

SEARCH_CANDIDATES = 1000
TSQUERY = "websearch_to_tsquery('english', %s)"


def documents_search(
    queryset: QuerySet[Document], query: str
) -> tuple[QuerySet[Document] | RankedDocuments, bool]:
    """Documents of ``queryset`` matching ``query``, best first.

    Returns (results, truncated): ``truncated`` says more than
    ``SEARCH_CANDIDATES`` documents matched and only that many were ranked.
    The results never load document bodies.
    """
    query = query.strip()
    if connection.vendor == "postgresql":
        ranked = _documents_ranked_ids(queryset, query)
        truncated = len(ranked) > SEARCH_CANDIDATES
        return RankedDocuments(ranked[:SEARCH_CANDIDATES]), truncated
    matches = queryset.filter(Q(title__icontains=query) | Q(text__icontains=query))
    return matches.without_bodies().select_related("source"), False


def _documents_ranked_ids(queryset: QuerySet[Document], query: str) -> list[int]:
    """Ids of at most SEARCH_CANDIDATES + 1 matches, best first, in one query.

    The inner query (all other filters + the GIN match) stops after the
    bound; only those rows are ranked, reading their stored tsvector.
    """
    inner = (
        queryset.extra(  # noqa: S610 (bound parameters, fixed SQL)
            select={"sv": "corpus_document.search_vector"},
            where=[f"corpus_document.search_vector @@ {TSQUERY}"],
            params=[query],
        )
        .order_by()
        .values("pk", "published_at", "sv")[: SEARCH_CANDIDATES + 1]
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.pk FROM ({sql}) c ORDER BY ts_rank(c.sv, {TSQUERY}) DESC, "  # noqa: S608
            "c.published_at DESC NULLS LAST, c.pk DESC",
            [*params, query],
        )
        return [row[0] for row in cursor.fetchall()]


class RankedDocuments:
    """Ranked search results that a Paginator slices: the ids are known, the
    rows (without bodies) are fetched one page at a time, in rank order."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        chunk = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        rows = (
            Document.objects.filter(pk__in=chunk)
            .without_bodies()
            .select_related("source")
            .in_bulk()
        )
        found = [rows[pk] for pk in chunk if pk in rows]
        return found if isinstance(index, slice) else found[0]
