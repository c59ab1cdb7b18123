"""Assigning documents to analysts, submitting and reopening them.

An assignment is the unit of independent annotation: in blind mode the
annotator sees only their own annotations on the document until they
submit it (see ``annotations.selectors.annotations_visible_to``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from corpus.errors import ApplicationError
from corpus.models import Document, Membership, Project, Role
from corpus.permissions import check_role

from annotations.history import history_record, snapshot
from annotations.models import Annotation, AnnotationStatus, Assignment, AssignmentStatus, HistoryAction

OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)


def _record(assignment: Assignment, user, action: str, before=None) -> None:
    history_record(
        project=assignment.document.project,
        actor=user,
        obj=assignment,
        action=action,
        before=before,
        after=snapshot(assignment) if action != HistoryAction.DELETE else None,
        object_id=assignment.pk,
    )


def _check_annotator(project: Project, annotator) -> None:
    membership = Membership.objects.filter(project=project, user=annotator).first()
    if membership is None or not membership.allows(Role.ANALYST):
        raise ApplicationError(
            f"{annotator.get_username()} is not an analyst in {project.name}; "
            "add them as a member with the analyst role first."
        )


@transaction.atomic
def assignment_create(*, document: Document, annotator, assigned_by) -> Assignment:
    """Assign ``document`` to ``annotator`` (idempotent: returns the existing)."""
    _check_annotator(document.project, annotator)
    assignment, created = Assignment.objects.get_or_create(
        document=document,
        annotator=annotator,
        defaults={"assigned_by": assigned_by},
    )
    if created:
        _record(assignment, assigned_by, HistoryAction.CREATE)
    return assignment


@transaction.atomic
def assignments_create_bulk(
    *, project: Project, documents: Iterable[Document], annotators, assigned_by
) -> list[Assignment]:
    """Assign every document to every annotator; returns the new ones only."""
    annotators = list(annotators)
    for annotator in annotators:
        _check_annotator(project, annotator)
    created: list[Assignment] = []
    for document in documents:
        if document.project_id != project.pk:
            raise ApplicationError(f"Document {document.pk} is not in this project.")
        for annotator in annotators:
            before = Assignment.objects.filter(
                document=document, annotator=annotator
            ).exists()
            assignment = assignment_create(
                document=document, annotator=annotator, assigned_by=assigned_by
            )
            if not before:
                created.append(assignment)
    return created


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user) -> None:
    """Withdraw an assignment that has not been submitted yet."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in OPEN_STATUSES:
        raise ApplicationError(
            "This document was already submitted; reopen it before withdrawing."
        )
    before = snapshot(assignment)
    document = assignment.document
    pk = assignment.pk
    assignment.delete()
    assignment.pk = pk
    assignment.document = document
    _record(assignment, user, HistoryAction.DELETE, before=before)


@transaction.atomic
def assignment_start(*, assignment: Assignment, user) -> Assignment:
    """Mark an assignment in progress (the annotator opened it)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == AssignmentStatus.ASSIGNED:
        before = snapshot(assignment)
        assignment.status = AssignmentStatus.IN_PROGRESS
        assignment.save(update_fields=["status"])
        _record(assignment, user, HistoryAction.UPDATE, before=before)
    return assignment


@transaction.atomic
def assignment_submit(*, assignment: Assignment, user) -> Assignment:
    """The annotator hands in the document: their drafts become submitted.

    Only the annotator may submit. Each draft annotation of theirs on the
    document moves to ``submitted`` (version + 1, recorded in the history).
    """
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("document__project")
        .get(pk=assignment.pk)
    )
    if assignment.annotator_id != user.pk:
        raise ApplicationError("Only the assigned analyst can submit this document.")
    if assignment.status not in OPEN_STATUSES:
        raise ApplicationError(
            f"This document is already {assignment.get_status_display().lower()}."
        )
    drafts = Annotation.objects.select_for_update().filter(
        document=assignment.document, author=user, status=AnnotationStatus.DRAFT
    )
    for annotation in drafts:
        before = snapshot(annotation)
        annotation.status = AnnotationStatus.SUBMITTED
        annotation.version += 1
        annotation.save(update_fields=["status", "version", "updated_at"])
        history_record(
            project=assignment.document.project,
            actor=user,
            obj=annotation,
            action=HistoryAction.UPDATE,
            before=before,
            after=snapshot(annotation),
        )
    before = snapshot(assignment)
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    _record(assignment, user, HistoryAction.UPDATE, before=before)
    return assignment


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, user) -> Assignment:
    """A reviewer or owner sends a submitted document back to its annotator."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("document__project")
        .get(pk=assignment.pk)
    )
    check_role(user, assignment.document.project, Role.REVIEWER)
    if assignment.status in OPEN_STATUSES:
        return assignment
    before = snapshot(assignment)
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.submitted_at = None
    assignment.save(update_fields=["status", "submitted_at"])
    _record(assignment, user, HistoryAction.UPDATE, before=before)
    return assignment


@transaction.atomic
def assignments_mark_adjudicated(*, document: Document, user) -> int:
    """Mark every submitted assignment of ``document`` adjudicated."""
    count = 0
    for assignment in Assignment.objects.select_for_update().filter(
        document=document, status=AssignmentStatus.SUBMITTED
    ):
        before = snapshot(assignment)
        assignment.status = AssignmentStatus.ADJUDICATED
        assignment.save(update_fields=["status"])
        _record(assignment, user, HistoryAction.UPDATE, before=before)
        count += 1
    return count
