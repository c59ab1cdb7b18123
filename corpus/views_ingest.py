"""Ingestion pages: upload/paste/URL forms, job progress, original downloads.

Thin function views: check the role through ``corpus.permissions``, call one
service from ``corpus.ingest``, render. Ingesting needs the analyst role;
any member may watch a job or download an original.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from corpus.forms_ingest import PasteForm, UploadForm, UrlForm
from corpus.ingest import IngestResult, Outcome, ingest_batch, ingest_text, ingest_url
from corpus.ingest.service import FAILED, ingest_job_record
from corpus.models import Document, Job, JobStatus, Role
from corpus.permissions import access_project

# Media types never served under their own type: a browser could render them.
ACTIVE_TYPES = re.compile(r"html|xml|svg|javascript|ecmascript", re.IGNORECASE)


@login_required
@require_http_methods(["GET", "POST"])
def ingest(request, slug: str):
    """The three ways in; a successful POST redirects to the ingestion report."""
    project = access_project(request.user, slug, Role.ANALYST)
    forms = {
        "upload": UploadForm(prefix="upload"),
        "paste": PasteForm(prefix="paste"),
        "url": UrlForm(prefix="url"),
    }
    active = request.POST.get("form", "upload")
    if request.method == "POST" and active in forms:
        result = None
        if active == "upload":
            form = forms["upload"] = UploadForm(
                request.POST, request.FILES, prefix="upload"
            )
            if form.is_valid():
                result = _ingest_uploads(project, request.user, form.cleaned_data)
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


def _ingest_uploads(project, user, data) -> IngestResult:
    """Refuse over-size uploads without reading them; ingest the rest at once."""
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES
    refused = IngestResult()
    files = []
    for upload in data["files"]:
        if upload.size > limit:
            refused.outcomes.append(
                Outcome(
                    upload.name,
                    FAILED,
                    message=f"The file is too large ({upload.size:,} bytes; the "
                    f"limit is {limit:,} bytes).",
                )
            )
            continue
        files.append((upload.name, upload.read()))
    result = ingest_batch(
        project=project,
        files=files,
        user=user,
        kind=data["kind"],
        source=data["source"] or None,
    )
    refused.extend(result)
    refused.job = result.job
    return refused


@login_required
def job_detail(request, slug: str, pk: int):
    """A job's progress; htmx polls the ``_job_progress.html`` partial."""
    project = access_project(request.user, slug, Role.VIEWER)
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
    if request.headers.get("HX-Request"):
        return TemplateResponse(request, "corpus/_job_progress.html", context)
    return TemplateResponse(request, "corpus/job_detail.html", context)


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


@login_required
def document_original(request, slug: str, pk: int):
    """The original bytes as received, always as a download (never rendered)."""
    project = access_project(request.user, slug, Role.VIEWER)
    document = get_object_or_404(
        Document.objects.without_bodies(), pk=pk, project=project
    )
    if not document.original:
        raise Http404("This document has no stored original.")
    return _attachment(
        document.original,
        name=_download_name(document, ".bin"),
        media_type=document.media_type,
        sha256=document.sha256,
    )


@login_required
def document_warc(request, slug: str, pk: int):
    """The WARC record of a URL capture (request and response), as a download."""
    project = access_project(request.user, slug, Role.VIEWER)
    document = get_object_or_404(
        Document.objects.without_bodies(), pk=pk, project=project
    )
    if not document.warc:
        raise Http404("This document was not captured from a URL.")
    return _attachment(
        document.warc,
        name=f"document-{document.pk}.warc.gz",
        media_type="application/warc",
    )
