"""HTML views of the corpus: thin, permission-checked, server-rendered."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.forms import Form
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from corpus.forms import (
    AssignmentActionForm,
    AssignmentBulkForm,
    BlindModeForm,
    DocumentSourceForm,
    IngestWayForm,
    PasteForm,
    UploadForm,
    UrlForm,
)
from corpus.ingest import ingest_text, ingest_uploads, ingest_url
from corpus.ingest.service import ingest_job_record
from corpus.models import Assignment, AssignmentStatus, Document, Job, JobStatus
from corpus.permissions import project_document
from corpus.selectors import natural_title_order
from corpus.services import (
    assignment_delete,
    assignment_reopen,
    assignment_submit,
    assignments_create_bulk,
    document_source_set,
)
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.htmx import page_or_partial
from projects.models import Role
from projects.permissions import project_view, require_role
from projects.services import project_set_blind_mode


@project_view(Role.ANALYST)
@require_http_methods(["GET", "POST"])
def ingest(request, slug: str):
    """The three ways in; a successful POST redirects to the ingestion report."""
    project = request.project
    forms = {
        "upload": UploadForm(prefix="upload"),
        "paste": PasteForm(prefix="paste"),
        "url": UrlForm(prefix="url"),
    }
    way = IngestWayForm(request.POST or None)
    active = way.cleaned_data["form"] if way.is_valid() else "upload"
    if request.method == "POST" and way.is_valid():
        result = None
        form: Form
        if active == "upload":
            form = forms["upload"] = UploadForm(
                request.POST, request.FILES, prefix="upload"
            )
            if form.is_valid():
                result = ingest_uploads(
                    project=project,
                    user=request.user,
                    uploads=form.cleaned_data["files"],
                    kind=form.cleaned_data["kind"],
                    source=form.cleaned_data["source"] or None,
                )
        elif active == "paste":
            form = forms["paste"] = PasteForm(request.POST, prefix="paste")
            if form.is_valid():
                data = form.cleaned_data
                result = ingest_text(
                    project=project,
                    user=request.user,
                    text=data["text"],
                    title=data["title"],
                    kind=data["kind"],
                    speaker=data["speaker"],
                    role=data["role"],
                    platform=data["platform"],
                    published_at=data["published_at"],
                    source=data["source"] or None,
                    url=data["url"],
                )
        else:
            form = forms["url"] = UrlForm(request.POST, prefix="url")
            if form.is_valid():
                data = form.cleaned_data
                result = ingest_url(
                    project=project,
                    user=request.user,
                    url=data["url"],
                    kind=data["kind"],
                    source=data["source"] or None,
                )
        if result is not None:
            job = ingest_job_record(
                project=project, user=request.user, result=result, how=active
            )
            return redirect("job-detail", slug=project.slug, pk=job.pk)
    context = {
        "project": project,
        "forms": forms,
        "active": active,
        "max_bytes": settings.GLOSSA_MAX_UPLOAD_BYTES,
        "recent_jobs": Job.objects.filter(project=project).order_by("-created_at")[:10],
    }
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "corpus/ingest.html", context, status=status)


@project_view(Role.VIEWER)
def job_detail(request, slug: str, pk: int):
    """A job's progress; htmx polls the ``_job_progress.html`` partial."""
    project = request.project
    job = get_object_or_404(Job, pk=pk, project=project)
    analysis = None
    analysis_id = (job.report or {}).get("analysis_job")
    if analysis_id:
        analysis = Job.objects.filter(pk=analysis_id, project=project).first()
    context = {
        "project": project,
        "job": job,
        "analysis": analysis,
        "items": (job.report or {}).get("items", []),
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
    }
    # htmx polls the progress panel alone, every second while the job runs.
    return page_or_partial(
        request,
        page="corpus/job_detail.html",
        partial="corpus/_job_progress.html",
        context=context,
    )


@project_view(Role.VIEWER)
def document_original(request, slug: str, pk: int):
    """The original bytes as received, always as a download (never rendered)."""
    document = get_object_or_404(
        Document.objects.without_bodies(), pk=pk, project=request.project
    )
    if not document.has_original:
        raise Http404("This document has no stored original.")
    if not document.original:
        # A record of a file kept once (a JSON Lines line): its own bytes,
        # whose SHA-256 is the document's, and where they are in that file.
        container = document.container
        assert container is not None
        response = _attachment(
            ContentFile(document.original_bytes()),
            name=_download_name(document, ".json"),
            media_type=document.media_type,
            sha256=document.sha256,
        )
        end = (document.record_offset or 0) + (document.record_length or 0)
        response["X-Glossa-Record"] = (
            f"bytes {document.record_offset}-{end - 1} of {container.name} "
            f"(SHA-256 {container.sha256})"
        )
        return response
    return _attachment(
        document.original,
        name=_download_name(document, ".bin"),
        media_type=document.media_type,
        sha256=document.sha256,
    )


