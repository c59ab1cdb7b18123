"""Deciding on suggestions: accept, accept with edits, or reject.

Decisions are kept (rejections measure the precision of each rule), and a
suggestion is decided once: a second decision raises ``ConflictError`` so
two analysts walking the same queue never create duplicate annotations.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from annotations.models import Annotation, Origin, Suggestion, SuggestionStatus, Tag
from annotations.rules import patterns_validate, sentence_predictions
from annotations.services.annotations import annotation_create
from audit.models import HistoryAction
from audit.services import history_record, snapshot
from corpus.models import Document
from projects.errors import ConflictError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


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
    suggestion: Suggestion, *, user: User, status: str, annotation: Annotation | None
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
def suggestion_accept(*, suggestion: Suggestion, user: User) -> Annotation:
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
    *, suggestion: Suggestion, user: User, start: int, end: int, tag_keys: list[str]
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
def suggestion_reject(*, suggestion: Suggestion, user: User) -> Suggestion:
    """Record that the suggestion is wrong; it stays for precision figures."""
    current = _lock_pending(suggestion)
    return _decide(
        current, user=user, status=SuggestionStatus.REJECTED, annotation=None
    )


def suggestions_create_for_document(
    *, document: Document, data: dict[str, Any] | None = None
) -> list[Suggestion]:
    """Create pending Suggestions for ``document`` from its analysis.

    Idempotent: a suggestion already stored for the same tag and span (in
    any status, rejected included) is neither duplicated nor re-created.
    Returns the suggestions created by this call.
    """
    from corpus.nlp import PIPELINE_VERSION

    if data is None:
        analysis = getattr(document, "analysis", None)
        if analysis is None:
            return []
        data = analysis.data
    tags = list(Tag.objects.filter(project_id=document.project_id, is_active=True))
    rules = []
    for tag in tags:
        problems = patterns_validate(tag.patterns or [])
        if problems:
            # An owner's broken rule must not stop analysis of the document.
            logger.warning(
                "Skipping suggestion rules of tag %r: %s", tag.key, " ".join(problems)
            )
            continue
        rules.append((tag.key, list(tag.patterns or [])))
    by_key = {t.key: t for t in tags}
    text = document.text
    wanted = []
    for prediction in sentence_predictions(data, text, rules):
        for key, fired in prediction["fired"].items():
            wanted.append((by_key[key], prediction, fired))
    if not wanted:
        return []
    with transaction.atomic():
        existing = set(
            Suggestion.objects.filter(document=document).values_list(
                "tag_id", "start", "end"
            )
        )
        created = []
        for tag, prediction, fired in wanted:
            start, end = prediction["start"], prediction["end"]
            if (tag.pk, start, end) in existing:
                continue
            quote, prefix, suffix = Suggestion.context_for(text, start, end)
            suggestion = Suggestion(
                project_id=document.project_id,
                document=document,
                tag=tag,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                claimant=fired["claimant"][:300],
                claimant_type=fired["claimant_type"],
                confidence=fired["confidence"],
                rule=fired["rule"][:200],
                explanation=fired["explanation"],
                pipeline_version=PIPELINE_VERSION,
            )
            created.append(suggestion)
            existing.add((tag.pk, start, end))
        Suggestion.objects.bulk_create(created, ignore_conflicts=True)
    return created
