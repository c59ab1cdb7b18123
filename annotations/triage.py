"""Triage at scale: the project's pending suggestions filtered by tag, rule
and confidence, and one decision (accept or reject) on all that match.

A decision is two steps: the analyst asks to accept or reject the N that
match, the page repeats what will happen and asks to confirm, and the
confirmation carries N so the service refuses if the queue changed in
between (``suggestions_decide_bulk``). Works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from annotations.learning.selectors import QUEUE_ORDERS, by_uncertainty
from annotations.models import Tag
from annotations.selectors import (
    SuggestionFilters,
    suggestion_rules,
    suggestions_triage,
)
from annotations.services.suggestions import BULK_DECISIONS, suggestions_decide_bulk
from projects.errors import ApplicationError
from projects.models import Project, Role
from projects.permissions import project_view

SAMPLE_ROWS = 50


class TriageFilterForm(forms.Form):
    """The queue's filters; choices come from the project's tags and rules."""

    tag = forms.ChoiceField(required=False, label="Tag")
    rule = forms.ChoiceField(required=False, label="Rule")
    min_confidence = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Confidence from (%)"
    )
    max_confidence = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="to (%)"
    )
    order = forms.ChoiceField(
        required=False, label="Order", choices=list(QUEUE_ORDERS.items())
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tags = Tag.objects.filter(project=project).order_by("order", "key")
        tag_field: Any = self.fields["tag"]
        tag_field.choices = [("", "Any tag")] + [(t.key, t.name) for t in tags]
        rule_field: Any = self.fields["rule"]
        rule_field.choices = [("", "Any rule")] + [
            (r, r) for r in suggestion_rules(project=project)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_confidence"), data.get("max_confidence")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(
                f"The lowest confidence ({low}%) is above the highest ({high}%)."
            )
        return data

    def filters(self) -> SuggestionFilters:
        data = self.cleaned_data
        low, high = data.get("min_confidence"), data.get("max_confidence")
        return SuggestionFilters(
            tag=data.get("tag") or "",
            rule=data.get("rule") or "",
            min_confidence=None if low is None else low / 100,
            max_confidence=None if high is None else high / 100,
        )

    def query(self) -> str:
        """The filters as a query string (to come back to the same queue)."""
        return urlencode(
            {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        )


@project_view(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def suggestion_triage_view(request, slug: str):
    """Filter the pending suggestions; analysts accept or reject all that match."""
    project = request.project
    source = request.POST if request.method == "POST" else request.GET
    form = TriageFilterForm(source, project=project)
    valid = form.is_valid()
    filters = form.filters() if valid else SuggestionFilters()
    queryset = suggestions_triage(user=request.user, project=project, filters=filters)
    count = queryset.count()
    # Only the rows shown are ordered: a decision covers all that match.
    uncertain = valid and form.cleaned_data.get("order") == "uncertainty"
    shown = by_uncertainty(queryset) if uncertain else queryset
    can_decide = request.membership.allows(Role.ANALYST)
    decision = request.POST.get("decision", "")
    confirming = None
    if request.method == "POST":
        if not can_decide:
            messages.error(request, "Deciding suggestions needs the analyst role.")
        elif not valid:
            pass  # the form shows its errors
        elif decision not in BULK_DECISIONS:
            messages.error(request, "Choose to accept or to reject.")
        elif "confirm" not in request.POST:
            confirming = decision
        else:
            expected = request.POST.get("expected_count", "")
            try:
                result = suggestions_decide_bulk(
                    suggestions=queryset,
                    user=request.user,
                    decision=decision,
                    expected_count=int(expected) if expected.isdigit() else -1,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                verb = "Accepted" if decision == "accept" else "Rejected"
                messages.success(
                    request,
                    f"{verb} {result.decided} suggestion"
                    f"{'' if result.decided == 1 else 's'}.",
                )
                for reason in result.skipped[:10]:
                    messages.warning(request, f"Not decided: {reason}")
                url = reverse("triage", kwargs={"slug": slug})
                return redirect(f"{url}?{form.query()}")
    context = {
        "project": project,
        "form": form,
        "count": count,
        "rows": list(shown[:SAMPLE_ROWS]),
        "can_decide": can_decide,
        "confirming": confirming,
        "query": form.query() if valid else "",
        "blind": project.blind_mode and not request.membership.allows(Role.REVIEWER),
    }
    return TemplateResponse(
        request,
        "annotations/suggestion_triage.html",
        context,
        status=400 if form.errors else 200,
    )
