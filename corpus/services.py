"""Writes on documents and assignments.

Ingestion lives in ``corpus.ingest``; analysis in ``corpus.nlp`` and
``corpus.analysis``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from audit.models import HistoryAction
from audit.services import history_record, snapshot
from corpus.language import with_detected_language
from corpus.models import (
    Assignment,
    AssignmentStatus,
    Document,
    OriginalFile,
    Source,
    SourceKind,
    normalize_text,
    sha256_hex,
)
from corpus.signals import assignment_submitted
from projects.errors import ApplicationError
from projects.models import Membership, Project, Role
from projects.permissions import check_role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class DuplicateDocument(Exception):
    """The same original bytes are already in the project."""

    def __init__(self, existing: Document) -> None:
        super().__init__(
            f"Already in the project as document {existing.pk} "
            f"({existing.title or 'untitled'})."
        )
        self.existing = existing


@transaction.atomic
def document_create(
    *,
    project: Project,
    original: bytes,
    text: str,
    original_name: str = "",
    media_type: str = "text/plain",
    captured_by: User | None = None,
    captured_at: datetime | None = None,
    extractor: str = "",
    extractor_version: str = "",
    warc: bytes = b"",
    container: OriginalFile | None = None,
    record_span: tuple[int, int] | None = None,
    **fields: Any,
) -> Document:
    """Store one document: its original bytes, hashes and normalised text.

    This is the single write path for documents (ingestion, API, samples).
    ``text`` is normalised here, once. Raises ``DuplicateDocument`` if the
    same bytes are already in the project, ``ValidationError`` for bad
    fields; either way nothing is written (stored files are removed again).
    ``warc`` is the WARC capture of a URL, kept next to the original.
    ``container`` and ``record_span`` (offset, length): ``original`` is that
    byte range of a file kept once (a JSON Lines record), and no file of its
    own is written.
    """
    digest = sha256_hex(original)
    existing = Document.objects.filter(project=project, sha256=digest).first()
    if existing is not None:
        raise DuplicateDocument(existing)
    normalized = normalize_text(text)
    if not normalized:
        raise ValidationError({"text": "The document has no text."})
    fields = with_detected_language(fields, normalized)
    document = Document(
        project=project,
        text=normalized,
        sha256=digest,
        size=len(original),
        original_name=original_name[:500],
        media_type=media_type,
        captured_by=captured_by,
        captured_at=captured_at or timezone.now(),
        extractor=extractor,
        extractor_version=extractor_version,
        **fields,
    )
    if container is not None and record_span is not None:
        document.container = container
        document.record_offset, document.record_length = record_span
    else:
        document.original.save(
            original_name or "original", ContentFile(original), save=False
        )
    try:
        if warc:
            document.warc.save(f"{digest}.warc.gz", ContentFile(warc), save=False)
        # Field validation only: the unique original and the empty text are
        # checked above with clear messages, ``kind`` by its choices, and
        # related objects are instances the caller already holds; the
        # database enforces all of them again. Skipping the per-constraint
        # and per-foreign-key queries keeps bulk ingestion fast.
        given = {"project": project, "captured_by": captured_by, **fields}
        related = [name for name, value in given.items() if isinstance(value, Model)]
        document.full_clean(
            exclude=["original", "warc", "container", *related],
            validate_constraints=False,
        )
        document.save()
    except BaseException:
        if document.original:
            document.original.delete(save=False)
        if document.warc:
            document.warc.delete(save=False)
        raise
    return document


OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)


def _record(
    assignment: Assignment,
    user: User,
    action: str,
    before: dict[str, Any] | None = None,
) -> None:
    history_record(
        project=assignment.document.project,
        actor=user,
        obj=assignment,
        action=action,
        before=before,
        after=snapshot(assignment) if action != HistoryAction.DELETE else None,
        object_id=assignment.pk,
    )


def _check_annotator(project: Project, annotator: User) -> None:
    membership = Membership.objects.filter(project=project, user=annotator).first()
    if membership is None or not membership.allows(Role.ANALYST):
        raise ApplicationError(
            f"{annotator.get_username()} is not an analyst in {project.name}; "
            "add them as a member with the analyst role first."
        )


@transaction.atomic
def assignment_create(
    *, document: Document, annotator: User, assigned_by: User
) -> Assignment:
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
    *,
    project: Project,
    documents: Iterable[Document],
    annotators: Iterable[User],
    assigned_by: User,
) -> list[Assignment]:
    """Assign every document to every annotator; returns the new ones only.

    One query finds the pairs that already exist, so assigning the 900
    documents of a filtered list costs one insert and one history entry
    per new assignment, and nothing for the others.
    """
    annotators = list(annotators)
    for annotator in annotators:
        _check_annotator(project, annotator)
    documents = list(documents)
    foreign = [d.pk for d in documents if d.project_id != project.pk]
    if foreign:
        raise ApplicationError(f"Document {foreign[0]} is not in this project.")
    existing = set(
        Assignment.objects.filter(
            document__in=[d.pk for d in documents],
            annotator__in=[a.pk for a in annotators],
        ).values_list("document_id", "annotator_id")
    )
    created: list[Assignment] = []
    for document in documents:
        for annotator in annotators:
            if (document.pk, annotator.pk) in existing:
                continue
            existing.add((document.pk, annotator.pk))
            assignment = Assignment.objects.create(
                document=document, annotator=annotator, assigned_by=assigned_by
            )
            _record(assignment, assigned_by, HistoryAction.CREATE)
            created.append(assignment)
    return created


@dataclass(frozen=True)
class Reassigned:
    """What a bulk reassignment did, for the message the owner reads."""

    moved: int
    already: int
    kept_submitted: int


@transaction.atomic
def assignments_reassign(
    *,
    project: Project,
    documents: Iterable[Document],
    from_annotator: User,
    to_annotator: User,
    user: User,
) -> Reassigned:
    """Hand ``from_annotator``'s open assignments of ``documents`` over to
    ``to_annotator`` (someone on leave, a new colleague).

    Submitted and adjudicated work stays with whoever did it. The old
    assignment is withdrawn and the new one created, each recorded in the
    history; where the new annotator already had the document, only the
    withdrawal happens.
    """
    check_role(user, project, Role.OWNER)
    if from_annotator.pk == to_annotator.pk:
        raise ApplicationError(
            "Choose two different people to reassign from and to.",
            extra={"field": "to_annotator"},
        )
    _check_annotator(project, to_annotator)
    ids = [d.pk for d in documents]
    theirs = list(
        Assignment.objects.select_for_update()
        .select_related("document__project")
        .filter(document__project=project, document__in=ids, annotator=from_annotator)
    )
    already = set(
        Assignment.objects.filter(
            document__in=[a.document_id for a in theirs], annotator=to_annotator
        ).values_list("document_id", flat=True)
    )
    moved = kept = duplicate = 0
    for assignment in theirs:
        if assignment.status not in OPEN_STATUSES:
            kept += 1
            continue
        document = assignment.document
        before = snapshot(assignment)
        pk = assignment.pk
        assignment.delete()
        assignment.pk = pk
        assignment.document = document
        _record(assignment, user, HistoryAction.DELETE, before=before)
        if document.pk in already:
            duplicate += 1
            continue
        new = Assignment.objects.create(
            document=document, annotator=to_annotator, assigned_by=user
        )
        _record(new, user, HistoryAction.CREATE)
        moved += 1
    return Reassigned(moved=moved, already=duplicate, kept_submitted=kept)


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user: User) -> None:
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
def assignment_submit(*, assignment: Assignment, user: User) -> Assignment:
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
    # The annotator's drafts become submitted (``annotations`` listens).
    assignment_submitted.send(sender=Assignment, assignment=assignment, user=user)
    before = snapshot(assignment)
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    _record(assignment, user, HistoryAction.UPDATE, before=before)
    return assignment


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, user: User) -> Assignment:
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
def assignments_mark_adjudicated(*, document: Document, user: User) -> int:
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


def _source_facts(source: Source | None) -> dict[str, Any]:
    if source is None:
        return {"source_id": None}
    return {
        "source_id": source.pk,
        "source_name": source.name,
        "source_kind": source.kind,
    }


@transaction.atomic
def document_source_set(
    *,
    document: Document,
    user: User,
    source: Source | None = None,
    name: str = "",
    kind: str = "",
) -> Source:
    """Say who published ``document``: an existing Source of its project, or
    a new one called ``name`` of ``kind``. Returns the document's source.

    The source gives the voice of the document's unattributed sentences (an
    NGO's release speaks as the NGO), so this is how an analyst overrides a
    voice the pipeline inferred or got wrong. The change is recorded in
    history (the source's creation too), and once committed the document is
    queued for analysis: its context changed, so it is re-analysed.
    """
    from corpus.jobs import queue_analysis

    check_role(user, document.project, Role.ANALYST)
    if source is None:
        name = " ".join(name.split())
        if not name:
            raise ValidationError({"name": "Give the source's name, or choose one."})
        if kind not in SourceKind.values:
            raise ValidationError(
                {"kind": f"Choose the kind of source ({', '.join(SourceKind.values)})."}
            )
        existing = Source.objects.filter(
            project=document.project, name__iexact=name
        ).first()
        if existing is not None and existing.kind != kind:
            raise ApplicationError(
                f"The project already has a source called {existing.name} "
                f"({existing.get_kind_display()}); choose it from the list, or "
                "give the new one another name."
            )
        if existing is None:
            existing = Source(project=document.project, name=name, kind=kind)
            existing.full_clean()
            existing.save()
            history_record(
                project=document.project,
                actor=user,
                obj=existing,
                action=HistoryAction.CREATE,
                after=snapshot(existing),
            )
        source = existing
    elif source.project_id != document.project_id:
        raise ApplicationError("That source belongs to another project.")
    current = Document.objects.select_for_update().get(pk=document.pk)
    if current.source_id == source.pk:
        return source
    before = _source_facts(current.source)
    Document.objects.filter(pk=document.pk).update(source=source)
    document.source = source
    history_record(
        project=document.project,
        actor=user,
        obj=document,
        action=HistoryAction.UPDATE,
        before=before,
        after=_source_facts(source),
    )
    queue_analysis(project=document.project, documents=[document], user=user)
    return source
