"""Reads about incidents: the register, one incident's figures and ranges.

A figure belongs to an incident through its claim (``Claim.incident``). Its
document is the annotation stating it, else the claim's first report; its
grade pairs the document source's reliability (A-F) with the figure's own
credibility, else its claim's (1-6); either may be ungraded.

Blind mode: a figure stated in an annotation the viewer may not see
(``annotations_visible_in_projects``) is left out of the lists and of the
ranges, so an analyst working blind sees no trace of another's open work.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf

from audit.models import HistoryEntry
from legal.models import (
    INCIDENT_FIELDS,
    Claim,
    ClaimantType,
    ClaimMention,
    ClaimQuantity,
    Credibility,
    Incident,
    QuantityBound,
    QuantityCounts,
    Reliability,
)
from legal.ranges import (
    CASUALTY_CATEGORIES,
    EXCLUDED_GRADES,
    LOWER_BOUNDS,
    CasualtyRange,
    casualty_range,
    counts_toward_range,
)
from projects.models import Project, works_blind
from projects.permissions import membership_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

UNGRADED = "ungraded"
_BOUND_WORDS: dict[str, str] = {
    QuantityBound.AT_LEAST.value: "at least ",
    QuantityBound.MORE_THAN.value: "more than ",
    QuantityBound.UP_TO.value: "up to ",
    QuantityBound.ABOUT.value: "about ",
}
_CLAIMANT_LABELS = dict(ClaimantType.choices)
_COUNT_LABELS = dict(QuantityCounts.choices)


def grade_label(reliability: str, credibility: str) -> str:
    """``B2``, ``?3`` or ``B?``: the Admiralty pair, ``?`` for ungraded;
    ``ungraded`` when neither is set."""
    if not reliability and not credibility:
        return UNGRADED
    return f"{reliability or '?'}{credibility or '?'}"


def grade_rank(reliability: str, credibility: str) -> tuple[str, str]:
    """Sort key: best (A1) first, ungraded parts last."""
    return (reliability or "Z", credibility or "9")


@dataclass
class FigureRow:
    """One reported figure of an incident, as the incident page lists it."""

    id: int
    claim_id: int
    incident_id: int | None
    proposition: str
    category: str
    value: int
    bound: str
    cumulative: bool
    as_of: date | None
    document_id: int | None
    document_title: str
    source_id: int | None
    source_name: str
    quote: str
    claimant: str
    claimant_type: str
    reported_at: datetime | None
    reliability: str
    credibility: str
    figure_credibility: str
    credibility_rationale: str

    @property
    def wording(self) -> str:
        return f"{_BOUND_WORDS.get(self.bound, '')}{self.value}"

    @property
    def category_label(self) -> str:
        return _COUNT_LABELS.get(self.category, self.category)

    @property
    def claimant_type_label(self) -> str:
        return _CLAIMANT_LABELS.get(self.claimant_type, self.claimant_type)

    @property
    def grade(self) -> str:
        return grade_label(self.reliability, self.credibility)

    @property
    def counted(self) -> bool:
        return counts_toward_range(cumulative=self.cumulative, grade=self.credibility)


def visible_figures_q(user: User | AnonymousUser, project: Project) -> Q:
    """Figures ``user`` may see in ``project``: all of them, unless the user
    works blind (a viewer or analyst in a blind-mode project), who sees only
    the figures of their own claims, stated in no annotation or in their own
    (the rule of ``Claim.objects.for_user`` and ``annotations_visible_to``)."""
    if not project.blind_mode:
        return Q()
    if not works_blind(project, membership_for(user, project)):
        return Q()
    return Q(claim__created_by_id=user.pk) & (
        Q(annotation__isnull=True) | Q(annotation__author_id=user.pk)
    )


def visible_incidents_q(user: User | AnonymousUser, project: Project) -> Q:
    """Incidents ``user`` may see in ``project``: all of them, unless the
    user works blind, who sees only the incidents they recorded (the rule of
    ``Incident.objects.for_user``, as a filter on any incident queryset)."""
    if not project.blind_mode:
        return Q()
    if not works_blind(project, membership_for(user, project)):
        return Q()
    return Q(created_by_id=user.pk)


_FIGURE_FIELDS = (
    "id",
    "claim_id",
    "claim__proposition",
    "claim__incident_id",
    "counts",
    "value",
    "bound",
    "cumulative",
    "as_of",
    "credibility",
    "credibility_rationale",
    "claim__credibility",
    "claim__claimant",
    "claim__claimant_type",
    "annotation__quote",
    "annotation__document_id",
)
#: The stating annotation's document, read in the same query as the figure
#: (``_documents`` then only runs for figures that name no annotation).
_DOCUMENT_FIELDS = (
    "title",
    "published_at",
    "captured_at",
    "publisher",
    "author",
    "source_id",
    "source__name",
    "source__grade__reliability",
)


def _first_documents(claim_ids: set[int]) -> dict[int, dict[str, Any]]:
    """The first-reported document of each claim (for figures that name no
    annotation), one query."""
    if not claim_ids:
        return {}
    rows = (
        ClaimMention.objects.filter(claim_id__in=claim_ids)
        .annotate(
            reported=Coalesce(
                "annotation__document__published_at",
                "annotation__document__captured_at",
            )
        )
        .order_by("claim_id", "reported", "pk")
        .values("claim_id", "annotation__document_id", "annotation__quote")
    )
    first: dict[int, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(row["claim_id"], dict(row))
    return first


def _documents(ids: set[int]) -> dict[int, dict[str, Any]]:
    from corpus.models import Document

    if not ids:
        return {}
    rows = Document.objects.filter(pk__in=ids).values("id", *_DOCUMENT_FIELDS)
    return {row["id"]: dict(row) for row in rows}


def figure_rows(
    *,
    user: User | AnonymousUser,
    project: Project,
    queryset: QuerySet[ClaimQuantity],
) -> list[FigureRow]:
    """The figures of ``queryset`` the user may see, with document, quote,
    claimant and grade, in report order (one query, three when some figure
    names no annotation, whatever the count)."""
    rows = list(
        queryset.filter(visible_figures_q(user, project))
        .order_by("pk")
        .values(
            *_FIGURE_FIELDS,
            *(f"annotation__document__{name}" for name in _DOCUMENT_FIELDS),
        )
    )
    documents: dict[int, dict[str, Any]] = {}
    for r in rows:
        doc_id = r["annotation__document_id"]
        if doc_id is not None and doc_id not in documents:
            documents[doc_id] = {"id": doc_id} | {
                name: r[f"annotation__document__{name}"] for name in _DOCUMENT_FIELDS
            }
    orphans = {r["claim_id"] for r in rows if r["annotation__document_id"] is None}
    first = _first_documents(orphans)
    missing = {f["annotation__document_id"] for f in first.values()} - set(documents)
    documents.update(_documents({d for d in missing if d is not None}))
    figures = []
    for r in rows:
        doc_id, quote = r["annotation__document_id"], r["annotation__quote"] or ""
        if doc_id is None and r["claim_id"] in first:
            doc_id = first[r["claim_id"]]["annotation__document_id"]
            quote = first[r["claim_id"]]["annotation__quote"] or ""
        doc = documents.get(doc_id) if doc_id is not None else None
        figures.append(
            FigureRow(
                id=r["id"],
                claim_id=r["claim_id"],
                incident_id=r["claim__incident_id"],
                proposition=r["claim__proposition"],
                category=r["counts"],
                value=r["value"],
                bound=r["bound"],
                cumulative=r["cumulative"],
                as_of=r["as_of"],
                document_id=doc_id,
                document_title=(doc["title"] if doc else "") or "Untitled document",
                source_id=doc["source_id"] if doc else None,
                source_name=_source_name(doc, r["claim__claimant"]),
                quote=quote,
                claimant=r["claim__claimant"],
                claimant_type=r["claim__claimant_type"],
                reported_at=(doc["published_at"] or doc["captured_at"])
                if doc
                else None,
                reliability=(doc["source__grade__reliability"] or "") if doc else "",
                credibility=r["credibility"] or r["claim__credibility"] or "",
                figure_credibility=r["credibility"] or "",
                credibility_rationale=r["credibility_rationale"],
            )
        )
    figures.sort(key=lambda f: (f.reported_at is None, f.reported_at or 0, f.id))
    return figures


def _source_name(doc: dict[str, Any] | None, claimant: str) -> str:
    if doc is None:
        return claimant or "Unattributed"
    return doc["source__name"] or doc["publisher"] or doc["author"] or "Unknown source"


def filter_by_grade(
    figures: list[FigureRow], *, reliability: str = "", credibility: str = ""
) -> list[FigureRow]:
    """Figures with that reliability / credibility (``ungraded`` for none)."""

    def match(value: str, wanted: str) -> bool:
        if not wanted:
            return True
        return value == "" if wanted == UNGRADED else value == wanted

    return [
        f
        for f in figures
        if match(f.reliability, reliability) and match(f.credibility, credibility)
    ]


def ranges_of(figures: list[FigureRow]) -> dict[str, CasualtyRange]:
    """The casualty range of each category from an incident's figures."""
    by_category: dict[str, list[tuple[int, int, str, bool, str]]] = {
        c: [] for c in CASUALTY_CATEGORIES
    }
    for f in figures:
        if f.category in by_category:
            by_category[f.category].append(
                (f.id, f.value, f.bound, f.cumulative, f.credibility)
            )
    return {c: casualty_range(c, rows) for c, rows in by_category.items()}


