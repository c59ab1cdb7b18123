"""Deciding on suggestions: accept, accept with edits, or reject.

Decisions are kept (rejections measure the precision of each rule), and a
suggestion is decided once: a second decision raises ``ConflictError`` so
two analysts walking the same queue never create duplicate annotations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from annotations.models import (
    Annotation,
    Origin,
    Suggestion,
    SuggestionDecision,
    SuggestionStatus,
    Tag,
)
from annotations.rules import patterns_validate, sentence_predictions
from annotations.services.annotations import annotation_create, annotation_delete
from audit.models import HistoryAction
from audit.services import history_record, snapshot
from corpus.bulk import bulk_insert_unnest
from corpus.models import Document
from projects.errors import ApplicationError, ConflictError
from projects.models import works_blind
from projects.permissions import membership_for

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def _decides_blind(suggestion: Suggestion, user: User) -> bool:
    """True if ``user``'s decisions on ``suggestion`` are their own (they work
    blind in its project): kept as a ``SuggestionDecision``, never on the
    suggestion, so no colleague learns of them."""
    project = suggestion.document.project
    return project.blind_mode and works_blind(project, membership_for(user, project))


def _lock_pending(suggestion: Suggestion, user: User) -> Suggestion:
    current = (
        Suggestion.objects.select_for_update()
        .select_related("document", "document__project", "tag")
        .get(pk=suggestion.pk)
    )
    if _decides_blind(current, user):
        mine = SuggestionDecision.objects.filter(suggestion=current, annotator=user)
        decision = mine.first()
        if decision is not None:
            raise ConflictError(
                "You already decided this suggestion "
                f"({decision.get_status_display()}).",
                current=current,
            )
        return current
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
    if _decides_blind(suggestion, user):
        decision = SuggestionDecision(
            suggestion=suggestion, annotator=user, status=status, annotation=annotation
        )
        decision.full_clean()
        decision.save()
        history_record(
            project=suggestion.document.project,
            actor=user,
            obj=decision,
            action=HistoryAction.CREATE,
            after=snapshot(decision),
        )
        # The caller sees its own decision; the row itself stays pending.
        suggestion.blind_status = status  # type: ignore[attr-defined]
        suggestion.blind_annotation_id = (  # type: ignore[attr-defined]
            annotation.pk if annotation else None
        )
        return suggestion
    before = snapshot(suggestion)
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.annotation = annotation
    # Only the decision's fields change, each set here from checked values:
    # no full_clean (it re-checks every foreign key and constraint with a
    # query each), and only those columns written.
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "annotation"])
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
    current = _lock_pending(suggestion, user)
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
    current = _lock_pending(suggestion, user)
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
    current = _lock_pending(suggestion, user)
    return _decide(
        current, user=user, status=SuggestionStatus.REJECTED, annotation=None
    )


@transaction.atomic
def suggestion_reopen(*, suggestion: Suggestion, user: User) -> Suggestion:
    """Undo a decision: the suggestion is pending again, and the annotation
    its acceptance made (if still there) is deleted, both in the history.

    Only the analyst who decided may undo it (the annotator's Ctrl+Z): an
    undo takes back one's own decision, never a colleague's.
    """
    current = (
        Suggestion.objects.select_for_update()
        .select_related("document", "document__project", "tag")
        .get(pk=suggestion.pk)
    )
    if _decides_blind(current, user):
        return _reopen_blind(current, user)
    if current.status == SuggestionStatus.PENDING:
        raise ConflictError("This suggestion is pending already.", current=current)
    if current.decided_by_id != user.pk:
        raise PermissionDenied("Only the analyst who decided can undo the decision.")
    before = snapshot(current)
    if current.annotation_id is not None:
        annotation = Annotation.objects.select_for_update().get(
            pk=current.annotation_id
        )
        annotation_delete(
            annotation=annotation, user=user, expected_version=annotation.version
        )
    current.status = SuggestionStatus.PENDING
    current.decided_by = None
    current.decided_at = None
    current.annotation = None
    current.save(update_fields=["status", "decided_by", "decided_at", "annotation"])
    history_record(
        project=current.document.project,
        actor=user,
        obj=current,
        action=HistoryAction.UPDATE,
        before=before,
        after=snapshot(current),
    )
    return current


def _reopen_blind(current: Suggestion, user: User) -> Suggestion:
    """Undo a blind annotator's own decision (``suggestion_reopen``)."""
    decision = (
        SuggestionDecision.objects.select_for_update()
        .filter(suggestion=current, annotator=user)
        .first()
    )
    if decision is None:
        raise ConflictError("This suggestion is pending already.", current=current)
    if decision.annotation_id is not None:
        annotation = Annotation.objects.select_for_update().get(
            pk=decision.annotation_id
        )
        annotation_delete(
            annotation=annotation, user=user, expected_version=annotation.version
        )
    before = snapshot(decision)
    decision_id = decision.pk
    decision.delete()
    history_record(
        project=current.document.project,
        actor=user,
        obj=decision,
        action=HistoryAction.DELETE,
        before=before,
        object_id=decision_id,
    )
    current.blind_status = SuggestionStatus.PENDING  # type: ignore[attr-defined]
    current.blind_annotation_id = None  # type: ignore[attr-defined]
    return current


BULK_DECISIONS = ("accept", "reject")


@dataclass
class BulkResult:
    """What a bulk decision did: how many were decided, and why any were not."""

    decided: int = 0
    skipped: list[str] = field(default_factory=list)


def suggestions_decide_bulk(
    *,
    suggestions: QuerySet[Suggestion],
    user: User,
    decision: str,
    expected_count: int,
) -> BulkResult:
    """Accept or reject every suggestion in ``suggestions`` as ``user``.

    ``expected_count`` is the count the user confirmed: if the queue changed
    since (another analyst decided some, a re-analysis added some), nothing
    is decided and the error says so, so a confirmation always means what it
    said. Each suggestion is decided in its own transaction by the single
    decision services, so each is recorded in history as a single decision
    is, and one that fails (decided meanwhile, a span that no longer
    validates) is reported in ``skipped`` without sinking the others.
    """
    if decision not in BULK_DECISIONS:
        raise ApplicationError(
            f"decision must be one of {list(BULK_DECISIONS)}, not {decision!r}."
        )
    ids = list(suggestions.values_list("pk", flat=True))
    if len(ids) != expected_count:
        raise ApplicationError(
            f"The queue changed: {len(ids)} suggestions match now, not the "
            f"{expected_count} you confirmed. Look at the list again and confirm.",
            extra={"count": len(ids)},
        )
    result = BulkResult()
    for suggestion in Suggestion.objects.filter(pk__in=ids).order_by("pk"):
        try:
            if decision == "accept":
                suggestion_accept(suggestion=suggestion, user=user)
            else:
                suggestion_reject(suggestion=suggestion, user=user)
        except ApplicationError as exc:
            result.skipped.append(f"“{suggestion.quote[:60]}”: {exc.message}")
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            result.skipped.append(f"“{suggestion.quote[:60]}”: {reason}")
        else:
            result.decided += 1
    return result


def suggestion_span(
    prediction: dict[str, Any], fired: dict[str, Any]
) -> tuple[int, int]:
    """The words a suggestion covers: ``fired["span"]`` (the cue, the figure,
    the designation) when it is given and lies inside the sentence, else the
    whole sentence ``prediction`` describes."""
    lo, hi = prediction["start"], prediction["end"]
    span = fired.get("span")
    if isinstance(span, dict):
        start, end = span.get("start"), span.get("end")
        if isinstance(start, int) and isinstance(end, int) and lo <= start < end <= hi:
            return start, end
    return lo, hi


def suggestions_create_for_document(
    *, document: Document, data: dict[str, Any] | None = None
) -> list[Suggestion]:
    """Bring ``document``'s pending Suggestions in line with its analysis
    (``data``, else its stored one); see ``suggestions_create_for_documents``."""
    return suggestions_create_for_documents(analyses=[(document, data)])


REFRESHED = (
    "claimant",
    "claimant_type",
    "confidence",
    "rule",
    "explanation",
    "context_start",
    "context_end",
    "pipeline_version",
)


@dataclass
class _ProjectRules:
    """What a project's suggestions are made from, read once per batch."""

    by_key: dict[str, Tag]
    rules: list[tuple[str, list[dict]]]
    ran: set[int]  # tags whose rules ran
    merge: bool  # a learnt model to merge (annotations.learning.merge)


def _project_rules(project_id: int) -> _ProjectRules:
    from annotations.learning.merge import active_model

    tags = list(Tag.objects.filter(project_id=project_id, is_active=True))
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
    # model_merge changes nothing without a finished model, or in a blind
    # project: then it is not called at all (one query per batch, not per
    # document).
    model = active_model(project_id)
    return _ProjectRules(
        by_key=by_key,
        rules=rules,
        ran={by_key[key].pk for key, _ in rules},
        merge=model is not None and not model.project.blind_mode,
    )


def _suggestion_builder() -> Callable[..., Suggestion]:
    """Build unsaved Suggestions the way ``Model.from_db`` does: positional
    values, Django's fast path of ``Model.__init__`` (keyword arguments cost
    five times as much, for thousands of suggestions per chunk). A field
    not given gets its default, as with keywords; ``document`` and ``tag``
    are cached on the suggestion, as passing them by keyword would."""
    fields = Suggestion._meta.concrete_fields
    assert not any(f.has_default() and callable(f.default) for f in fields)
    defaults = [(f.attname, f.get_default()) for f in fields]
    document_field = Suggestion._meta.get_field("document")
    tag_field = Suggestion._meta.get_field("tag")
    model: Any = Suggestion  # positional values, which the stubs do not type

    def build(*, document: Document, tag: Tag, **values: Any) -> Suggestion:
        suggestion: Suggestion = model(
            *[values.pop(name, default) for name, default in defaults]
        )
        assert not values, f"not fields of Suggestion: {sorted(values)}"
        document_field.set_cached_value(suggestion, document)
        tag_field.set_cached_value(suggestion, tag)
        return suggestion

    return build


def _wanted(
    document: Document, data: dict[str, Any], project: _ProjectRules
) -> dict[tuple[int, int, int], Suggestion]:
    """The suggestions ``data`` makes for ``document``, by (tag, start, end)."""
    from annotations.learning.merge import model_merge
    from corpus.nlp import PIPELINE_VERSION

    text = document.text
    build = _suggestion_builder()
    predictions = sentence_predictions(data, text, project.rules)
    if project.merge:
        # The project's learnt model, merged with the rules (learning).
        predictions = model_merge(document, predictions)
    wanted: dict[tuple[int, int, int], Suggestion] = {}
    for prediction in predictions:
        for key, fired in prediction["fired"].items():
            tag = project.by_key[key]
            start, end = suggestion_span(prediction, fired)
            if (tag.pk, start, end) in wanted:
                continue  # the same words in one sentence: the first rule
            quote, prefix, suffix = Suggestion.context_for(text, start, end)
            wanted[(tag.pk, start, end)] = build(
                document=document,
                tag=tag,
                project_id=document.project_id,
                document_id=document.pk,
                tag_id=tag.pk,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                context_start=prediction["start"],
                context_end=prediction["end"],
                claimant=fired["claimant"][:300],
                claimant_type=fired["claimant_type"],
                confidence=fired["confidence"],
                rule=fired["rule"][:200],
                explanation=fired["explanation"],
                pipeline_version=PIPELINE_VERSION,
            )
    return wanted


def suggestions_create_for_documents(
    *, analyses: list[tuple[Document, dict[str, Any] | None]]
) -> list[Suggestion]:
    """Bring each document's pending Suggestions in line with its analysis.

    ``analyses`` pairs each document with its analysis data (None: the
    stored one; a document without one is skipped). Each suggestion covers
    the words that carry its tag (``suggestion_span``) and keeps its
    sentence as context. Idempotent: a suggestion already stored for the
    same tag and span is not duplicated, and one an analyst decided
    (rejected included) is never re-created or changed. A pending one the
    analysis still makes is refreshed (claimant, rule, explanation: a
    re-analysis after the document's source changed may change them); a
    pending one it no longer makes is removed (only for tags whose rules
    ran: a tag with a broken rule keeps its suggestions). Returns the
    suggestions created by this call.

    The whole batch (an analysis chunk's documents) costs a few queries:
    each project's tags and model once, the stored suggestions of all the
    documents in one locking SELECT, then at most one DELETE, one UPDATE
    and one INSERT.
    """
    projects: dict[int, _ProjectRules] = {}
    wanted: dict[int, dict[tuple[int, int, int], Suggestion]] = {}
    ran: dict[int, set[int]] = {}
    for document, data in analyses:
        if data is None:
            analysis = getattr(document, "analysis", None)
            if analysis is None:
                continue
            data = analysis.data
        project = projects.get(document.project_id)
        if project is None:
            project = projects[document.project_id] = _project_rules(
                document.project_id
            )
        wanted[document.pk] = _wanted(document, data, project)
        ran[document.pk] = project.ran
    if not wanted:
        return []
    with transaction.atomic():
        stored: dict[int, dict[tuple[int, int, int], Suggestion]] = {
            pk: {} for pk in wanted
        }
        for s in Suggestion.objects.select_for_update().filter(
            document_id__in=list(wanted)
        ):
            stored[s.document_id][(s.tag_id, s.start, s.end)] = s
        stale, changed, created = [], [], []
        for pk, fresh_of in wanted.items():
            old_of = stored[pk]
            stale += [
                s.pk
                for key, s in old_of.items()
                if s.status == SuggestionStatus.PENDING
                and key not in fresh_of
                and s.tag_id in ran[pk]
            ]
            for key, fresh in fresh_of.items():
                old = old_of.get(key)
                if old is None:
                    created.append(fresh)
                    continue
                if old.status != SuggestionStatus.PENDING:
                    continue
                if any(getattr(old, f) != getattr(fresh, f) for f in REFRESHED):
                    for name in REFRESHED:
                        setattr(old, name, getattr(fresh, name))
                    changed.append(old)
        if stale:
            # A suggestion a blind annotator decided is decided (their
            # rejection is training data), though it is pending for others.
            Suggestion.objects.filter(
                pk__in=stale, blind_decisions__isnull=True
            ).delete()
        if changed:
            Suggestion.objects.bulk_update(changed, REFRESHED)
        # Many short rows: UNNEST, each column read off the objects.
        bulk_insert_unnest(Suggestion, created, ignore_conflicts=True)
    return created
