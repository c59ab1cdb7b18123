"""Reads of the corpus: the one document search, the stored analysis as
the document page shows it (``document_analysis_summary``), and one
document with its reader's role (``document_for_member``).

Every search of documents (the document list, ``/api/search/``) goes through
``documents_search``: on PostgreSQL it matches the stored ``search_vector``
(GIN index, see the corpus migrations) and ranks a bounded candidate set; on
SQLite, the embedded default, it falls back to ``icontains``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Collate, Left, Substr

from corpus.models import Document, DocumentAnalysis
from corpus.models.documents import DocumentQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SEARCH_CANDIDATES = 1000
TSQUERY = "websearch_to_tsquery('english', %s)"
# The prefix of the text that ``search_vector`` indexes (migration 0003):
# headlines are cut from the same characters, so a headline always shows a
# passage the match was found in, and ts_headline never parses megabytes.
SEARCH_CHARS = 250_000
# On SQLite, where there is no headline, the opening of the text stands in.
FALLBACK_HEADLINE_CHARS = 200


def documents_search(
    queryset: DocumentQuerySet, query: str, *, headlines: bool = False
) -> tuple[QuerySet[Document] | RankedDocuments, bool]:
    """Documents of ``queryset`` matching ``query``, best first.

    Returns (results, truncated): ``truncated`` says more than
    ``SEARCH_CANDIDATES`` documents matched and only that many were ranked.
    The results never load document bodies. With ``headlines``, every row
    also carries ``rank`` and ``headline`` (the matching passage, matches
    marked with « »), computed only for the rows actually fetched (one page),
    never for the whole candidate set.
    """
    query = query.strip()
    if connection.vendor == "postgresql":
        ranked = _documents_ranked_ids(queryset, query)
        truncated = len(ranked) > SEARCH_CANDIDATES
        results = RankedDocuments(
            ranked[:SEARCH_CANDIDATES], headline_query=query if headlines else None
        )
        return results, truncated
    matches = queryset.filter(Q(title__icontains=query) | Q(text__icontains=query))
    matches = matches.without_bodies().select_related("project", "source")
    if headlines:
        matches = matches.annotate(
            rank=Value(1.0, output_field=FloatField()),
            headline=Substr(F("text"), 1, FALLBACK_HEADLINE_CHARS),
        )
    return matches, False


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
    rows (without bodies) are fetched one page at a time, in rank order.

    With a ``headline_query`` (PostgreSQL only), each fetched row is
    annotated with ``rank`` (``ts_rank`` of the stored vector, the value the
    ids were ordered by) and ``headline`` in the same query.
    """

    def __init__(self, ids: list[int], *, headline_query: str | None = None) -> None:
        self.ids = ids
        self.headline_query = headline_query

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int | slice) -> Document | list[Document]:
        chunk = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        rows: QuerySet[Document] = (
            Document.objects.filter(pk__in=chunk)
            .without_bodies()
            .select_related("project", "source")
        )
        if self.headline_query is not None:
            rows = _with_rank_and_headline(rows, self.headline_query)
        by_pk = rows.in_bulk()
        found = [by_pk[pk] for pk in chunk if pk in by_pk]
        return found if isinstance(index, slice) else found[0]


