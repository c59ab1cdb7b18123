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

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

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

from annotations.selectors import OPEN_ASSIGNMENT
from audit.models import HistoryEntry
from corpus.models import Assignment
from legal.models import (
    INCIDENT_FIELDS,
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
from projects.models import Project, Role
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
    works blind (an analyst in a blind-mode project), when figures stated in
    another analyst's annotation on a document the user has an open
    assignment on are hidden (the rule of ``annotations_visible_to``)."""
    if not project.blind_mode:
        return Q()
    membership = membership_for(user, project)
    if membership is None or membership.role != Role.ANALYST:
        return Q()
    open_documents = Assignment.objects.filter(
        annotator_id=user.pk, status__in=OPEN_ASSIGNMENT, document__project=project
    ).values("document_id")
    return (
        Q(annotation__isnull=True)
        | Q(annotation__author=user)
        | ~Q(annotation__document_id__in=open_documents)
    )


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

    rows = Document.objects.filter(pk__in=ids).values(
        "id",
        "title",
        "published_at",
        "captured_at",
        "publisher",
        "author",
        "source_id",
        "source__name",
        "source__grade__reliability",
    )
    return {row["id"]: dict(row) for row in rows}


def figure_rows(
    *,
    user: User | AnonymousUser,
    project: Project,
    queryset: QuerySet[ClaimQuantity],
) -> list[FigureRow]:
    """The figures of ``queryset`` the user may see, with document, quote,
    claimant and grade, in report order (four queries whatever the count)."""
    rows = list(
        queryset.filter(visible_figures_q(user, project))
        .order_by("pk")
        .values(*_FIGURE_FIELDS)
    )
    orphans = {r["claim_id"] for r in rows if r["annotation__document_id"] is None}
    first = _first_documents(orphans)
    doc_ids = {r["annotation__document_id"] for r in rows} | {
        f["annotation__document_id"] for f in first.values()
    }
    documents = _documents({d for d in doc_ids if d is not None})
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
        incident.claims.order_by("event_date", "pk").only(
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


SORTS = {
    "code": lambda r: (r.incident.number,),
    "date": lambda r: (r.incident.date, r.incident.number),
    "place": lambda r: (r.incident.place.lower(), r.incident.number),
    "killed": lambda r: (r.killed.floor, r.killed.ceiling, r.incident.number),
    "survivors": lambda r: (r.survivors.floor, r.incident.number),
    "sources": lambda r: (r.source_count, r.incident.number),
    "grade": lambda r: (r.best_grade == UNGRADED, r.best_grade, r.incident.number),
    "status": lambda r: (r.incident.status, r.incident.number),
}


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


def register_rows(
    *,
    user: User | AnonymousUser,
    incidents: QuerySet[Incident],
    sort: str = "date",
    descending: bool = False,
    reliability: str = "",
    credibility: str = "",
) -> list[RegisterRow]:
    """One row per incident with its ranges, sources, best grade and first
    report, sorted; a fixed number of queries whatever the number of
    incidents (the ranges are aggregated in SQL by the rule of
    ``legal.ranges``).

    The aggregates of a project are kept (``_MEMO``) until its history moves
    (``_project_stamp``); an analyst working blind gets their own, not kept.
    ``reliability``/``credibility`` keep incidents with at least one figure
    of that grade (``ungraded`` for figures without one)."""
    incident_list_ = list(incidents.only(*REGISTER_FIELDS))
    if not incident_list_:
        return []
    project = Project.objects.get(pk=incident_list_[0].project_id)
    figures = _figures_of(user, project)
    blind = bool(visible_figures_q(user, project))
    if blind:
        aggregates = _aggregates(figures)
    else:
        key = f"glossa:incident-register:{project.pk}:{_project_stamp(project)}"
        kept = _MEMO.get(key)
        if kept is None:
            kept = _MEMO[key] = _aggregates(figures)
            while len(_MEMO) > MEMO_SIZE:
                _MEMO.popitem(last=False)
        aggregates = kept
    if reliability or credibility:
        wanted = figures.filter(_grade_filter(reliability, credibility))
        keep = set(wanted.values_list("claim__incident_id", flat=True).distinct())
        incident_list_ = [i for i in incident_list_ if i.pk in keep]
    rows = []
    for incident in incident_list_:
        agg = aggregates.get(incident.pk) or _Aggregate(
            ranges={c: CasualtyRange(category=c) for c in CASUALTY_CATEGORIES}
        )
        rows.append(
            RegisterRow(
                incident=incident,
                ranges=agg.ranges,
                source_count=agg.source_count,
                best_grade=agg.best_grade,
                figure_count=agg.figure_count,
                first_reported=agg.first_reported,
            )
        )
    rows.sort(key=SORTS.get(sort, SORTS["date"]), reverse=descending)
    return rows


#: The incident fields the register, exports and charts read.
REGISTER_FIELDS = ("project_id", "number", *INCIDENT_FIELDS)

#: Register aggregates of the last few (project, history stamp) pairs, in
#: this process: ready objects, as unpickling 5,000 ranges from a shared
#: cache costs as much as reading them again. A new history entry changes
#: the key, so a change is seen at once.
MEMO_SIZE = 16
_MEMO: OrderedDict[str, dict[int, _Aggregate]] = OrderedDict()


RELIABILITY_CHOICES = [*Reliability.choices, (UNGRADED, "Ungraded")]
CREDIBILITY_CHOICES = [*Credibility.choices, (UNGRADED, "Ungraded")]
