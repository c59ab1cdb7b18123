"""Comments on annotations: the discussion that leads to a decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from annotations.models import Annotation, Comment
from audit.models import HistoryAction
from audit.services import history_record, snapshot

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_COMMENT_CHARS = 10_000


@transaction.atomic
def comment_create(*, annotation: Annotation, author: User, body: str) -> Comment:
    """Add a comment; blank or oversized bodies are refused with a reason."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something before posting."})
    if len(body) > MAX_COMMENT_CHARS:
        raise ValidationError(
            {"body": f"Comments are limited to {MAX_COMMENT_CHARS} characters."}
        )
    comment = Comment(annotation=annotation, author=author, body=body)
    comment.full_clean()
    comment.save()
    history_record(
        project=annotation.document.project,
        actor=author,
        obj=comment,
        action=HistoryAction.CREATE,
        after=snapshot(comment),
    )
    return comment
