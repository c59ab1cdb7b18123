"""HTML pages of a project: dashboard, document list and the annotator.

Thin function views: check membership through ``projects.permissions``, ask
the selectors, render a TemplateResponse. The annotator's writes go through
the REST API (``static/js/annotator.js``), never through these views.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from annotations.bulk_assign import assign_context
from annotations.colours import MIN_DISTANCE, colour_clashes
from annotations.forms import DocumentFilterForm, TagDeleteForm, TagForm
from annotations.models import Annotation, AnnotationStatus, Origin, Tag
from annotations.selectors import (
    OPEN_ASSIGNMENT,
    DocumentFilters,
    annotation_status_choices,
    annotations_payload_json,
    annotations_visible_to,
    blind_viewer,
    document_quantities,
    document_tokens_json,
    documents_filtered,
    documents_row_counts,
    project_dashboard,
    suggested_claimant_types,
    suggestion_payload,
    suggestions_pending,
)
from annotations.services.taxonomy import (
    tag_colours_make_distinct,
    tag_create,
    tag_delete,
    tag_update,
)
from corpus.language import language_notice
from corpus.models import Assignment, Source, SourceKind
from corpus.permissions import project_document
from corpus.selectors import SEARCH_CANDIDATES, document_analysis_summary
from corpus.services import assignment_submit
from projects.errors import ApplicationError
from projects.forms import form_errors_from
from projects.htmx import page_or_partial
from projects.models import Role
from projects.permissions import project_view

PAGE_SIZE = 50


@project_view(Role.VIEWER)
def project_dashboard_view(request, slug: str):
    """Where the project stands: documents, progress, who did what, tags."""
    project = request.project
    figures = project_dashboard(
        project=project, author=blind_viewer(request.user, project)
    )
    top = max([row[2] for row in figures["documents_by_status"]] + [1])
    top_tag = max([tag["n"] for tag in figures["tag_counts"]] + [1])
    context = {
        "project": project,
        "figures": figures,
        "status_bars": [
            {"key": key, "label": label, "n": n, "width": round(100 * n / top, 1)}
            for key, label, n in figures["documents_by_status"]
        ],
        "tag_bars": [
            {**tag, "width": round(100 * tag["n"] / top_tag, 1)}
            for tag in figures["tag_counts"]
            if tag["n"]
        ],
        "tags_unused": [tag["name"] for tag in figures["tag_counts"] if not tag["n"]],
        "ingest_url": reverse("ingest", kwargs={"slug": slug}),
    }
    return TemplateResponse(request, "annotations/dashboard.html", context)


@project_view(Role.VIEWER)
def document_list_view(request, slug: str):
    """Search and filter the project's documents, 50 to a page, no bodies."""
    project = request.project
    form = DocumentFilterForm(request.GET or None, project=project)
    filters = form.filters() if request.GET else DocumentFilters()
    queryset, truncated = documents_filtered(
        project=project, filters=filters, user=request.user
    )
    # RankedDocuments pages like a queryset (len and slices), not a Sequence.
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    counts = documents_row_counts(
        [doc.pk for doc in page.object_list],
        author=blind_viewer(request.user, project),
    )
    rows = [(doc, counts[doc.pk]) for doc in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "project": project,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "truncated": truncated,
        "candidates": SEARCH_CANDIDATES,
        "query": query.urlencode(),
        "ingest_url": reverse("ingest", kwargs={"slug": slug}),
        "assign": assign_context(request),
    }
    # Filters, pages and assignments through htmx swap the results alone.
    return page_or_partial(
        request,
        page="annotations/document_list.html",
        partial="annotations/_document_results.html",
        context=context,
    )


# The escapes of django.utils.html.json_script: JSON inside <script> can
# never close the element or open a comment.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _paragraphs_html(text: str) -> str:
    """The text as escaped paragraphs: readable without JavaScript."""
    # Safe: every paragraph is escaped.
    return mark_safe(
        "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line)
    )


@project_view(Role.VIEWER)
def annotator_view(request, slug: str, pk: int):
    """One document with its annotations, suggestions and provenance.

    The text is rendered escaped by the template (works without JS); the
    annotator module then re-renders it with highlights from the JSON data.
    """
    document = project_document(request, pk)
    project = request.project
    membership = request.membership
    can_edit = membership.allows(Role.ANALYST)
    visible = annotations_visible_to(user=request.user, document=document)
    tags = list(
        Tag.objects.filter(project=project, is_active=True).values(
            "key", "name", "colour", "hotkey", "description"
        )
    )
    suggestions = [
        suggestion_payload(s)
        for s in suggestions_pending(document=document, user=request.user)
    ]
    data = {
        "document": document.pk,
        "project": project.slug,
        "user": request.user.get_username(),
        "canEdit": can_edit,
        "canReview": membership.allows(Role.REVIEWER),
        "text": document.text,
        "tags": tags,
        "suggestions": suggestions,
        "suggestedClaimantTypes": suggested_claimant_types(visible),
        # Choice lists from the models, never copied into the JavaScript.
        "statusChoices": annotation_status_choices(
            can_review=membership.allows(Role.REVIEWER)
        ),
        "statusLabels": [[v, str(label)] for v, label in AnnotationStatus.choices],
        "origins": [[v, str(label)] for v, label in Origin.choices],
        # Figures the analysis found: a claim made from a span holding one
        # starts with it filled in.
        "quantities": document_quantities(document=document),
        "api": {
            "annotations": reverse("annotation-list"),
            "suggestions": reverse("suggestion-list"),
            "comments": reverse("comment-list"),
            "claims": "/api/claims/",
        },
    }
    # Large parts arrive as ready-made JSON (built by PostgreSQL, or cached).
    annotations_json = annotations_payload_json(visible)
    payload = (
        json.dumps(data)[:-1]
        + ', "annotations": '
        + annotations_json
        + ', "tokens": '
        + document_tokens_json(document=document)
        + "}"
    )
    context = {
        "project": project,
        "document": document,
        "text_html": _paragraphs_html(document.text),
        # Safe: JSON with <, > and & escaped, as json_script does.
        "data_json": mark_safe(payload.translate(JSON_SCRIPT_ESCAPES)),
        "tags": tags,
        "can_edit": can_edit,
        "role": membership.get_role_display(),
        "original_url": reverse(
            "document-original", kwargs={"slug": slug, "pk": document.pk}
        ),
        "annotation_count": visible.count(),
        # "Submit and next document" while the user holds an open assignment.
        "open_assignment": Assignment.objects.filter(
            document=document, annotator=request.user, status__in=OPEN_ASSIGNMENT
        ).exists(),
        "suggestion_count": len(suggestions),
        "language_notice": language_notice(document.language),
        # Voice and provenance of the analysis; analysts may set the source.
        "analysis": document_analysis_summary(document=document),
        "sources": Source.objects.filter(project=project).only("pk", "name", "kind"),
        "source_kinds": SourceKind.choices,
    }
    return TemplateResponse(request, "annotations/annotator.html", context)