# --- One incident ------------------------------------------------------------


@dataclass
class IncidentOverview:
    incident: Incident
    figures: list[FigureRow]
    ranges: dict[str, CasualtyRange]
    claims: list[Any]

    @property
    def range_rows(self) -> list[tuple[str, CasualtyRange, list[FigureRow]]]:
        return [
            (
                _COUNT_LABELS.get(c, c),
                self.ranges[c],
                [f for f in self.figures if f.category == c],
            )
            for c in CASUALTY_CATEGORIES
        ]


def incident_figures(
    *, user: User | AnonymousUser, incident: Incident
) -> list[FigureRow]:
    return figure_rows(
        user=user,
        project=incident.project,
        queryset=ClaimQuantity.objects.filter(claim__incident=incident),
    )


def incident_overview(
    *, user: User | AnonymousUser, incident: Incident
) -> IncidentOverview:
    """The incident's figures (visible to ``user``), ranges and claims."""
    figures = incident_figures(user=user, incident=incident)
    claims = list(
        Claim.objects.for_member(user, incident.project)
        .filter(incident=incident)
        .order_by("event_date", "pk")
        .only(
            "pk",
            "proposition",
            "claimant",
            "claimant_type",
            "credibility",
            "credibility_rationale",
            "version",
            "project_id",
            "incident_id",
        )
    )
    return IncidentOverview(
        incident=incident,
        figures=figures,
        ranges=ranges_of(figures),
        claims=claims,
    )


