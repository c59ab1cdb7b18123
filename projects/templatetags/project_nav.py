"""``{% project_nav_link 'name' project %}``: one tab of the project tab bar.

The tab is marked current on its own page and on the pages of its section
(``SECTIONS``). Every tab names a URL that exists: a wrong name fails
loudly with ``NoReverseMatch`` rather than silently dropping the tab.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

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


@register.simple_tag(takes_context=True)
def project_nav_link(context, name: str, project, label: str = "") -> str:
    url = reverse(name, kwargs={"slug": project.slug})
    request = context.get("request")
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
