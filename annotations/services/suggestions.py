"""Deciding on suggestions: accept, accept with edits, or reject.

Decisions are kept (rejections measure the precision of each rule), and a
suggestion is decided once: a second decision raises ``ConflictError`` so
two analysts walking the same queue never create duplicate annotations.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from corpus.errors import ConflictError

from annotations.history import history_record, snapshot
from annotations.models import Annotation, HistoryAction, Origin, Suggestion, SuggestionStatus
from annotations.services.annotations import annotation_create


def _lock_pending(suggestion: Suggestion) -> Suggestion:
    current = (
        Suggestion.objects.select_for_update()
        .select_related("document", "document__project", "tag")
        .get(pk=suggestion.pk)
    )
    if current.status != SuggestionStatus.PENDING:
        raise ConflictError(
            f"This suggestion was already decided ({current.get_status_display()}"
            f"{' by ' + str(current.decided_by) if current.decided_by_id else ''}).",
            current=current,
        )
    return current


def _decide(
    suggestion: Suggestion, *, user, status: str, annotation: Annotation | None
) -> Suggestion:
    before = snapshot(suggestion)
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.annotation = annotation
    suggestion.full_clean()
    suggestion.save()
    history_record(
        project=suggestion.document.project,
        actor=user,
        obj=suggestion,
        action=HistoryAction.UPDATE,
        before=before,
        after=snapshot(suggestion),
    )
    return suggestion


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, user) -> Annotation:
    """Turn the suggestion into an annotation by ``user`` with its tag."""
    current = _lock_pending(suggestion)
    annotation = annotation_create(
        document=current.document,
        author=user,
        start=current.start,
        end=current.end,
        tag_keys=[current.tag.key],
        origin=Origin.SUGGESTION,
    )
    _decide(current, user=user, status=SuggestionStatus.ACCEPTED, annotation=annotation)
    return annotation


@transaction.atomic
def suggestion_edit(
    *, suggestion: Suggestion, user, start: int, end: int, tag_keys: list[str]
) -> Annotation:
    """Accept with corrections: other offsets and/or other tags."""
    current = _lock_pending(suggestion)
    annotation = annotation_create(
        document=current.document,
        author=user,
        start=start,
        end=end,
        tag_keys=tag_keys,
        origin=Origin.SUGGESTION,
    )
    _decide(current, user=user, status=SuggestionStatus.EDITED, annotation=annotation)
    return annotation


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user) -> Suggestion:
    """Record that the suggestion is wrong; it stays for precision figures."""
    current = _lock_pending(suggestion)
    return _decide(
        current, user=user, status=SuggestionStatus.REJECTED, annotation=None
    )