# --- The register ------------------------------------------------------------


@dataclass
class RegisterRow:
    incident: Incident
    ranges: dict[str, CasualtyRange]
    source_count: int
    best_grade: str
    figure_count: int
    first_reported: date | None = None

    @property
    def killed(self) -> CasualtyRange:
        return self.ranges["killed"]

    @property
    def survivors(self) -> CasualtyRange:
        return self.ranges["survivors"]


#: The register's row before its incident is loaded: what sorting needs.
_Key = tuple[int, int, date, str, str, int]  # pk, number, date, place, status, version
_KEY_FIELDS = ("pk", "number", "date", "place", "status", "version")

#: Sort keys of the register's columns, on ``(_Key, _Aggregate)``: the
#: incident's own fields and its aggregates, so a page is chosen before any
#: incident beyond it is loaded. ``number`` breaks ties (unique per project).
SORTS: dict[str, Callable[[_Key, _Aggregate], tuple[Any, ...]]] = {
    "code": lambda k, a: (k[1],),
    "date": lambda k, a: (k[2], k[1]),
    "place": lambda k, a: (k[3].lower(), k[1]),
    "killed": lambda k, a: (
        a.ranges["killed"].floor,
        a.ranges["killed"].ceiling,
        k[1],
    ),
    "survivors": lambda k, a: (a.ranges["survivors"].floor, k[1]),
    "sources": lambda k, a: (a.source_count, k[1]),
    "grade": lambda k, a: (a.best_grade == UNGRADED, a.best_grade, k[1]),
    "status": lambda k, a: (k[4], k[1]),
}
#: Sorts that need every incident's aggregates (the others only the page's).
AGGREGATE_SORTS = frozenset({"killed", "survivors", "sources", "grade"})


