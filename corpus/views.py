"""HTML views of the corpus: thin, permission-checked, server-rendered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.template.response import TemplateResponse

from corpus.models import Project


@login_required
def home(request):
    """The projects the user belongs to, with their document counts."""
    projects = (
        Project.objects.for_user(request.user)
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("name")
    )
    return TemplateResponse(request, "corpus/home.html", {"projects": projects})