@project_view(Role.ANALYST)
@require_POST
def annotator_submit_next_view(request, slug: str, pk: int):
    """Submit my assignment on this document and open my next open one, so
    an analyst works through their queue without going back to it."""
    document = project_document(request, pk)
    assignment = Assignment.objects.filter(
        document=document, annotator=request.user, status__in=OPEN_ASSIGNMENT
    ).first()
    if assignment is None:
        messages.error(request, "This document is not assigned to you, or is done.")
        return redirect("annotator", slug=slug, pk=pk)
    try:
        assignment_submit(assignment=assignment, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("annotator", slug=slug, pk=pk)
    messages.success(request, f"Submitted {document.title or 'the document'}.")
    following = (
        Assignment.objects.filter(
            document__project=request.project,
            annotator=request.user,
            status__in=OPEN_ASSIGNMENT,
        )
        .order_by("assigned_at", "pk")
        .first()
    )
    if following is None:
        messages.info(request, "Nothing else is assigned to you: your queue is done.")
        return redirect("my-queue", slug=slug)
    return redirect("annotator", slug=slug, pk=following.document_id)


@project_view(Role.OWNER)
@require_http_methods(["GET", "POST"])
def tags_view(request, slug: str):
    """List tags and add a new one."""
    project = request.project
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag = tag_create(project=project, user=request.user, **_fields(form))
        except (ValidationError, ApplicationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"Tag {tag.key} added.")
            return redirect("tags", slug=slug)
    tags = list(project.tags.all())
    context = {
        "project": project,
        "tags": tags,
        "form": form,
        # Near-identical colours (CIEDE2000): highlights that look alike.
        "colour_clashes": colour_clashes(
            [(tag.name, tag.colour) for tag in tags if tag.is_active]
        ),
        "colour_minimum": MIN_DISTANCE,
    }
    return TemplateResponse(
        request,
        "annotations/tags.html",
        context,
        status=400 if form.errors else 200,
    )


@project_view(Role.OWNER)
@require_POST
def tag_colours_distinct_view(request, slug: str):
    """Reassign near-identical tag colours from the distinct palette."""
    changed = tag_colours_make_distinct(project=request.project, user=request.user)
    if changed:
        names = ", ".join(tag.name for tag in changed)
        messages.success(request, f"New colours for {len(changed)} tags: {names}.")
    else:
        messages.info(request, "The tag colours are distinct already.")
    return redirect("tags", slug=slug)


@project_view(Role.OWNER)
@require_http_methods(["GET", "POST"])
def tag_edit_view(request, slug: str, pk: int):
    """Edit or delete one tag."""
    tag = get_object_or_404(Tag, pk=pk, project=request.project)
    if request.method == "POST" and TagDeleteForm(request.POST).is_valid():
        try:
            tag_delete(tag=tag, user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("tag-edit", slug=slug, pk=pk)
        messages.success(request, f"Tag {tag.key} deleted.")
        return redirect("tags", slug=slug)
    initial = {
        **{f: getattr(tag, f) for f in TagForm.base_fields if f != "patterns"},
        "patterns": json.dumps(tag.patterns, indent=2, ensure_ascii=False),
    }
    form = TagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tag_update(tag=tag, user=request.user, **_fields(form))
        except (ValidationError, ApplicationError) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"Tag {form.cleaned_data['key']} saved.")
            return redirect("tags", slug=slug)
    return TemplateResponse(
        request,
        "annotations/tag_edit.html",
        {"project": request.project, "tag": tag, "form": form},
        status=400 if form.errors else 200,
    )


def _fields(form: TagForm) -> dict:
    data = dict(form.cleaned_data)
    if data.get("order") is None:
        data.pop("order", None)
    return data


@project_view(Role.ANALYST)
def my_queue_view(request, slug: str):
    """The documents assigned to me, open ones first, with a submit button."""
    assignments = list(
        Assignment.objects.filter(
            document__project=request.project, annotator=request.user
        )
        .select_related("document")
        .order_by("status", "assigned_at")
    )
    counts = {
        row["document_id"]: row["n"]
        for row in Annotation.objects.filter(
            author=request.user, document__in=[a.document_id for a in assignments]
        )
        .values("document_id")
        .annotate(n=Count("id"))
    }
    for assignment in assignments:
        assignment.my_annotations = counts.get(assignment.document_id, 0)  # type: ignore[attr-defined]  # for the template
    return TemplateResponse(
        request,
        "annotations/my_queue.html",
        {"project": request.project, "assignments": assignments},
    )