def incident_list(
    *,
    project: Project,
    q: str = "",
    status: str = "",
    area: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Incident]:
    """The project's incidents, filtered, in date order."""
    incidents = Incident.objects.filter(project=project)
    if q:
        number = q.upper().removeprefix("STR-").lstrip("0")
        match = (
            Q(description__icontains=q)
            | Q(place__icontains=q)
            | Q(area__icontains=q)
            | Q(acting_forces__icontains=q)
            | Q(targets__icontains=q)
        )
        if number.isdigit():
            match |= Q(number=int(number))
        incidents = incidents.filter(match)
    if status:
        incidents = incidents.filter(status=status)
    if area:
        incidents = incidents.filter(area__iexact=area)
    if date_from:
        incidents = incidents.filter(
            Q(date__gte=date_from) | Q(date_end__gte=date_from)
        )
    if date_to:
        incidents = incidents.filter(date__lte=date_to)
    return incidents.order_by("date", "number")


#: A figure's credibility: its own grade, else its claim's ("" ungraded).
_GRADE = Coalesce(
    NullIf(F("credibility"), Value("")),
    NullIf(F("claim__credibility"), Value("")),
    Value(""),
)
_RELIABILITY = F("annotation__document__source__grade__reliability")
#: The range rule of ``legal.ranges`` as SQL, so the register aggregates
#: 20,000 figures in the database rather than in Python.
_LOW = Case(
    When(bound=QuantityBound.UP_TO, then=Value(None)),
    When(bound=QuantityBound.MORE_THAN, then=F("value") + 1),
    default=F("value"),
    output_field=IntegerField(),
)
_HIGH = Case(
    When(bound=QuantityBound.MORE_THAN, then=F("value") + 1),
    default=F("value"),
    output_field=IntegerField(),
)
_OPEN = Q(bound__in=LOWER_BOUNDS)
_COUNTED = Q(cumulative=False) & ~Q(grade__in=EXCLUDED_GRADES)
_SOURCE = Coalesce(
    NullIf(F("annotation__document__source__name"), Value("")),
    NullIf(F("annotation__document__publisher"), Value("")),
    NullIf(F("annotation__document__author"), Value("")),
    NullIf(F("claim__claimant"), Value("")),
    Value("Unattributed"),
)
_BEST = Concat(
    Coalesce(_RELIABILITY, Value("Z")),
    Coalesce(NullIf(_GRADE, Value("")), Value("9")),
    output_field=CharField(),
)


def _grade_filter(reliability: str, credibility: str) -> Q:
    q = Q()
    if reliability == UNGRADED:
        q &= Q(annotation__document__source__grade__isnull=True)
    elif reliability:
        q &= Q(annotation__document__source__grade__reliability=reliability)
    if credibility:
        q &= Q(grade="" if credibility == UNGRADED else credibility)
    return q


