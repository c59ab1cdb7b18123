"""Adjudication: a reviewer reconciles annotators' versions of a document.

The annotators' spans are grouped into *candidates*, one per
(start, end, tag); a candidate marked by every compared annotator is an
agreement, others are disagreements (and candidates that overlap another
annotator's span of the same tag are flagged as near misses). The reviewer
accepts or rejects each candidate, or adds a span of their own. Accepting
creates (or extends) a reconciled annotation with ``origin=adjudication``
authored by the reviewer and marks the annotators' matching annotations
accepted; rejecting marks them rejected. Every write is recorded in the
history. Finishing marks the document's submitted assignments adjudicated.
Reconciled annotations are created through ``annotation_create`` (origin
``adjudication``, status accepted), like every other annotation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from annotations.models import Annotation, AnnotationStatus, Origin, Tag
from annotations.services.annotations import annotation_create
from audit.models import HistoryAction
from audit.services import history_record, snapshot
from corpus.models import Assignment, AssignmentStatus, Document
from corpus.services import assignments_mark_adjudicated
from projects.errors import ApplicationError
from projects.models import Role
from projects.permissions import check_role
from review.selectors import document_sentences

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class Candidate:
    start: int
    end: int
    tag: Tag
    quote: str
    annotators: list[str]
    annotation_ids: list[int]
    missing: list[str] = field(default_factory=list)
    overlaps: list[str] = field(default_factory=list)
    decision: str = ""  # "accepted" / "rejected" / ""

    @property
    def agreed(self) -> bool:
        return not self.missing


@dataclass
class SentenceRow:
    start: int
    end: int
    text: str
    candidates: list[Candidate]
    # One list per annotator (same order as ``AdjudicationView.annotators``):
    # that annotator's candidates in this sentence, for the side-by-side view.
    columns: list[list[Candidate]] = field(default_factory=list)
    reconciled: list[Annotation] = field(default_factory=list)


@dataclass
class AdjudicationView:
    document: Document
    annotators: list[str]
    candidates: list[Candidate]
    sentences: list[SentenceRow]
    reconciled: list[Annotation]

    @property
    def agreements(self) -> int:
        return sum(1 for c in self.candidates if c.agreed)

    @property
    def disagreements(self) -> int:
        return sum(1 for c in self.candidates if not c.agreed)


def adjudication_annotators(document: Document) -> list:
    """The users whose readings are reconciled: submitted assignments, or
    every author of human annotations when the document was not assigned."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    assigned = Assignment.objects.filter(
        document=document,
        status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.ADJUDICATED],
    ).values_list("annotator_id", flat=True)
    if Assignment.objects.filter(document=document).exists():
        ids = set(assigned)
    else:
        ids = set(
            Annotation.objects.filter(document=document)
            .exclude(origin=Origin.ADJUDICATION)
            .values_list("author_id", flat=True)
        )
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def adjudication_view_data(document: Document) -> AdjudicationView:
    """The annotators' versions of ``document`` grouped for reconciling."""
    annotators = adjudication_annotators(document)
    names = {u.pk: u.get_username() for u in annotators}
    annotations = (
        Annotation.objects.filter(document=document, author_id__in=names)
        .exclude(origin=Origin.ADJUDICATION)
        .prefetch_related("tags")
    )
    groups: dict[tuple[int, int, int], Candidate] = {}
    by_tag: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for ann in annotations:
        for tag in ann.tags.all():
            key = (ann.start, ann.end, tag.pk)
            candidate = groups.get(key)
            if candidate is None:
                candidate = groups[key] = Candidate(
                    ann.start, ann.end, tag, ann.quote, [], []
                )
            name = names[ann.author_id]
            if name not in candidate.annotators:
                candidate.annotators.append(name)
            candidate.annotation_ids.append(ann.pk)
            by_tag[tag.pk].append((ann.start, ann.end, name))
    reconciled = list(
        Annotation.objects.filter(document=document, origin=Origin.ADJUDICATION)
        .prefetch_related("tags")
        .select_related("author")
    )
    accepted = {(r.start, r.end, t.pk) for r in reconciled for t in r.tags.all()}
    statuses = dict(
        Annotation.objects.filter(document=document).values_list("pk", "status")
    )
    candidates = sorted(groups.values(), key=lambda c: (c.start, c.end, c.tag.order))
    for candidate in candidates:
        candidate.missing = [n for n in names.values() if n not in candidate.annotators]
        candidate.overlaps = sorted(
            {
                name
                for s, e, name in by_tag[candidate.tag.pk]
                if name not in candidate.annotators
                and s < candidate.end
                and candidate.start < e
            }
        )
        if (candidate.start, candidate.end, candidate.tag.pk) in accepted:
            candidate.decision = "accepted"
        elif candidate.annotation_ids and all(
            statuses.get(pk) == AnnotationStatus.REJECTED
            for pk in candidate.annotation_ids
        ):
            candidate.decision = "rejected"
    rows = []
    for start, end in document_sentences(document):
        inside = [c for c in candidates if c.start < end and start < c.end]
        rows.append(
            SentenceRow(
                start,
                end,
                document.text[start:end],
                inside,
                columns=[
                    [c for c in inside if name in c.annotators]
                    for name in names.values()
                ],
                reconciled=[r for r in reconciled if r.start < end and start < r.end],
            )
        )
    return AdjudicationView(
        document=document,
        annotators=list(names.values()),
        candidates=candidates,
        sentences=rows,
        reconciled=reconciled,
    )


