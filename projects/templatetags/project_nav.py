"""``{% project_nav_link 'name' project %}``: one tab of the project tab bar.

The tab is marked current on its own page and on the pages of its section
(``SECTIONS``); a tab the member's role cannot open is left out
(``MIN_ROLE``). Every tab names a URL that exists: a wrong name fails
loudly with ``NoReverseMatch`` rather than silently dropping the tab.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from projects.models import Role

register = template.Library()

LABELS = {
    "project-dashboard": "Dashboard",
    "document-list": "Documents",
    "triage": "Suggestions",
    "ingest": "Add documents",
    "claim-list": "Claims",
    "incidents": "Incidents",
    "matrix": "Matrix",
    "timeline": "Timeline",
    "reports": "Reports",
    "framework": "Framework",
    "learning-model": "Model",
    "agreement": "Agreement",
    "members": "Team",
    "export": "Export",
}
# Pages that belong to a tab without being its own URL: the tab stays
# highlighted on them (paths below /p/<slug>/).
SECTIONS = {
    "document-list": ("d/",),
    "ingest": ("jobs/",),
    "claim-list": ("claims/",),
    "incidents": ("incidents/",),
    "matrix": ("matrix/",),
    "reports": ("reports/",),
    "framework": ("framework/",),
    "triage": ("suggestions/",),
    "learning-model": ("model/",),
    "members": (
        "queue/",
        "assignments/",
        "adjudicate/",
        "agreement/",
        "history/",
        "tags/",
    ),
    "export": ("export/",),
}
# Tabs whose page needs more than a viewer's role: hidden from members below
# it (a tab that answers 403 is a dead end), shown where the role is unknown.
MIN_ROLE = {"ingest": Role.ANALYST}


@register.simple_tag(takes_context=True)
def project_nav_link(context, name: str, project, label: str = "") -> str:
    url = reverse(name, kwargs={"slug": project.slug})
    request = context.get("request")
    rank = getattr(request, "role_rank", None)
    if name in MIN_ROLE and rank is not None and rank < Role.rank(MIN_ROLE[name]):
        return ""
    base = f"/p/{project.slug}/"
    current = request is not None and (
        request.path == url
        or any(
            request.path.startswith(base + prefix) for prefix in SECTIONS.get(name, ())
        )
    )
    text = label or LABELS.get(name, name)
    if current:
        return format_html(
            '<a href="{}" aria-current="page" class="current">{}</a>', url, text
        )
    return format_html('<a href="{}">{}</a>', url, text)
