"""Reads for the annotator, the document list and the dashboard.

Every function takes the user (or an already permission-checked project or
document) and returns querysets or plain data; views and endpoints only
render what these return.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Comment,
    Suggestion,
    SuggestionDecision,
    SuggestionStatus,
    Tag,
)
from corpus.models import Assignment, AssignmentStatus, Document, DocumentAnalysis
from corpus.selectors import RankedDocuments, documents_search, natural_title_order
from projects.models import Project, blind_project_ids, works_blind
from projects.permissions import membership_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

OPEN_ASSIGNMENT = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)
# How many full-text matches are ranked; beyond this the list says "more".


# --- Annotations --------------------------------------------------------------


def _blind_for(user: User | AnonymousUser, project: Project) -> bool:
    """True if ``user`` works blind in ``project``: a viewer or analyst (not
    reviewer or owner) in a blind-mode project (``projects.models.works_blind``)."""
    if not project.blind_mode:
        return False
    return works_blind(project, membership_for(user, project))


def blind_viewer(user: User | AnonymousUser, project: Project) -> User | None:
    """The user whose own work is all ``user`` may see in ``project`` (the
    user, when they work blind), or None when they see everyone's. The one
    question every project-level read asks before it narrows by author."""
    if user.is_authenticated and _blind_for(user, project):
        return user
    return None


def annotations_visible_to(
    *, user: User | AnonymousUser, document: Document
) -> QuerySet[Annotation]:
    """The annotations on ``document`` that ``user`` may see.

    While the project is in blind mode a viewer or analyst sees only their
    own annotations, on every document, so agreement between analysts
    measures independent judgements (``Annotation.objects.for_user``).
    Non-members see none.
    """
    return Annotation.objects.for_user(user).filter(document=document)


def annotation_visible(*, user: User | AnonymousUser, annotation: Annotation) -> bool:
    """The blind-mode rule for one annotation whose project the user belongs
    to: cheap (no query) unless the project is in blind mode."""
    if not annotation.project.blind_mode or annotation.author_id == user.pk:
        return True
    return not (user.is_authenticated and _blind_for(user, annotation.project))


def annotations_visible_in_projects(
    *, user: User | AnonymousUser
) -> QuerySet[Annotation]:
    """All annotations the user may see across their projects (API lists)."""
    return Annotation.objects.for_user(user)


def annotations_visible_in_project(
    *, user: User | AnonymousUser, project: Project
) -> QuerySet[Annotation]:
    """The annotations of ``project`` that ``user`` may see (project pages)."""
    return Annotation.objects.for_member(user, project)


def annotations_for_display(queryset: QuerySet[Annotation]) -> QuerySet[Annotation]:
    """Everything the annotator and the API show, in a fixed number of queries."""
    return (
        queryset.select_related("author")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("id", "key")),
        )
        .annotate(comment_count=Count("comments"))
        .order_by("start", "end", "pk")
    )


def annotations_payload(queryset: QuerySet[Annotation]) -> list[dict]:
    """The annotator's plain-JSON view of many annotations, built from three
    ``values()`` queries (no model instances), so a document with thousands
    of annotations renders quickly. Same keys as the API's
    ``AnnotationOutputSerializer`` (without prefix, suffix and timestamps).
    Claims are not part of it: ``legal`` sits above this app and serves the
    claim links of a document itself (``/api/claims/?document=<id>``)."""
    rows = list(
        queryset.order_by("start", "end", "pk").values(
            "id",
            "document_id",
            "start",
            "end",
            "quote",
            "note",
            "author__username",
            "status",
            "origin",
            "version",
        )
    )
    # Related rows are fetched with the same queryset as a subquery: a list of
    # thousands of ids as parameters is slow to send (client-side binding).
    ids = queryset.order_by().values("id")
    tag_keys: dict[int, list[str]] = {}
    comments: dict[int, int] = {}
    if rows:
        through = Annotation.tags.through
        for annotation_id, key in (
            through.objects.filter(annotation_id__in=ids)
            .order_by("tag__order", "tag__key")
            .values_list("annotation_id", "tag__key")
        ):
            tag_keys.setdefault(annotation_id, []).append(key)
        comments = dict(
            Comment.objects.filter(annotation_id__in=ids)
            .values("annotation_id")
            .annotate(n=Count("id"))
            .values_list("annotation_id", "n")
        )
    return [
        {
            "id": row["id"],
            "document": row["document_id"],
            "start": row["start"],
            "end": row["end"],
            "quote": row["quote"],
            "tag_keys": tag_keys.get(row["id"], []),
            "note": row["note"],
            "author": row["author__username"],
            "status": row["status"],
            "origin": row["origin"],
            "version": row["version"],
            "comment_count": comments.get(row["id"], 0),
        }
        for row in rows
    ]


ANNOTATIONS_JSON_SQL = """
SELECT coalesce(json_agg(json_build_object(
    'id', a.id, 'start', a.start, 'end', a."end",
    'tag_keys', coalesce(t.keys, '[]'::json), 'note', a.note,
    'author', u.username, 'status', a.status, 'origin', a.origin,
    'version', a.version,
    'comment_count', coalesce(k.n, 0)
) ORDER BY a.start, a."end", a.id), '[]'::json)::text
FROM annotations_annotation a
JOIN auth_user u ON u.id = a.author_id
LEFT JOIN (
    SELECT at.annotation_id, json_agg(tag.key ORDER BY tag."order", tag.key) AS keys
    FROM annotations_annotation_tags at
    JOIN annotations_tag tag ON tag.id = at.tag_id
    WHERE at.annotation_id IN ({ids})
    GROUP BY at.annotation_id
) t ON t.annotation_id = a.id
LEFT JOIN (
    SELECT annotation_id, count(*) AS n FROM annotations_comment
    WHERE annotation_id IN ({ids})
    GROUP BY annotation_id
) k ON k.annotation_id = a.id
WHERE a.id IN ({ids})
"""


def annotations_of_document_payload(
    user: User | AnonymousUser, document: Document
) -> list[dict]:
    """The annotations of ``document`` that ``user`` may see, as the
    document endpoint embeds them (``?include=annotations``): the keys of
    ``annotations_payload`` minus ``document``, in one query whatever
    their number (PostgreSQL; three elsewhere)."""
    column = annotations_of_document_column(document.pk, user.pk)
    if column is not None:
        with connection.cursor() as cursor:
            cursor.execute(*column)
            rows: list[dict] = json.loads(cursor.fetchone()[0])
            return rows
    rows = annotations_payload(annotations_visible_to(user=user, document=document))
    for row in rows:
        del row["document"]
    return rows


# The rows ``?include=annotations`` embeds, with their quotes (API clients
# have no text to slice), built by PostgreSQL as one JSON text. Which rows is
# not written here: ``{visible}`` is ``Annotation.objects.for_user`` (the one
# blind-mode rule) compiled for one document and user. A scalar query, so the
# document endpoint runs it inside the document's own query.
ANNOTATIONS_OF_DOCUMENT_SQL = """
SELECT coalesce(json_agg(json_build_object(
    'id', a.id, 'start', a.start, 'quote', a.quote, 'end', a."end",
    'tag_keys', (
        SELECT coalesce(json_agg(tag.key ORDER BY tag."order", tag.key), '[]'::json)
        FROM annotations_annotation_tags at
        JOIN annotations_tag tag ON tag.id = at.tag_id
        WHERE at.annotation_id = a.id
    ),
    'note', a.note, 'author', u.username, 'status', a.status,
    'origin', a.origin, 'version', a.version,
    'comment_count', (
        SELECT count(*) FROM annotations_comment c WHERE c.annotation_id = a.id
    )
) ORDER BY a.start, a."end", a.id), '[]'::json)::text
FROM annotations_annotation a
JOIN auth_user u ON u.id = a.author_id
WHERE a.id IN ({visible})
"""


def annotations_of_document_column(
    document_id: int, user_id: int | None
) -> tuple[str, tuple] | None:
    """``annotations_of_document_payload`` as one SQL query with its
    parameters (PostgreSQL only, else None): what the document endpoint
    embeds in its own query (``corpus.api.includes``)."""
    if connection.vendor != "postgresql":
        return None
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    # Only the key is read: ``for_user`` compiles to subqueries on it.
    user = get_user_model()(pk=user_id) if user_id is not None else AnonymousUser()
    visible = (
        Annotation.objects.for_user(user)
        .filter(document_id=document_id)
        .order_by()
        .values("id")
    )
    if not visible.query.is_empty():
        sql, params = visible.query.sql_with_params()
    else:  # anonymous: for_user is none(), which does not compile
        sql, params = "SELECT NULL::bigint WHERE false", ()
    return ANNOTATIONS_OF_DOCUMENT_SQL.format(visible=sql), tuple(params)


def annotations_payload_json(queryset: QuerySet[Annotation]) -> str:
    """``annotations_payload`` as a JSON string for the annotator page, minus
    ``document`` and ``quote`` (the page has the text; the module slices it).
    On PostgreSQL the database builds it in one query, with no Python objects
    for thousands of rows."""
    if connection.vendor != "postgresql":
        return json.dumps(annotations_payload(queryset))
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        # The id subquery appears once per {ids} placeholder.
        uses = ANNOTATIONS_JSON_SQL.count("{ids}")
        cursor.execute(ANNOTATIONS_JSON_SQL.format(ids=sql), params * uses)
        payload: str = cursor.fetchone()[0]
        return payload


def suggested_claimant_types(visible: QuerySet[Annotation]) -> dict[int, str]:
    """The claimant type suggested for each visible annotation made from a
    suggestion (the most confident one's): the annotator prefills a new
    claim's type with it. Not ``DISTINCT ON``, which SQLite (``make run``)
    lacks: an annotation has one suggestion, rarely a few."""
    rows = (
        Suggestion.objects.filter(annotation__in=visible)
        .exclude(claimant_type="")
        .order_by("annotation_id", "-confidence", "pk")
        .values_list("annotation_id", "claimant_type")
    )
    types: dict[int, str] = {}
    for annotation_id, claimant_type in rows:
        types.setdefault(annotation_id, claimant_type)
    return types


def suggestions_seen_by(
    queryset: QuerySet[Suggestion], *, user: User | AnonymousUser
) -> QuerySet[Suggestion]:
    """``queryset`` with each suggestion's status as ``user`` sees it.

    In the projects where ``user`` works blind their own decision
    (``SuggestionDecision``) is the status, pending until they decide, and
    nobody else's decision shows; elsewhere the suggestion's own. Annotates
    ``blind_status`` / ``blind_annotation_id`` (read by
    ``Suggestion.seen_status``) and ``seen`` (to filter on).
    """
    if not user.is_authenticated:
        return queryset.none()
    mine = SuggestionDecision.objects.filter(
        suggestion=OuterRef("pk"), annotator_id=user.pk
    )
    blind = Q(project__in=blind_project_ids(user))
    return queryset.annotate(
        blind_status=Case(
            When(
                blind,
                then=Coalesce(
                    Subquery(mine.values("status")[:1]),
                    Value(SuggestionStatus.PENDING),
                ),
            ),
            default=None,
            output_field=CharField(),
        ),
        blind_annotation_id=Case(
            When(blind, then=Subquery(mine.values("annotation_id")[:1])),
            default=None,
            output_field=IntegerField(),
        ),
        seen=Coalesce(F("blind_status"), F("status"), output_field=CharField()),
    )


def suggestions_pending(
    *, document: Document, user: User | AnonymousUser | None = None
) -> QuerySet[Suggestion]:
    """The document's pending suggestions: pending for ``user`` (their own
    decisions while they work blind), or undecided by anyone without one."""
    queryset = Suggestion.objects.filter(document=document)
    if user is not None and _blind_for(user, document.project):
        queryset = queryset.exclude(
            Exists(
                SuggestionDecision.objects.filter(
                    suggestion=OuterRef("pk"), annotator_id=user.pk
                )
            )
        )
    else:
        queryset = queryset.filter(status=SuggestionStatus.PENDING)
    return queryset.select_related("tag").order_by("start", "end", "tag__order")


@dataclass(frozen=True)
class SuggestionFilters:
    """Which pending suggestions a triage decision covers (all when empty)."""

    tag: str = ""
    rule: str = ""
    min_confidence: float | None = None
    max_confidence: float | None = None
    document: int | None = None


def suggestions_triage(
    *, user: User | AnonymousUser, project: Project, filters: SuggestionFilters
) -> QuerySet[Suggestion]:
    """The project's pending suggestions matching ``filters`` that ``user``
    may decide, oldest document first.

    For a member working blind, "pending" means not yet decided by them
    (their decisions are their own, ``SuggestionDecision``), so a bulk
    decision never reaches into a colleague's independent work; non-members
    get none.
    """
    if not user.is_authenticated or membership_for(user, project) is None:
        return Suggestion.objects.none()
    if _blind_for(user, project):
        # Pending for them: undecided by them, whatever others decided.
        queryset = Suggestion.objects.filter(project=project).exclude(
            Exists(
                SuggestionDecision.objects.filter(
                    suggestion=OuterRef("pk"), annotator_id=user.pk
                )
            )
        )
    else:
        queryset = Suggestion.objects.filter(
            project=project, status=SuggestionStatus.PENDING
        )
    if filters.tag:
        queryset = queryset.filter(tag__key=filters.tag)
    if filters.rule:
        queryset = queryset.filter(rule=filters.rule)
    if filters.min_confidence is not None:
        queryset = queryset.filter(confidence__gte=filters.min_confidence)
    if filters.max_confidence is not None:
        queryset = queryset.filter(confidence__lte=filters.max_confidence)
    if filters.document is not None:
        queryset = queryset.filter(document_id=filters.document)
    return queryset.select_related("tag", "document").order_by(
        "document_id", "start", "end", "pk"
    )


def suggestion_rules(*, project: Project) -> list[str]:
    """The rules that have pending suggestions in ``project`` (filter choices)."""
    return list(
        Suggestion.objects.filter(project=project, status=SuggestionStatus.PENDING)
        .order_by("rule")
        .values_list("rule", flat=True)
        .distinct()
    )


# --- Tokens -------------------------------------------------------------------

WORD_RE = re.compile(r"\w+(?:[-'\u2019]\w+)*|[^\w\s]", re.UNICODE)


def document_tokens(*, document: Document) -> list[int]:
    """Token boundaries as a flat list [start0, end0, start1, end1, ...] in
    code points, from the stored analysis if any, else a word split; the
    annotator snaps selections to them."""
    data = (
        DocumentAnalysis.objects.filter(document=document)
        .values_list("data", flat=True)
        .first()
    )
    flat: list[int] = []
    if data and isinstance(data.get("tokens"), list):
        for token in data["tokens"]:
            try:
                flat.extend((int(token["start"]), int(token["end"])))
            except (KeyError, TypeError, ValueError):
                continue
        if flat:
            return flat
    for match in WORD_RE.finditer(document.text):
        flat.extend(match.span())
    return flat


def document_tokens_json(*, document: Document) -> str:
    """``document_tokens`` as JSON, cached: a document's text never changes,
    so its tokens change only when a (new) analysis is stored."""
    analysed = (
        DocumentAnalysis.objects.filter(document=document)
        .values_list("created_at", flat=True)
        .first()
    )
    stamp = analysed.timestamp() if analysed else "none"  # no spaces in keys
    key = f"glossa:tokens:{document.pk}:{document.text_sha256}:{stamp}"
    cached: str | None = cache.get(key)
    if cached is None:
        cached = json.dumps(document_tokens(document=document), separators=(",", ":"))
        cache.set(key, cached, timeout=24 * 3600)
    return cached


QUANTITY_FIELDS = ("start", "end", "text", "value", "counts", "bound", "cumulative")


def document_quantities(*, document: Document) -> list[dict]:
    """The figures the stored analysis found (code points), for the claim
    form: a claim made from a span holding one starts with it filled in."""
    # Only the quantities key: the rest of the analysis (tokens, sentences)
    # can be megabytes.
    rows = (
        DocumentAnalysis.objects.filter(document=document)
        .values_list("data__quantities", flat=True)
        .first()
    )
    if not isinstance(rows, list):
        return []
    return [
        {name: row.get(name) for name in QUANTITY_FIELDS}
        for row in rows
        if isinstance(row, dict)
        and isinstance(row.get("start"), int)
        and isinstance(row.get("end"), int)
        and isinstance(row.get("value"), int)
    ]


def annotation_status_choices(*, can_review: bool) -> list[list[str]]:
    """The review statuses a user may set: accepting and rejecting need the
    reviewer role (``annotations.services.annotations.REVIEW_STATUSES``)."""
    review = {AnnotationStatus.ACCEPTED, AnnotationStatus.REJECTED}
    return [
        [value, str(label)]
        for value, label in AnnotationStatus.choices
        if can_review or value not in review
    ]


# --- Document list ------------------------------------------------------------


@dataclass
class DocumentFilters:
    """The document list's filters, parsed from the query string."""

    q: str = ""
    kind: str = ""
    source: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    tag: str = ""
    status: str = ""
    assignee: int | None = None
    order: str = ""  # "" newest first, "title" natural title order
    language: str = ""

    @property
    def active(self) -> bool:
        return any(
            value not in ("", None)
            for value in (
                self.q,
                self.kind,
                self.source,
                self.date_from,
                self.date_to,
                self.tag,
                self.status,
                self.assignee,
                self.language,
            )
        )


