"""Reads on annotations that depend on who is asking."""

from __future__ import annotations

from django.db.models import QuerySet

from corpus.models import Document, Membership, Role

from .models import Annotation, Assignment, AssignmentStatus


def annotations_visible_to(*, user, document: Document) -> QuerySet[Annotation]:
    """The annotations of ``document`` that ``user`` may see.

    Non-members see none. In blind mode an analyst (not a reviewer or owner)
    who holds an assignment on the document that is not yet submitted or
    adjudicated sees only their own annotations, so their reading stays
    independent; everyone else sees all of them.
    """
    annotations = Annotation.objects.filter(document=document)
    if not user.is_authenticated:
        return annotations.none()
    membership = Membership.objects.filter(
        project_id=document.project_id, user=user
    ).first()
    if membership is None:
        return annotations.none()
    if document.project.blind_mode and not membership.allows(Role.REVIEWER):
        still_open = (
            Assignment.objects.filter(document=document, annotator=user)
            .exclude(
                status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.ADJUDICATED]
            )
            .exists()
        )
        if still_open:
            return annotations.filter(author=user)
    return annotations
