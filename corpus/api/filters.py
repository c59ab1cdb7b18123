"""django-filter filter sets of the corpus API."""

from __future__ import annotations

import django_filters

from corpus.models import AnalysisStatus, Document, DocumentKind


class DocumentFilter(django_filters.FilterSet):
    project = django_filters.CharFilter(
        field_name="project__slug", help_text="Project slug."
    )
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    analysis_status = django_filters.ChoiceFilter(choices=AnalysisStatus.choices)
    source = django_filters.CharFilter(
        field_name="source__name", lookup_expr="iexact", help_text="Source name."
    )
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte"
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt"
    )
    title = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Document
        fields = ["project", "kind", "analysis_status", "source"]