DOCUMENT_STATUSES = {
    "unassigned": "Not assigned",
    **dict(AssignmentStatus.choices),
}


def documents_filtered(
    *,
    project: Project,
    filters: DocumentFilters,
    user: User | AnonymousUser | None = None,
) -> tuple[QuerySet[Document] | RankedDocuments, bool]:
    """The project's documents matching ``filters``, without their bodies.

    With a search query, PostgreSQL ranks at most ``SEARCH_CANDIDATES``
    full-text matches (GIN index on title + text, see migration
    0003_document_search_index); SQLite falls back to ``icontains``.
    Returns (queryset, truncated) where ``truncated`` says the candidate
    bound was reached. With ``user``, the tag filter looks only at the
    annotations they may see (blind mode).
    """
    queryset = Document.objects.filter(project=project).without_bodies()
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.source:
        queryset = queryset.filter(source_id=filters.source)
    if filters.date_from:
        queryset = queryset.filter(published_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(published_at__date__lte=filters.date_to)
    if filters.tag:
        tagged = Annotation.objects.filter(
            document=OuterRef("pk"), tags__key=filters.tag
        )
        if user is not None and (author := blind_viewer(user, project)):
            tagged = tagged.filter(author=author)
        queryset = queryset.filter(Exists(tagged))
    if filters.status == "unassigned":
        queryset = queryset.filter(
            ~Exists(Assignment.objects.filter(document=OuterRef("pk")))
        )
    elif filters.status:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    document=OuterRef("pk"), status=filters.status
                )
            )
        )
    if filters.assignee:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    document=OuterRef("pk"), annotator_id=filters.assignee
                )
            )
        )
    if filters.q.strip():
        return documents_search(queryset, filters.q)
    if filters.order == "title":
        queryset = queryset.order_by(*natural_title_order())
    return queryset.select_related("source"), False