def _with_rank_and_headline(rows: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Annotate rows with the rank and the headline of ``query``.

    Costly per row (``ts_headline`` re-parses the text), so only ever applied
    to one page of ids.
    """
    tsquery = SearchQuery(query, search_type="websearch", config="english")
    vector = RawSQL(
        "corpus_document.search_vector", (), output_field=SearchVectorField()
    )
    return rows.annotate(
        rank=SearchRank(vector, tsquery),
        headline=SearchHeadline(
            Left("text", SEARCH_CHARS),
            tsquery,
            config="english",
            start_sel="«",
            stop_sel="»",
            max_words=35,
            min_words=15,
        ),
    )


class NewestAcrossProjects:
    """A document list over several projects, newest capture first, that a
    Paginator slices.

    PostgreSQL cannot walk one index in ``(-captured_at, -id)`` order across
    several values of ``project_id``: given ``project_id IN (...)`` it sorts
    every matching row. A page is instead the merge of one ordered, limited
    walk of ``document_project_captured`` per project (``UNION ALL``), so its
    cost grows with the page's depth and the number of projects, not with
    the number of documents. ``queryset`` carries the filters, the
    ``select_related`` and the deferrals of the rows.
    """

    ORDER = ("-captured_at", "-id")

    def __init__(self, queryset: QuerySet[Document], project_ids: list[int]) -> None:
        self.queryset = queryset
        self.project_ids = project_ids

    def count(self) -> int:
        return self.queryset.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Document]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("NewestAcrossProjects supports only plain slices.")
        start, stop = index.start or 0, index.stop
        if stop is not None and stop <= start:
            return []
        # SQLite cannot limit the parts of a UNION; it sorts (small corpora).
        merge = connection.features.supports_slicing_ordering_in_compound
        if stop is None or not self.project_ids or not merge:
            return list(self.queryset.order_by(*self.ORDER)[index])
        walks = [
            self.queryset.filter(project_id=pk)
            .order_by(*self.ORDER)
            .values_list("id", "captured_at")[:stop]
            for pk in self.project_ids
        ]
        merged = walks[0].union(*walks[1:], all=True).order_by(*self.ORDER)
        sql, params = merged[start:stop].query.sql_with_params()
        # One query: the page's ids (the merged walks) feed the rows' query,
        # so a member of several projects costs no more queries than one.
        page = f"SELECT page.id FROM ({sql}) page"  # noqa: S608 (ORM-compiled)
        page_ids = RawSQL(page, params)  # noqa: S611
        return list(self.queryset.filter(pk__in=page_ids).order_by(*self.ORDER))


# What the document page calls each claimant type of the voice.
VOICE_TYPE_WORDS = {
    "acting_government": "the acting government",
    "other_government": "another government",
    "un": "a UN body or official",
    "rights_group": "a rights group",
    "expert": "an expert",
    "reporter": "the reporter",
    "columnist": "a columnist",
    "media": "another outlet",
    "legislator": "a legislator",
    "witness": "a witness",
}


def document_analysis_summary(*, document: Document) -> dict[str, Any] | None:
    """The stored analysis as the document page shows it, or None.

    Provenance (pipeline, model and pattern-data hash), the context the
    pipeline was given, and the voice it used (``data["voice"]``: claimant,
    claimant type, whether it was inferred from the text and from what).
    Reads only the ``voice`` key of ``data``, never the whole (large) JSON.
    """
    found = (
        DocumentAnalysis.objects.filter(document=document)
        .values(
            "pipeline",
            "pipeline_version",
            "provenance",
            "context",
            "created_at",
            voice=KeyTransform("voice", "data"),
        )
        .first()
    )
    if found is None:
        return None
    row: dict[str, Any] = dict(found)
    voice = row.pop("voice")
    if isinstance(voice, dict):
        kind = str(voice.get("claimant_type") or "")
        row["voice"] = {
            "claimant": str(voice.get("claimant") or ""),
            "claimant_type": kind,
            "claimant_type_words": VOICE_TYPE_WORDS.get(kind, kind.replace("_", " ")),
            "inferred": bool(voice.get("inferred")),
            "evidence": str(voice.get("evidence") or ""),
        }
    else:
        row["voice"] = None
    context = row["context"] if isinstance(row["context"], dict) else {}
    row["context"] = context
    row["acting_states"] = ", ".join(context.get("acting_states") or [])
    return row


def document_for_member(
    *, user: User, pk: int, columns: dict[str, tuple[str, tuple[Any, ...]]]
) -> tuple[Document, str, dict[str, Any]] | None:
    """Document ``pk`` if ``user`` is a member of its project (else None),
    with its project and source, the user's role there, and each of
    ``columns`` (name: SQL and parameters of a scalar subquery, such as an
    include's rows as JSON text), in one query: what the document endpoint
    reads. The same rows as ``Document.objects.for_user`` (one membership
    per project and user, so the join cannot repeat a row)."""
    queryset = (
        Document.objects.filter(pk=pk, project__memberships__user=user)
        .select_related("project", "source")
        .annotate(
            member_role=F("project__memberships__role"),
            # Bound parameters; the SQL is the caller's constant.
            **{
                f"column_{name}": RawSQL(sql, params, output_field=TextField())  # noqa: S611
                for name, (sql, params) in columns.items()
            },
        )
        .order_by()
    )
    document = next(iter(queryset), None)
    if document is None:
        return None
    values = {name: getattr(document, f"column_{name}") for name in columns}
    return document, document.member_role, values  # type: ignore[attr-defined]


# ICU collation with numeric ordering (migration 0007): "Report 2" sorts
# before "Report 10", as people count, not as characters compare.
NATURAL_COLLATION = "glossa_natural"


def natural_title_order(prefix: str = "") -> list[Any]:
    """``order_by`` terms sorting documents by title naturally, then by id.

    ``prefix`` reaches the document through a relation (``"document__"``).
    SQLite, the embedded default, has no ICU: plain title order there.
    """
    title: Any = F(f"{prefix}title")
    if connection.vendor == "postgresql":
        title = Collate(f"{prefix}title", NATURAL_COLLATION)
    return [title, f"{prefix}id" if prefix else "pk"]