def _set_status(annotation: Annotation, user: User, status: str) -> None:
    if annotation.status == status:
        return
    before = snapshot(annotation)
    annotation.status = status
    annotation.version += 1
    annotation.save(update_fields=["status", "version", "updated_at"])
    history_record(
        project=annotation.project,
        actor=user,
        obj=annotation,
        action=HistoryAction.UPDATE,
        before=before,
        after=snapshot(annotation),
    )


def _sources(
    document: Document, start: int, end: int, tag: Tag
) -> QuerySet[Annotation]:
    return (
        Annotation.objects.select_for_update()
        .filter(document=document, start=start, end=end, tags=tag)
        .exclude(origin=Origin.ADJUDICATION)
    )


@transaction.atomic
def adjudication_accept(
    *,
    document: Document,
    reviewer: User,
    start: int,
    end: int,
    tag: Tag,
    note: str = "",
) -> Annotation:
    """Put (start, end, tag) in the reconciled version; accept its sources.

    Also used to add a span no annotator marked. One reconciled annotation
    per span: accepting a second tag on the same span adds the tag to it.
    """
    check_role(reviewer, document.project, Role.REVIEWER)
    if tag.project_id != document.project_id:
        raise ApplicationError("That tag belongs to another project.")
    reconciled = (
        Annotation.objects.select_for_update()
        .filter(document=document, start=start, end=end, origin=Origin.ADJUDICATION)
        .first()
    )
    if reconciled is None:
        if not (0 <= start < end <= len(document.text)):
            raise ApplicationError(
                f"Offsets {start}-{end} are outside the document text."
            )
        try:
            reconciled = annotation_create(
                document=document,
                author=reviewer,
                start=start,
                end=end,
                tag_keys=[tag.key],
                note=note,
                origin=Origin.ADJUDICATION,
                status=AnnotationStatus.ACCEPTED,
            )
        except ValidationError as exc:
            raise ApplicationError(" ".join(exc.messages)) from exc
    elif not reconciled.tags.filter(pk=tag.pk).exists():
        before = snapshot(reconciled)
        reconciled.tags.add(tag)
        reconciled.version += 1
        reconciled.save(update_fields=["version", "updated_at"])
        history_record(
            project=document.project,
            actor=reviewer,
            obj=reconciled,
            action=HistoryAction.UPDATE,
            before=before,
            after=snapshot(reconciled),
        )
    for source in _sources(document, start, end, tag):
        _set_status(source, reviewer, AnnotationStatus.ACCEPTED)
    return reconciled


@transaction.atomic
def adjudication_reject(
    *, document: Document, reviewer: User, start: int, end: int, tag: Tag
) -> int:
    """Leave (start, end, tag) out of the reconciled version.

    Marks the annotators' annotations of that candidate rejected and takes
    the tag off a reconciled annotation on the span (deleting it if that was
    its only tag). Returns how many annotators' annotations were rejected.
    """
    check_role(reviewer, document.project, Role.REVIEWER)
    count = 0
    for source in _sources(document, start, end, tag):
        _set_status(source, reviewer, AnnotationStatus.REJECTED)
        count += 1
    reconciled = (
        Annotation.objects.select_for_update()
        .filter(document=document, start=start, end=end, origin=Origin.ADJUDICATION)
        .first()
    )
    if reconciled is not None and reconciled.tags.filter(pk=tag.pk).exists():
        before = snapshot(reconciled)
        if reconciled.tags.count() == 1:
            pk = reconciled.pk
            reconciled.delete()
            history_record(
                project=document.project,
                actor=reviewer,
                obj=reconciled,
                action=HistoryAction.DELETE,
                before=before,
                object_id=pk,
            )
        else:
            reconciled.tags.remove(tag)
            reconciled.version += 1
            reconciled.save(update_fields=["version", "updated_at"])
            history_record(
                project=document.project,
                actor=reviewer,
                obj=reconciled,
                action=HistoryAction.UPDATE,
                before=before,
                after=snapshot(reconciled),
            )
    return count


@transaction.atomic
def adjudication_accept_agreements(*, document: Document, reviewer: User) -> int:
    """Accept every candidate all annotators agree on (a common first step)."""
    data = adjudication_view_data(document)
    accepted = 0
    for candidate in data.candidates:
        if candidate.agreed and not candidate.decision:
            adjudication_accept(
                document=document,
                reviewer=reviewer,
                start=candidate.start,
                end=candidate.end,
                tag=candidate.tag,
            )
            accepted += 1
    return accepted


@transaction.atomic
def adjudication_finish(*, document: Document, reviewer: User) -> int:
    """Close adjudication: submitted assignments become adjudicated."""
    check_role(reviewer, document.project, Role.REVIEWER)
    return assignments_mark_adjudicated(document=document, user=reviewer)