def documents_row_counts(
    ids: list[int], *, author: User | None = None
) -> dict[int, dict[str, int]]:
    """Annotation and pending-suggestion counts for one page of documents.

    Counted for the page only (two grouped queries), never for the whole
    filtered set, so the list stays fast on large corpora. ``author``: the
    reader works blind (``blind_viewer``), so only their own work counts.
    """
    counts = {pk: {"annotations": 0, "pending": 0} for pk in ids}
    annotations = Annotation.objects.filter(document_id__in=ids)
    pending = Suggestion.objects.filter(document_id__in=ids)
    if author is not None:
        annotations = annotations.filter(author=author)
        pending = pending.exclude(
            Exists(
                SuggestionDecision.objects.filter(
                    suggestion=OuterRef("pk"), annotator=author
                )
            )
        )
    else:
        pending = pending.filter(status=SuggestionStatus.PENDING)
    for row in annotations.values("document_id").annotate(n=Count("id")):
        counts[row["document_id"]]["annotations"] = row["n"]
    for row in pending.values("document_id").annotate(n=Count("id")):
        counts[row["document_id"]]["pending"] = row["n"]
    return counts


def suggestion_payload(suggestion: Suggestion) -> dict:
    return {
        "id": suggestion.pk,
        "start": suggestion.start,
        "end": suggestion.end,
        "quote": suggestion.quote,
        "tag_key": suggestion.tag.key,
        "tag_name": suggestion.tag.name,
        "claimant": suggestion.claimant,
        "claimant_type": suggestion.claimant_type,
        "confidence": suggestion.confidence,
        "rule": suggestion.rule,
        "explanation": suggestion.explanation,
        # The sentence the suggestion came from (the span itself when older
        # suggestions did not record it).
        "context_start": (
            suggestion.start
            if suggestion.context_start is None
            else suggestion.context_start
        ),
        "context_end": (
            suggestion.end if suggestion.context_end is None else suggestion.context_end
        ),
    }


