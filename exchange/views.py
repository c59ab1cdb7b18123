"""The export and import page of a project (``/p/<slug>/export/``).

GET shows the formats; ``?format=KEY`` streams that export at once (a
StreamingHttpResponse: the browser's download bar shows it arriving).
POST ``action=export`` prepares it in the background as a Job whose page
shows a progress bar polled with htmx, then offers the file. Other POSTs
import a tool's file (doccano, Label Studio, Prodigy, BRAT, Hypothesis,
INCEpTION, W3C). ``document_text`` serves a document's text representation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from corpus.models import Document, Job, JobKind, JobStatus
from exchange.exports import FORMATS, export_response, export_role
from exchange.exports.jobs import export_job_create
from exchange.forms import ExportForm, ImportForm
from exchange.imports.formats import IMPORTERS
from exchange.signing import fingerprint, public_key_pem
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.htmx import page_or_partial
from projects.models import Role, works_blind
from projects.permissions import project_view, require_role


@project_view(Role.VIEWER)
def export_page(request, slug: str):
    project, membership = request.project, request.membership
    key = request.GET.get("format")
    if key:
        if key not in FORMATS:
            messages.error(request, f"Unknown export format {key!r}.")
            return redirect("export", slug=slug)
        require_role(request, export_role(key, project))
        return export_response(
            project, key, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    export = ExportForm.posted(request.POST) if request.method == "POST" else None
    if export is not None:
        if not export.is_valid():
            messages.error(request, form_errors_from(export))
            return redirect("export", slug=slug)
        key = export.cleaned_data["format"]
        require_role(request, export_role(key, project))
        job = export_job_create(
            project=project,
            user=request.user,
            key=key,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
        return redirect("export-job", slug=slug, pk=job.pk)
    form = ImportForm()
    if request.method == "POST":
        require_role(request, Role.ANALYST)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            if form.cleaned_data["create_tags"]:
                require_role(request, Role.OWNER)
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
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    f"Imported {result.annotations_created} annotations "
                    f"({result.documents_created} new documents, "
                    f"{len(result.refused)} refused).",
                )
                return TemplateResponse(
                    request,
                    "exchange/export.html",
                    _context(project, membership, ImportForm(), result),
                )
    return TemplateResponse(
        request, "exchange/export.html", _context(project, membership, form, None)
    )


@project_view(Role.VIEWER)
def document_text(request, slug: str, pk: int):
    """The document's text representation, ``/p/<slug>/d/<id>/text.txt``.

    Exactly the stored text (UTF-8, LF) and nothing else, so the selectors
    of exported annotations (W3C, Hypothesis), whose ``source`` is this
    URL, re-anchor on the resource they name; the annotator page adds
    template text and breaks lines differently. Members only (any role);
    the text carries no annotations, so blind mode hides nothing here.
    """
    document = get_object_or_404(
        Document.objects.for_user(request.user).only("text"),
        project=request.project,
        pk=pk,
    )
    response = HttpResponse(document.text, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="document-{pk}.txt"'
    return response


def _export_job(request, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk, project=request.project, kind=JobKind.EXPORT)
    require_role(request, export_role(job.report.get("format", ""), request.project))
    return job


@project_view(Role.VIEWER)
def export_job(request, slug: str, pk: int):
    """Progress of an export job; htmx polls the partial until it is done."""
    job = _export_job(request, pk)
    export = FORMATS.get(job.report.get("format", ""))
    context = {"project": request.project, "job": job, "export": export}
    return page_or_partial(
        request,
        page="exchange/export_job.html",
        partial="exchange/_export_job.html",
        context=context,
    )


@project_view(Role.VIEWER)
def export_job_download(request, slug: str, pk: int):
    """The finished file of an export job (same roles as the export)."""
    job = _export_job(request, pk)
    name = job.report.get("file")
    if job.status != JobStatus.DONE or not name:
        raise Http404("This export is not ready.")
    export = FORMATS[job.report["format"]]
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1].split("-", 1)[-1],
        content_type=export.media_type,
    )


def _context(project, membership, form, result) -> dict:
    formats = [
        {"format": f, "allowed": membership.allows(export_role(f.key, project))}
        for f in FORMATS.values()
    ]
    annotations, claims = project.annotations.all(), project.claims.all()
    if works_blind(project, membership):  # their own work only
        annotations = annotations.filter(author=membership.user_id)
        claims = claims.filter(created_by=membership.user_id)
    counts = {
        "documents": project.documents.count(),
        "annotations": annotations.count(),
        "claims": claims.count(),
    }
    return {
        "project": project,
        "formats": formats,
        "form": form,
        "result": result,
        "counts": counts,
        "can_import": membership.allows(Role.ANALYST),
        "jobs": Job.objects.filter(project=project, kind=JobKind.EXPORT)[:5],
        "signing_key": fingerprint(public_key_pem()),
        "signing_key_pem": public_key_pem().decode("ascii"),
    }