def _best_label(best: str | None) -> str:
    if not best:
        return UNGRADED
    reliability, credibility = best[0], best[1:]
    return grade_label(
        "" if reliability == "Z" else reliability,
        "" if credibility == "9" else credibility,
    )


@dataclass
class _Aggregate:
    """What the register shows of one incident besides its own fields."""

    ranges: dict[str, CasualtyRange]
    source_count: int = 0
    best_grade: str = UNGRADED
    figure_count: int = 0
    first_reported: date | None = None


def _aggregates(figures: QuerySet[ClaimQuantity]) -> dict[int, _Aggregate]:
    """Ranges, sources, best grade and first report of every incident the
    figures belong to: two grouped queries (the range rule of
    ``legal.ranges`` in SQL), whatever the number of figures."""
    result: dict[int, _Aggregate] = {}

    def of(incident_id: int) -> _Aggregate:
        if incident_id not in result:
            result[incident_id] = _Aggregate(
                ranges={c: CasualtyRange(category=c) for c in CASUALTY_CATEGORIES}
            )
        return result[incident_id]

    per_category = (
        figures.filter(counts__in=CASUALTY_CATEGORIES)
        .values("claim__incident_id", "counts")
        .annotate(
            low=Min(_LOW, filter=_COUNTED),
            closed=Max(_HIGH, filter=_COUNTED & ~_OPEN),
            open=Max(_HIGH, filter=_COUNTED & _OPEN),
            counted=Count("pk", filter=_COUNTED),
            excluded=Count("pk", filter=~_COUNTED),
        )
        .order_by()
    )
    for row in per_category:
        found = of(row["claim__incident_id"]).ranges[row["counts"]]
        closed, open_ = row["closed"], row["open"]
        highs = [v for v in (closed, open_) if v is not None]
        found.low = row["low"]
        found.high = max(highs) if highs else None
        found.high_open = open_ is not None and (closed is None or open_ > closed)
        found.counted, found.excluded = row["counted"], row["excluded"]
    per_incident = (
        figures.values("claim__incident_id")
        .annotate(
            figures=Count("pk"),
            sources=Count(_SOURCE, distinct=True),
            best=Min(_BEST),
            first=Min(
                Coalesce(
                    "annotation__document__published_at",
                    "annotation__document__captured_at",
                )
            ),
        )
        .order_by()
    )
    for totals in per_incident:
        agg = of(totals["claim__incident_id"])
        agg.source_count = totals["sources"]
        agg.best_grade = _best_label(totals["best"])
        agg.figure_count = totals["figures"]
        agg.first_reported = totals["first"].date() if totals["first"] else None
    return result


