"""The evidence matrix: legal elements against claims, counted in SQL.

Rows are the elements of the project's frameworks, grouped by criterion.
Counts per element come from ONE ``GROUP BY element`` query over
assessments; the claims dimension is paginated (a page of columns at a
time, the most assessed claims first), its cells read with one more
query. No per-cell queries: the page costs a fixed handful of queries
whether the project has 50 claims or 50,000.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from annotations.models import Annotation
from legal.models import Assessment, Claim, Criterion, Element, Finding
from legal.selectors import assessments_visible, claims_visible, mention_author
from projects.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

#: Findings that address an element; "not applicable" does not.
ADDRESSING = (Finding.SUPPORTS, Finding.UNDERMINES, Finding.INCONCLUSIVE)
CLAIMS_PER_PAGE = 12
#: Cell code -> the symbol shown (a legend under the table explains them).
CELL_SYMBOLS = {
    "supports": "+",
    "undermines": "\u2212",  # minus sign
    "inconclusive": "?",
    "mixed": "±",
    "not_applicable": "n/a",
    "": "",
}


@dataclass
class ElementRow:
    element: Element
    supports: int = 0
    undermines: int = 0
    inconclusive: int = 0
    not_applicable: int = 0
    claims: int = 0
    #: (claim id, cell code, symbol) for the claims on the current page.
    cells: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def addressed(self) -> bool:
        return (self.supports + self.undermines + self.inconclusive) > 0


@dataclass
class CriterionBlock:
    criterion: Criterion
    rows: list[ElementRow]


@dataclass
class Matrix:
    blocks: list[CriterionBlock]
    claims_page: Page
    gaps: list[Element]
    totals: dict[str, int]


def matrix_elements(
    *, project: Project, criterion: Criterion | None = None
) -> QuerySet[Element]:
    elements = Element.objects.filter(criterion__framework__project=project)
    if criterion is not None:
        elements = elements.filter(criterion=criterion)
    return elements.select_related("criterion", "criterion__framework").order_by(
        "criterion__framework__name", "criterion__order", "criterion__code", "order"
    )


def element_counts(
    *, project: Project, user: User | AnonymousUser | None = None
) -> dict[int, dict[str, int]]:
    """Assessment counts per element and finding (of the assessments ``user``
    may see): the one GROUP BY query."""
    rows = (
        assessments_visible(project=project, user=user)
        .filter(element__isnull=False)
        .values("element_id")
        .annotate(
            supports=Count("pk", filter=Q(finding=Finding.SUPPORTS)),
            undermines=Count("pk", filter=Q(finding=Finding.UNDERMINES)),
            inconclusive=Count("pk", filter=Q(finding=Finding.INCONCLUSIVE)),
            not_applicable=Count("pk", filter=Q(finding=Finding.NOT_APPLICABLE)),
            claims=Count("claim_id", distinct=True),
        )
        .order_by()
    )
    # Plain dicts: the counts become ElementRow keyword arguments.
    plain = cast("Iterable[dict[str, int]]", rows)
    return {row.pop("element_id"): row for row in plain}


def cell_symbol(findings: set[str]) -> str:
    """One short code per cell: s(upports), u(ndermines), i, n, or mixed."""
    addressing = findings & set(ADDRESSING)
    if len(addressing) > 1:
        return "mixed"
    if addressing:
        return next(iter(addressing))
    return "not_applicable" if findings else ""


def matrix_build(
    *,
    project: Project,
    criterion: Criterion | None = None,
    page: int | str = 1,
    per_page: int = CLAIMS_PER_PAGE,
    user: User | AnonymousUser | None = None,
) -> Matrix:
    """The matrix of the claims and assessments ``user`` may see (blind
    mode: their own)."""
    elements = list(matrix_elements(project=project, criterion=criterion))
    counts = element_counts(project=project, user=user)
    author = mention_author(user, project)
    own = Q(assessments__author=author) if author is not None else None

    claims = (
        claims_visible(project=project, user=user)
        .annotate(n_assessments=Count("assessments", filter=own))
        .only("pk", "proposition", "claimant")
        .order_by("-n_assessments", "-pk")
    )
    paginator = Paginator(claims, per_page)
    paginator.count = claims_visible(project=project, user=user).count()
    claims_page = paginator.get_page(page)
    page_ids = [c.pk for c in claims_page.object_list]

    cell_findings: dict[tuple[int, int], set[str]] = {}
    if page_ids:
        for element_id, claim_id, finding in (
            assessments_visible(project=project, user=user)
            .filter(claim_id__in=page_ids, element__isnull=False)
            .values_list("element_id", "claim_id", "finding")
            .distinct()
        ):
            cell_findings.setdefault((element_id, claim_id), set()).add(finding)

    blocks: list[CriterionBlock] = []
    gaps: list[Element] = []
    totals = dict.fromkeys(Finding.values, 0)
    for element in elements:
        row = ElementRow(element=element, **counts.get(element.pk, {}))  # type: ignore[arg-type]
        codes = [
            cell_symbol(cell_findings.get((element.pk, cid), set())) for cid in page_ids
        ]
        row.cells = [
            (cid, code, CELL_SYMBOLS[code])
            for cid, code in zip(page_ids, codes, strict=True)
        ]
        for f in Finding.values:
            totals[f] += getattr(row, f)
        if not row.addressed:
            gaps.append(element)
        if not blocks or blocks[-1].criterion.pk != element.criterion_id:
            blocks.append(CriterionBlock(criterion=element.criterion, rows=[]))
        blocks[-1].rows.append(row)
    return Matrix(blocks=blocks, claims_page=claims_page, gaps=gaps, totals=totals)


def matrix_drilldown(
    *,
    project: Project,
    element: Element,
    claim: Claim | None = None,
    user: User | AnonymousUser | None = None,
) -> QuerySet[Assessment]:
    """The assessments behind one row (or one cell) that ``user`` may see,
    with quotes and sources."""
    assessments = assessments_visible(project=project, user=user).filter(
        element=element
    )
    if claim is not None:
        assessments = assessments.filter(claim=claim)
    return (
        assessments.select_related("claim", "author")
        .prefetch_related(
            Prefetch(
                "sources",
                queryset=Annotation.objects.select_related("document__source").defer(
                    "document__text", "document__metadata"
                ),
            )
        )
        .order_by("finding", "-updated_at")
    )