@project_view(Role.ANALYST)
@require_POST
def document_source_view(request, slug: str, pk: int):
    """Set the document's source (and so its voice); back to the document."""
    document = project_document(request, pk)
    form = DocumentSourceForm(request.POST, project=request.project)
    if not form.is_valid():
        messages.error(request, form_errors_from(form))
    else:
        data = form.cleaned_data
        try:
            source = document_source_set(
                document=document,
                user=request.user,
                source=data["source"],
                name=data["name"],
                kind=data["kind"],
            )
        except (ValidationError, ApplicationError) as exc:
            messages.error(request, form_errors_from(form, exc))
        else:
            messages.success(
                request,
                f"The source is now {source.name} ({source.get_kind_display()}); "
                "the document is re-analysed with it.",
            )
    return redirect("annotator", slug=slug, pk=pk)


@project_view(Role.VIEWER)
def document_warc(request, slug: str, pk: int):
    """The WARC record of a URL capture (request and response), as a download."""
    document = get_object_or_404(
        Document.objects.without_bodies(), pk=pk, project=request.project
    )
    if not document.warc:
        raise Http404("This document was not captured from a URL.")
    return _attachment(
        document.warc,
        name=f"document-{document.pk}.warc.gz",
        media_type="application/warc",
    )


@project_view(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def assignments_view(request, slug: str):
    """Every assignment of the project; owners assign in bulk."""
    project = request.project
    is_owner = request.membership.allows(Role.OWNER)
    if request.method == "POST":
        require_role(request, Role.OWNER)
        form = AssignmentBulkForm(request.POST, project=project)
        if form.is_valid():
            try:
                created = assignments_create_bulk(
                    project=project,
                    documents=form.cleaned_data["documents"],
                    annotators=form.cleaned_data["annotators"],
                    assigned_by=request.user,
                )
            except ApplicationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{len(created)} new assignment(s).")
                return redirect("assignments", slug=slug)
        messages.error(request, form_errors_from(form))
        return redirect("assignments", slug=slug)
    assignments = (
        Assignment.objects.filter(document__project=project)
        .select_related("document", "annotator")
        .order_by(*natural_title_order("document__"), "annotator__username")
    )
    status = request.GET.get("status", "")
    if status in AssignmentStatus.values:
        assignments = assignments.filter(status=status)
    analysts = (
        get_user_model()
        .objects.filter(
            memberships__project=project,
            memberships__role__in=[Role.ANALYST, Role.REVIEWER, Role.OWNER],
        )
        .order_by("username")
    )
    return TemplateResponse(
        request,
        "corpus/assignments.html",
        {
            "project": project,
            "assignments": assignments,
            "documents": Document.objects.filter(project=project)
            .without_bodies()
            .order_by(*natural_title_order()),
            "analysts": analysts,
            "statuses": AssignmentStatus.choices,
            "status": status,
            "is_owner": is_owner,
        },
    )


@project_view(Role.OWNER)
@require_POST
def blind_mode_view(request, slug: str):
    """Owners turn blind (independent) annotation on or off."""
    form = BlindModeForm(request.POST)
    blind = form.is_valid() and form.cleaned_data["blind_mode"]
    project_set_blind_mode(
        project=request.project, blind_mode=blind, actor=request.user
    )
    messages.success(
        request, f"Blind mode is {'on' if blind else 'off'} for {request.project}."
    )
    return redirect("assignments", slug=slug)


@project_view(Role.ANALYST)
@require_POST
def assignment_action_view(request, slug: str, pk: int, action: str):
    """Submit (the annotator), reopen (reviewers) or withdraw (owners)."""
    assignment = (
        Assignment.objects.select_related("document")
        .filter(pk=pk, document__project=request.project)
        .first()
    )
    if assignment is None:
        raise Http404("No such assignment.")
    form = AssignmentActionForm(request.POST)
    queue = form.is_valid() and form.cleaned_data["back"] == "queue"
    back = "my-queue" if queue else "assignments"
    try:
        if action == "submit":
            assignment_submit(assignment=assignment, user=request.user)
            messages.success(request, f"Submitted {assignment.document}.")
            return redirect("my-queue", slug=slug)
        if action == "reopen":
            require_role(request, Role.REVIEWER)
            assignment_reopen(assignment=assignment, user=request.user)
            messages.success(request, f"Reopened {assignment.document}.")
        elif action == "withdraw":
            require_role(request, Role.OWNER)
            assignment_delete(assignment=assignment, user=request.user)
            messages.success(request, "Assignment withdrawn.")
        else:
            raise Http404("No such action.")
    except ApplicationError as exc:
        messages.error(request, form_errors_from(form, exc))
    return redirect(back, slug=slug)


# Media types never served under their own type: a browser could render them.
ACTIVE_TYPES = re.compile(r"html|xml|svg|javascript|ecmascript", re.IGNORECASE)


def _attachment(file, *, name: str, media_type: str, sha256: str = "") -> FileResponse:
    if not media_type or ACTIVE_TYPES.search(media_type):
        media_type = "application/octet-stream"
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    if sha256:
        try:
            digest = base64.b64encode(bytes.fromhex(sha256)).decode()
            response["Repr-Digest"] = f"sha-256=:{digest}:"
        except (ValueError, binascii.Error):
            pass
    return response


def _download_name(document: Document, fallback_ext: str) -> str:
    base = (document.original_name or "").rstrip("/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .") or f"document-{document.pk}"
    if "." not in base:
        base += (
            mimetypes.guess_extension(document.media_type.split(";")[0]) or fallback_ext
        )
    return base[:150]