def _project_stamp(project: Project) -> int:
    """The project's last history entry: every write that can change a
    range, grade or link records one, so it versions the register cache."""
    last = (
        HistoryEntry.objects.filter(project=project)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def _figures_of(user, project: Project) -> QuerySet[ClaimQuantity]:
    return (
        ClaimQuantity.objects.filter(claim__incident__project=project)
        .filter(visible_figures_q(user, project))
        .alias(grade=_GRADE)
    )


def _works_blind(user: User | AnonymousUser, project: Project) -> bool:
    return bool(visible_figures_q(user, project))


T = TypeVar("T")


def project_memo(
    *,
    user: User | AnonymousUser,
    project: Project,
    name: str,
    build: Callable[[], T],
) -> T:
    """``build()``, kept per project until its history moves
    (``_project_stamp``): what every sighted member sees alike. An analyst
    working blind sees less, so gets a fresh ``build()``, not kept."""
    if _works_blind(user, project):
        return build()
    key = f"{name}:{project.pk}:{_project_stamp(project)}"
    with _LOCK:
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
            return cast(T, found)
    kept = build()
    with _LOCK:
        _MEMO[key] = kept
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return kept


#: History entries of these kinds never change a register aggregate (what
#: the aggregates read: figures, their claims' incident and grade, the
#: annotation's document, its source and grade). Any kind not named here or
#: in ``_refreshed`` makes the kept aggregates be computed afresh.
_INERT_KINDS = frozenset(
    {
        "assessment",
        "assignment",
        "claimmention",
        "comment",
        "criterion",
        "documentanalysis",
        "element",
        "framework",
        "job",
        "learnedmodel",
        "membership",
        "project",
        "proposalrejection",
        "socialaccount",
        "socialexport",
        "socialpost",
        "suggestion",
        "suggestiondecision",
        "tag",
    }
)
#: At most this many new history entries are replayed onto kept
#: aggregates; more, and they are computed afresh.
_REFRESH_LIMIT = 500


def _touched_incidents(project: Project, entries: list[tuple]) -> set[int] | None:
    """The incidents whose aggregates the history ``entries`` may have
    changed, or None when that cannot be told (then all are recomputed):
    a deleted annotation, document or source leaves its figures pointing
    nowhere, so they cannot be found from it."""
    incidents: set[int] = set()
    claims: set[int] = set()
    documents: set[int] = set()
    sources: set[int] = set()
    for kind, object_id, action, before, after in entries:
        snapshots = [s for s in (before, after) if isinstance(s, dict)]
        if kind in _INERT_KINDS:
            continue
        if kind == "incident":
            incidents.add(object_id)
        elif kind == "claim":
            incidents.update(
                s["incident_id"] for s in snapshots if s.get("incident_id")
            )
        elif kind == "claimquantity":
            claims.update(s["claim_id"] for s in snapshots if s.get("claim_id"))
        elif kind in ("annotation", "document", "source") and action == "delete":
            return None
        elif kind == "annotation":
            continue  # an annotation keeps its document; its text is not read
        elif kind == "document":
            documents.add(object_id)
        elif kind == "source":
            sources.add(object_id)
        elif kind == "sourcegrade":
            sources.update(s["source_id"] for s in snapshots if s.get("source_id"))
        else:
            return None
    if claims:
        incidents.update(
            Claim.objects.filter(pk__in=claims, incident__isnull=False).values_list(
                "incident_id", flat=True
            )
        )
    if documents or sources:
        incidents.update(
            ClaimQuantity.objects.filter(
                Q(annotation__document_id__in=documents)
                | Q(annotation__document__source_id__in=sources),
                claim__project=project,
                claim__incident__isnull=False,
            )
            .values_list("claim__incident_id", flat=True)
            .distinct()
        )
    return incidents


def _project_aggregates(
    user: User | AnonymousUser,
    project: Project,
    figures: QuerySet[ClaimQuantity],
    *,
    compute: bool,
) -> dict[int, _Aggregate] | None:
    """Every incident's aggregates, kept per project for sighted viewers.

    Kept with the project's history stamp (``_project_stamp``). When the
    history has moved, the new entries name what changed and only the
    incidents they touch are aggregated again (``_touched_incidents``), so
    an edit costs one incident's figures, not the project's. An analyst
    working blind sees less: computed for them, never kept. Without
    anything kept, None unless ``compute``."""
    if _works_blind(user, project):
        return _aggregates(figures) if compute else None
    stamp = _project_stamp(project)
    with _LOCK:
        kept = _KEPT.get(project.pk)
        if kept is not None and kept[0] == stamp:
            _KEPT.move_to_end(project.pk)
            return kept[1]
    result: dict[int, _Aggregate] | None = None
    if kept is not None:
        entries = list(
            HistoryEntry.objects.filter(project=project, pk__gt=kept[0], pk__lte=stamp)
            .order_by("pk")
            .values_list("object_type", "object_id", "action", "before", "after")[
                : _REFRESH_LIMIT + 1
            ]
        )
        touched = (
            _touched_incidents(project, entries)
            if len(entries) <= _REFRESH_LIMIT
            else None
        )
        if touched is not None:
            result = dict(kept[1])
            if touched:
                fresh = _aggregates(figures.filter(claim__incident_id__in=touched))
                for pk in touched:
                    if pk in fresh:
                        result[pk] = fresh[pk]
                    else:
                        result.pop(pk, None)
    if result is None:
        if not compute:
            return None
        result = _aggregates(figures)
    with _LOCK:
        _KEPT[project.pk] = (stamp, result)
        _KEPT.move_to_end(project.pk)
        while len(_KEPT) > MEMO_SIZE:
            _KEPT.popitem(last=False)
    return result


def _empty_aggregate() -> _Aggregate:
    return _Aggregate(
        ranges={c: CasualtyRange(category=c) for c in CASUALTY_CATEGORIES}
    )


class RegisterRows(Sequence[RegisterRow]):
    """The register's rows in order, each slice built when asked for.

    The order is fixed up front from light tuples (and the aggregates when
    sorting by one), so a paginator's page loads only its own incidents,
    and, when the project's aggregates are not kept, aggregates only their
    figures: a page costs the same with 100 incidents or 10,000."""

    def __init__(
        self,
        *,
        ids: list[int],
        figures: QuerySet[ClaimQuantity],
        aggregates: dict[int, _Aggregate] | None,
        keys: dict[int, _Key] | None = None,
    ) -> None:
        self._ids = ids
        self._keys = keys or {}
        self._figures = figures
        self._aggregates = aggregates

    def __len__(self) -> int:
        return len(self._ids)

    def count(self) -> int:  # type: ignore[override]  # Paginator's protocol
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> RegisterRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[RegisterRow]: ...
    def __getitem__(self, index: int | slice) -> RegisterRow | list[RegisterRow]:
        if isinstance(index, slice):
            return self._build(self._ids[index])
        return self._build([self._ids[index]])[0]

    def __iter__(self) -> Iterator[RegisterRow]:
        return iter(self._build(self._ids))

    def _build(self, ids: list[int]) -> list[RegisterRow]:
        if not ids:
            return []
        by_pk = _incidents_at(ids, self._keys)
        aggregates = self._aggregates
        if aggregates is None:
            aggregates = _aggregates(self._figures.filter(claim__incident_id__in=ids))
        rows = []
        for pk in ids:
            agg = aggregates.get(pk) or _empty_aggregate()
            rows.append(
                RegisterRow(
                    incident=by_pk[pk],
                    ranges=agg.ranges,
                    source_count=agg.source_count,
                    best_grade=agg.best_grade,
                    figure_count=agg.figure_count,
                    first_reported=agg.first_reported,
                )
            )
        return rows


def _key_of(incident: Incident) -> _Key:
    return (
        incident.pk,
        incident.number,
        incident.date,
        incident.place,
        incident.status,
        incident.version,
    )


def _incidents_at(ids: list[int], keys: dict[int, _Key]) -> dict[int, Incident]:
    """The incidents ``ids``, reusing those kept whose key (version, number,
    date, place, status) matches what the register just read (every change
    to an incident saves its next version), so a campaign rebuilt after a
    grade change does not load 1,000 incidents again; the others are
    loaded and kept."""
    found: dict[int, Incident] = {}
    with _LOCK:
        for pk in ids:
            kept = _INCIDENTS.get(pk)
            if kept is not None and pk in keys and _key_of(kept) == keys[pk]:
                found[pk] = kept
                _INCIDENTS.move_to_end(pk)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        loaded = Incident.objects.filter(pk__in=missing).only(
            *REGISTER_FIELDS, "version"
        )
        with _LOCK:
            for incident in loaded:
                found[incident.pk] = incident
                if keys.get(incident.pk) == _key_of(incident):
                    _INCIDENTS[incident.pk] = incident
            while len(_INCIDENTS) > INCIDENTS_KEPT:
                _INCIDENTS.popitem(last=False)
    return found


def register_sequence(
    *,
    user: User | AnonymousUser,
    incidents: QuerySet[Incident],
    project: Project | None = None,
    sort: str = "date",
    descending: bool = False,
    reliability: str = "",
    credibility: str = "",
    every_row: bool = False,
) -> RegisterRows:
    """The register's rows (``register_rows``), sorted on the server and
    built a slice at a time, for a paginator.

    ``reliability``/``credibility`` keep incidents with at least one figure
    of that grade (``ungraded`` for figures without one). The project's
    aggregates are computed in SQL and kept (``project_memo``) when the
    order needs them all, or ``every_row`` is asked for; otherwise each
    page aggregates only its own incidents' figures."""
    if project is None:
        first = incidents.values_list("project_id", flat=True).first()
        if first is None:
            return RegisterRows(
                ids=[], figures=ClaimQuantity.objects.none(), aggregates={}
            )
        project = Project.objects.get(pk=first)
    # Blind: the register, its exports, the campaign and the brief list the
    # user's own incidents, whoever built the queryset.
    incidents = incidents.filter(visible_incidents_q(user, project))
    figures = _figures_of(user, project)
    if reliability or credibility:
        wanted = figures.filter(_grade_filter(reliability, credibility))
        incidents = incidents.filter(pk__in=wanted.values("claim__incident_id"))
    keys: list[_Key] = list(incidents.values_list(*_KEY_FIELDS))
    sort = sort if sort in SORTS else "date"
    aggregates = (
        _project_aggregates(
            user,
            project,
            figures,
            # Kept ones are refreshed cheaply, so a sighted viewer's first
            # page computes them all; blind, a page aggregates only its own.
            compute=every_row
            or sort in AGGREGATE_SORTS
            or not _works_blind(user, project),
        )
        if keys
        else {}
    )
    empty = _empty_aggregate()
    order = SORTS[sort]
    keys.sort(
        key=lambda k: order(k, aggregates.get(k[0], empty) if aggregates else empty),
        reverse=descending,
    )
    return RegisterRows(
        ids=[k[0] for k in keys],
        figures=figures,
        aggregates=aggregates,
        keys={k[0]: k for k in keys},
    )


def register_rows(
    *,
    user: User | AnonymousUser,
    incidents: QuerySet[Incident],
    project: Project | None = None,
    sort: str = "date",
    descending: bool = False,
    reliability: str = "",
    credibility: str = "",
) -> list[RegisterRow]:
    """One row per incident with its ranges, sources, best grade and first
    report, sorted; a fixed number of queries whatever the number of
    incidents (the ranges are aggregated in SQL by the rule of
    ``legal.ranges``), for the exports, the campaign and the brief."""
    found = register_sequence(
        user=user,
        incidents=incidents,
        project=project,
        sort=sort,
        descending=descending,
        reliability=reliability,
        credibility=credibility,
        every_row=True,
    )
    return found[:]


#: The incident fields the register, exports and charts read.
REGISTER_FIELDS = ("project_id", "number", *INCIDENT_FIELDS)

#: What ``project_memo`` keeps for the last few (project, history stamp)
#: pairs, in this process: ready objects, as unpickling 5,000 ranges from a
#: shared cache costs as much as reading them again. A new history entry
#: changes the key, so a change is seen at once.
MEMO_SIZE = 16
_MEMO: OrderedDict[str, Any] = OrderedDict()
#: Each project's register aggregates with the history stamp they are at.
_KEPT: OrderedDict[int, tuple[int, dict[int, _Aggregate]]] = OrderedDict()
#: Incidents the register loaded, by pk, each at the version it was read
#: at (``_incidents_at``), the least recently used dropped first.
INCIDENTS_KEPT = 20_000
_INCIDENTS: OrderedDict[int, Incident] = OrderedDict()
#: Threads of one process share all three.
_LOCK = threading.Lock()


RELIABILITY_CHOICES = [*Reliability.choices, (UNGRADED, "Ungraded")]
CREDIBILITY_CHOICES = [*Credibility.choices, (UNGRADED, "Ungraded")]
