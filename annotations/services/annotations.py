"""Writes on annotations: create, update and delete, with optimistic locking.

Every write validates with ``full_clean()``, runs in one transaction and
records a history entry with snapshots before and after, so the record of
who tagged what, and when, can always be replayed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotations.models import Annotation, AnnotationStatus, Origin, Tag
from annotations.services.versioning import delete_at_version, locked_at_version
from audit.models import HistoryAction
from audit.services import history_record, snapshot
from corpus.models import Document
from projects.models import Project, Role
from projects.permissions import membership_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REVIEW_STATUSES = (AnnotationStatus.ACCEPTED, AnnotationStatus.REJECTED)
# Never changed by an update; not re-validated (saves queries on every save).
FIXED_FIELDS = [
    "document",
    "project",
    "author",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
]


def tags_resolve(
    *, project: Project | int, tag_keys: list[str], note: str = ""
) -> list[Tag]:
    """The project's active tags for ``tag_keys``, or a ValidationError naming
    the unknown keys. An annotation needs at least one tag or a note: a bare
    highlight carries no meaning in the record, but a passage with only a
    note (as W3C commenting annotations are) does."""
    keys = list(dict.fromkeys(str(key) for key in tag_keys))
    if not keys and not note.strip():
        raise ValidationError({"tag_keys": "Choose at least one tag or write a note."})
    tags = list(Tag.objects.filter(project=project, key__in=keys, is_active=True))
    unknown = sorted(set(keys) - {tag.key for tag in tags})
    if unknown:
        raise ValidationError(
            {"tag_keys": f"Unknown or inactive tags in this project: {unknown}."}
        )
    return tags


def _check_version(annotation: Annotation, expected_version: int) -> Annotation:
    return locked_at_version(
        Annotation.objects.select_related("project"),
        pk=annotation.pk,
        expected_version=expected_version,
        noun="this annotation",
    )


@transaction.atomic
def annotation_create(
    *,
    document: Document,
    author: User,
    start: int,
    end: int,
    tag_keys: list[str],
    note: str = "",
    origin: str = Origin.HUMAN,
    status: str | None = None,
) -> Annotation:
    """Tag ``document.text[start:end]`` (code points, end-exclusive).

    Quote, prefix and suffix are filled from the text so the span can be
    re-anchored even if offsets were ever lost. ``status`` is for callers
    that create an already-reviewed annotation (adjudication creates its
    reconciled spans accepted); by default the model's initial status.
    """
    annotation = Annotation(
        document=document,
        project_id=document.project_id,
        author=author,
        start=start,
        end=end,
        note=note,
        origin=origin,
    )
    if status is not None:
        annotation.status = status
    if not (0 <= start < end <= len(document.text)):
        raise ValidationError(
            {
                "end": f"Offsets {start}-{end} are outside the document text "
                f"(0-{len(document.text)}) or empty."
            }
        )
    annotation.anchor()
    tags = tags_resolve(project=document.project, tag_keys=tag_keys, note=note)
    # The document, project and author are instances in hand (no existence
    # queries needed) and the span was checked above; clean() still checks
    # the quote against the text, and PostgreSQL enforces the constraints
    # (start < end, a quote, the quote trigger). Accepting a suggestion runs
    # through here, so each query saved is saved on every accept.
    annotation.full_clean(
        exclude=["document", "project", "author"], validate_constraints=False
    )
    annotation.save()
    through = Annotation.tags.through
    through.objects.bulk_create(
        [through(annotation_id=annotation.pk, tag_id=tag.pk) for tag in tags]
    )
    history_record(
        project=document.project,
        actor=author,
        obj=annotation,
        action=HistoryAction.CREATE,
        after=snapshot(annotation),
    )
    return annotation


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    user: User,
    expected_version: int,
    tag_keys: list[str] | None = None,
    note: str | None = None,
    status: str | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Annotation:
    """Change tags, note, status or span if nobody saved since
    ``expected_version``.

    Raises ``ConflictError`` with the current annotation otherwise, so the
    caller can show what changed instead of silently overwriting it.
    Accepting or rejecting (review statuses) needs the reviewer role.
    A new ``start``/``end`` (code points, end-exclusive; both or neither)
    resizes the span in place: quote, prefix and suffix are re-anchored, and
    its comments, claim links and figures stay with it (the same row).
    """
    current = _check_version(annotation, expected_version)
    before = snapshot(current)
    resized = _resize(current, start=start, end=end)
    if status is not None and status != current.status:
        if status in REVIEW_STATUSES:
            membership = membership_for(user, current.project)
            if membership is None or not membership.allows(Role.REVIEWER):
                raise PermissionDenied(
                    "Accepting or rejecting an annotation needs the reviewer role."
                )
        current.status = status
    if note is not None:
        current.note = note
    tags = None
    if tag_keys is not None:
        tags = tags_resolve(
            project=current.project_id, tag_keys=tag_keys, note=current.note
        )
    elif not current.note.strip() and not current.tags.exists():
        raise ValidationError({"note": "An annotation without tags needs a note."})
    current.version += 1
    if resized:
        current.full_clean()
        span_fields = ["start", "end", "quote", "prefix", "suffix"]
    else:
        # The span is unchanged, so only the edited fields are validated and
        # written; the anchor was checked when it was created.
        current.clean_fields(exclude=FIXED_FIELDS)
        span_fields = []
    current.save(
        update_fields=["note", "status", "version", "updated_at", *span_fields]
    )
    if tags is not None:
        current.tags.set(tags)
    history_record(
        project=current.project,
        actor=user,
        obj=current,
        action=HistoryAction.UPDATE,
        before=before,
        after=snapshot(current),
    )
    return current


def _resize(current: Annotation, *, start: int | None, end: int | None) -> bool:
    """Move ``current`` to ``start``-``end`` (re-anchored); False when the
    span stays as it is. Raises ValidationError for a span outside the text,
    empty, or given by one end only."""
    if start is None and end is None:
        return False
    if start is None or end is None:
        raise ValidationError({"end": "Give both start and end to resize a span."})
    if (start, end) == (current.start, current.end):
        return False
    length = len(current.document.text)
    if not (0 <= start < end <= length):
        raise ValidationError(
            {
                "end": f"Offsets {start}-{end} are outside the document text "
                f"(0-{length}) or empty."
            }
        )
    current.start, current.end = start, end
    current.anchor()
    return True


@transaction.atomic
def annotation_delete(
    *, annotation: Annotation, user: User, expected_version: int
) -> None:
    """Delete if nobody saved since ``expected_version``; the history keeps
    the last state."""
    delete_at_version(
        Annotation.objects.select_related("project"),
        pk=annotation.pk,
        expected_version=expected_version,
        noun="this annotation",
        user=user,
    )


def annotations_submit_drafts(*, document: Document, user: User) -> int:
    """The annotator's draft annotations on ``document`` become submitted.

    Called inside the submitting assignment's transaction (the rows are
    locked); each change bumps the version and is recorded in the history.
    Returns how many were submitted.
    """
    drafts = Annotation.objects.select_for_update().filter(
        document=document, author=user, status=AnnotationStatus.DRAFT
    )
    submitted = 0
    for annotation in drafts:
        before = snapshot(annotation)
        annotation.status = AnnotationStatus.SUBMITTED
        annotation.version += 1
        annotation.save(update_fields=["status", "version", "updated_at"])
        history_record(
            project=document.project,
            actor=user,
            obj=annotation,
            action=HistoryAction.UPDATE,
            before=before,
            after=snapshot(annotation),
        )
        submitted += 1
    return submitted