# --- Dashboard ----------------------------------------------------------------


def project_dashboard(*, project: Project, author: User | None = None) -> dict:
    """Progress figures for the project dashboard, in a few aggregate queries.

    ``author``: the reader works blind (``blind_viewer``): annotation, tag
    and suggestion figures count only their own work, and the table of who
    did what shows only them."""
    documents = Document.objects.filter(project=project)
    total = documents.count()
    annotations = Annotation.objects.filter(project=project)
    if author is not None:
        annotations = annotations.filter(author=author)
    annotated = documents.filter(
        Exists(annotations.filter(document=OuterRef("pk")))
    ).count()
    by_status = dict.fromkeys(DOCUMENT_STATUSES, 0)
    for row in (
        Assignment.objects.filter(document__project=project)
        .values("status")
        .annotate(n=Count("document", distinct=True))
    ):
        by_status[row["status"]] = row["n"]
    assigned_docs = (
        Assignment.objects.filter(document__project=project)
        .values("document")
        .distinct()
        .count()
    )
    by_status["unassigned"] = total - assigned_docs
    annotation_status = {
        row["status"]: row["n"]
        for row in annotations.values("status").annotate(n=Count("id"))
    }
    analysts: dict[int, dict] = {}
    for author_row in annotations.values("author_id", "author__username").annotate(
        n=Count("id"), docs=Count("document", distinct=True)
    ):
        analysts[author_row["author_id"]] = {
            "username": author_row["author__username"],
            "annotations": author_row["n"],
            "documents": author_row["docs"],
            "assigned": 0,
            "submitted": 0,
        }
    assignments = Assignment.objects.filter(document__project=project)
    if author is not None:
        assignments = assignments.filter(annotator=author)
    for assignment_row in assignments.values(
        "annotator_id", "annotator__username"
    ).annotate(
        n=Count("id"),
        done=Count(
            "id",
            filter=Q(
                status__in=[
                    AssignmentStatus.SUBMITTED,
                    AssignmentStatus.ADJUDICATED,
                ]
            ),
        ),
    ):
        entry = analysts.setdefault(
            assignment_row["annotator_id"],
            {
                "username": assignment_row["annotator__username"],
                "annotations": 0,
                "documents": 0,
            },
        )
        entry["assigned"] = assignment_row["n"]
        entry["submitted"] = assignment_row["done"]
    tag_counts = list(
        Tag.objects.filter(project=project)
        .annotate(
            n=Count(
                "annotations",
                filter=Q(annotations__author=author) if author is not None else None,
            )
        )
        .order_by("-n", "order")
        .values("key", "name", "colour", "n")
    )
    pending = (
        suggestions_triage(
            user=author, project=project, filters=SuggestionFilters()
        ).count()
        if author is not None
        else Suggestion.objects.filter(
            project=project, status=SuggestionStatus.PENDING
        ).count()
    )
    recent = (
        documents.without_bodies().select_related("source").order_by("-captured_at")[:8]
    )
    return {
        "documents_total": total,
        "documents_annotated": annotated,
        "documents_by_status": [
            (key, DOCUMENT_STATUSES[key], by_status.get(key, 0))
            for key in DOCUMENT_STATUSES
        ],
        "annotations_total": sum(annotation_status.values()),
        "annotations_by_status": [
            (value, label, annotation_status.get(value, 0))
            for value, label in AnnotationStatus.choices
        ],
        "analysts": sorted(analysts.values(), key=lambda a: a["username"]),
        "tag_counts": tag_counts,
        "suggestions_pending": pending,
        "recent_documents": recent,
    }
