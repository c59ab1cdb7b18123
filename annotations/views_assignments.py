"""Assignments: owners hand documents to analysts; analysts work their queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from corpus.errors import ApplicationError
from corpus.models import Document, Role
from corpus.permissions import project_view
from corpus.services import project_set_blind_mode

from annotations.models import Annotation, Assignment, AssignmentStatus
from annotations.params import parse_id
from annotations.services.assignments import assignment_delete, assignment_reopen, assignment_submit, assignments_create_bulk


@project_view(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def assignments_view(request, slug: str):
    """Every assignment of the project; owners assign in bulk."""
    project = request.project
    is_owner = request.membership.allows(Role.OWNER)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied("Only owners assign documents.")
        documents = Document.objects.filter(
            project=project, pk__in=_ids(request.POST.getlist("documents"))
        )
        annotators = get_user_model().objects.filter(
            memberships__project=project,
            pk__in=_ids(request.POST.getlist("annotators")),
        )
        if not documents or not annotators:
            messages.error(request, "Choose at least one document and one analyst.")
        else:
            try:
                created = assignments_create_bulk(
                    project=project,
                    documents=documents,
                    annotators=annotators,
                    assigned_by=request.user,
                )
                messages.success(request, f"{len(created)} new assignment(s).")
            except ApplicationError as exc:
                messages.error(request, exc.message)
        return redirect("assignments", slug=slug)
    assignments = (
        Assignment.objects.filter(document__project=project)
        .select_related("document", "annotator")
        .order_by("document__title", "document_id", "annotator__username")
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
        "trust/assignments.html",
        {
            "project": project,
            "assignments": assignments,
            "documents": Document.objects.filter(project=project)
            .without_bodies()
            .order_by("title", "pk"),
            "analysts": analysts,
            "statuses": AssignmentStatus.choices,
            "status": status,
            "is_owner": is_owner,
        },
    )


def _ids(values: list[str]) -> list[int]:
    return [i for v in values if (i := parse_id(v)) is not None]


@project_view(Role.OWNER)
@require_POST
def blind_mode_view(request, slug: str):
    """Owners turn blind (independent) annotation on or off."""
    blind = request.POST.get("blind_mode") == "on"
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
    try:
        if action == "submit":
            assignment_submit(assignment=assignment, user=request.user)
            messages.success(request, f"Submitted {assignment.document}.")
            return redirect("my-queue", slug=slug)
        if action == "reopen":
            if not request.membership.allows(Role.REVIEWER):
                raise PermissionDenied("Only reviewers and owners reopen documents.")
            assignment_reopen(assignment=assignment, user=request.user)
            messages.success(request, f"Reopened {assignment.document}.")
        elif action == "withdraw":
            if not request.membership.allows(Role.OWNER):
                raise PermissionDenied("Only owners withdraw assignments.")
            assignment_delete(assignment=assignment, user=request.user)
            messages.success(request, "Assignment withdrawn.")
        else:
            raise Http404("No such action.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    back = "my-queue" if request.POST.get("back") == "queue" else "assignments"
    return redirect(back, slug=slug)


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
        assignment.my_annotations = counts.get(assignment.document_id, 0)
    return TemplateResponse(
        request,
        "trust/my_queue.html",
        {"project": request.project, "assignments": assignments},
    )
