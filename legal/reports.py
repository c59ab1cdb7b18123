"""Evidence briefs: a project's (or one criterion's) record, as HTML or PDF.

The brief lists claims with their exact quotes, source, report date and the
SHA-256 of each source document's original bytes (quotes verbatim in their
document's language, marked with ``lang``, followed by the analyst's
translation note or by a notice that none was given), the assessments with
rationales and cited quotes, and charts (tag distribution, timeline) as
inline SVG. All text comes from the database through Django's autoescaping
templates; the PDF is rendered by WeasyPrint with every external fetch
refused, so a hostile value can neither inject markup nor make the renderer
reach the network.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from annotations.models import Tag
from legal.brief_fonts import warn_missing_glyphs
from legal.charts import bar_svg
from legal.incident_charts import campaign_svg
from legal.incident_selectors import incident_list, register_rows
from legal.models import Assessment, Claim, Criterion, Incident
from legal.selectors import (
    ClaimOverview,
    assessments_visible,
    claim_overviews,
    claims_visible,
    mention_author,
)
from legal.tallies import tally_checks
from legal.templatetags.quote_language import is_foreign
from legal.timeline import timeline_build, timeline_chart
from projects.models import Project

TEMPLATE = "legal/brief.html"
BRIEF_CSS = "css/brief.css"


@dataclass
class BriefClaim:
    claim: Claim
    overview: ClaimOverview
    assessments: list[Assessment]

    @property
    def foreign_quotes(self) -> bool:
        """Whether a quote is in another language than the brief's: the
        translation note then goes beside each such quote, else after them."""
        return any(is_foreign(row.document.language) for row in self.overview.mentions)


def brief_context(
    *, project: Project, user, criterion: Criterion | None = None
) -> dict:
    """Everything the brief shows, read in a fixed number of queries per claim."""
    claims = claims_visible(project=project, user=user)
    if criterion is not None:
        claims = claims.filter(
            Q(assessments__criterion=criterion)
            | Q(assessments__element__criterion=criterion)
        ).distinct()
    assessments_qs = (
        assessments_visible(project=project, user=user)
        .select_related("element__criterion", "criterion", "author")
        .prefetch_related("sources__document")
    )
    if criterion is not None:
        assessments_qs = assessments_qs.filter(
            Q(criterion=criterion) | Q(element__criterion=criterion)
        )
    claim_list = list(
        claims.prefetch_related(
            "quantities",
            Prefetch("assessments", queryset=assessments_qs.order_by("element__order")),
        ).order_by("pk")
    )
    overviews = claim_overviews(claim_list, user=user)
    items = [
        BriefClaim(
            claim=c, overview=overviews[c.pk], assessments=list(c.assessments.all())
        )
        for c in claim_list
    ]

    author = mention_author(user, project)
    tag_counts = (
        Tag.objects.filter(project=project)
        .annotate(
            n=Count(
                "annotations",
                distinct=True,
                filter=Q(annotations__author=author) if author is not None else None,
            )
        )
        .filter(n__gt=0)
        .order_by("-n", "key")
    )
    tag_chart = bar_svg(
        [(t.name, t.n, t.colour) for t in tag_counts],
        title="Annotations per tag",
    )
    timeline = timeline_build(project=project, user=user)
    charts = [
        timeline_chart(timeline, counts=counts) for counts, _ in timeline.counts_present
    ]
    incidents = _brief_incidents(project=project, user=user, criterion=criterion)
    return {
        **incidents,
        "project": project,
        "criterion": criterion,
        "items": items,
        "tag_chart": tag_chart,
        "timeline": timeline,
        "timeline_charts": charts,
        "generated_at": timezone.now(),
        "generated_by": user,
        "document_count": project.documents.count(),
    }


def _brief_incidents(*, project: Project, user, criterion: Criterion | None) -> dict:
    """The incident register, tally checks and campaign chart of a project
    brief (none in a brief about one criterion). Blind mode applies, as on
    the register page, through the user the brief is made for."""
    if criterion is not None or not Incident.objects.filter(project=project).exists():
        return {"incident_rows": [], "tally_checks": [], "campaign_chart": None}
    rows = register_rows(user=user, incidents=incident_list(project=project))
    checks = tally_checks(user=user, project=project, incidents_rows=rows)
    return {
        "incident_rows": rows,
        "tally_checks": checks,
        "campaign_chart": campaign_svg(rows, checks),
    }


def brief_html(
    *,
    project: Project,
    user,
    criterion: Criterion | None = None,
    standalone: bool = True,
) -> str:
    """The brief as HTML. ``standalone`` (the PDF, a downloaded file) carries
    its stylesheet inline; the page the app serves links it instead, so it
    renders under the Content Security Policy, which refuses inline style."""
    context = brief_context(project=project, user=user, criterion=criterion)
    context["standalone"] = standalone
    if standalone:
        context["brief_css"] = brief_css()
    return render_to_string(TEMPLATE, context)


@functools.cache
def brief_css() -> str:
    """``static/css/brief.css``, the one copy of the brief's style."""
    path = finders.find(BRIEF_CSS)
    if not path:
        raise RuntimeError(f"The brief's stylesheet {BRIEF_CSS} is missing.")
    return Path(path).read_text(encoding="utf-8")


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"The report renderer does not fetch resources ({url[:60]}).")


def brief_pdf(*, project: Project, user, criterion: Criterion | None = None) -> bytes:
    """The brief as PDF bytes (WeasyPrint, no network, no file access):
    PDF/A-3b for archiving, tagged for screen readers, with title, author
    and creation date from the HTML's metadata. Characters no installed
    font has are logged as a warning (``legal.brief_fonts``)."""
    from weasyprint import HTML

    html = brief_html(project=project, user=user, criterion=criterion)
    warn_missing_glyphs(html, what=f"Evidence brief of {project.slug}")
    return HTML(string=html, url_fetcher=_refuse_fetch, base_url=None).write_pdf(
        pdf_variant="pdf/a-3b", pdf_tags=True
    )


def brief_filename(project: Project, criterion: Criterion | None, ext: str) -> str:
    stamp = datetime.now(tz=timezone.get_current_timezone()).strftime("%Y%m%d-%H%M")
    scope = f"-{criterion.code}" if criterion else ""
    return f"glossa-brief-{project.slug}{scope}-{stamp}.{ext}"
