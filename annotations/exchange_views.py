"""The export and import page of a project (``/p/<slug>/export/``).

GET shows the formats; ``?format=KEY`` streams that export (a
StreamingHttpResponse, so the browser's download bar shows progress while
the server writes it chunk by chunk). POST imports a doccano, Label Studio
or W3C file.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from corpus.errors import ApplicationError
from corpus.models import Membership, Role
from corpus.permissions import access_project, check_role

from .api.exchange import export_response, export_role
from .exports import FORMATS
from .imports.formats import IMPORTERS


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in IMPORTERS.items()]
    )
    file = forms.FileField()
    create_tags = forms.BooleanField(
        required=False,
        label="Create tags for labels the project does not have (owners only)",
    )


@login_required
def export_page(request, slug: str):
    project = access_project(request.user, slug)
    membership = Membership.objects.get(project=project, user=request.user)
    key = request.GET.get("format")
    if key:
        if key not in FORMATS:
            messages.error(request, f"Unknown export format {key!r}.")
            return redirect("export", slug=slug)
        check_role(request.user, project, export_role(key))
        return export_response(
            project, key, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    form = ImportForm()
    if request.method == "POST":
        check_role(request.user, project, Role.ANALYST)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            if form.cleaned_data["create_tags"]:
                check_role(request.user, project, Role.OWNER)
            _, importer = IMPORTERS[form.cleaned_data["format"]]
            upload = form.cleaned_data["file"]
            try:
                result = importer(
                    upload.open("rb"),
                    project=project,
                    user=request.user,
                    create_tags=form.cleaned_data["create_tags"],
                    name=upload.name,
                )
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(
                    request,
                    f"Imported {result.annotations_created} annotations "
                    f"({result.documents_created} new documents, "
                    f"{len(result.refused)} refused).",
                )
                return TemplateResponse(
                    request,
                    "annotations/export.html",
                    _context(project, membership, ImportForm(), result),
                )
    return TemplateResponse(
        request, "annotations/export.html", _context(project, membership, form, None)
    )


def _context(project, membership, form, result) -> dict:
    formats = [
        {"format": f, "allowed": membership.allows(export_role(f.key))}
        for f in FORMATS.values()
    ]
    counts = {
        "documents": project.documents.count(),
        "annotations": project.annotations.count(),
        "claims": project.claims.count(),
    }
    return {
        "project": project,
        "formats": formats,
        "form": form,
        "result": result,
        "counts": counts,
        "can_import": membership.allows(Role.ANALYST),
    }
