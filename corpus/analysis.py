"""Running the spaCy analysis over stored documents and keeping the result.

Each document is analysed with its ``DocumentContext`` (``document_context``:
its Source's kind and name, its project's acting states, its language),
since the text alone cannot say who published it or whose forces acted. The
result is stored with the context it was given and with
``corpus.nlp.pipeline_info()`` (model, model version, pattern-data hash).

``analyse_documents`` is idempotent: a document already analysed by the
current pipeline version *with its current context* is skipped unless
``force`` is given, so changing a document's source (or the project's
acting states) and asking again re-analyses exactly what changed. If the
pipeline fails, the documents not yet stored are marked failed with the
error, and the exception propagates. Analyses are stored in groups (all of
a chunk of short texts at once) and after each group ``documents_analysed``
is sent so that ``annotations`` can turn the analyses into suggestions in
a few queries per group rather than per document.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from corpus.bulk import bulk_create_values
from corpus.models import (
    AnalysisStatus,
    Document,
    DocumentAnalysis,
    DocumentKind,
    SocialAccount,
    SocialPost,
    normalise_handle,
)
from corpus.nlp import (
    PIPELINE_NAME,
    PIPELINE_VERSION,
    analyse_texts,
    get_nlp,
    has_pipeline,
    no_analysis_message,
    normalise_lang,
    pipeline_info,
)
from corpus.nlp.chunks import analyse_in_pieces
from corpus.nlp.context import SOURCE_KINDS, DocumentContext
from corpus.signals import documents_analysed


def context_build(**fields: Any) -> DocumentContext:
    """A DocumentContext of the fields this version of it knows.

    ``document_kind`` arrived with issue 12's voice work; callers pass it
    regardless, and a pipeline without it simply does not get it.
    """
    known = {f.name for f in dataclasses.fields(DocumentContext)}
    return DocumentContext(**{k: v for k, v in fields.items() if k in known})


def document_context(document: Document) -> DocumentContext:
    """What the pipeline is told about ``document`` before reading it.

    Needs ``document.source`` and ``document.project`` (select_related them
    for many documents). A source kind the pipeline does not know (none
    today: ``tests/corpus`` keeps the lists equal) is passed as unknown.
    """
    source = document.source
    kind = source.kind if source is not None else ""
    states = document.project.acting_states
    if not isinstance(states, list):
        states = []
    return context_build(
        source_kind=kind if kind in SOURCE_KINDS else "",
        source_name=source.name if source is not None else "",
        acting_states=tuple(s for s in states if isinstance(s, str)),
        lang=document.language or "en",
        document_kind=document.kind,
        **social_voice(document),
    )


def social_voice(document: Document) -> dict[str, str]:
    """Who speaks in a social post's own text: the registered account's
    claimant and type, else the post's display name (type inferred)."""
    if document.kind != DocumentKind.SOCIAL or document.pk is None:
        return {}
    post = (
        SocialPost.objects.filter(document_id=document.pk)
        .only("platform", "handle", "display_name")
        .first()
    )
    if post is None:
        return {}
    account = None
    if post.handle:
        account = (
            SocialAccount.objects.filter(
                project_id=document.project_id,
                platform=post.platform,
                handle=normalise_handle(post.handle),
            )
            .only("claimant", "claimant_type")
            .first()
        )
    if account is not None:
        return {
            "voice_claimant": account.claimant,
            "voice_claimant_type": account.claimant_type,
        }
    return {"voice_claimant": post.display_name or post.handle}


def _is_current(document: Document, context: dict[str, Any]) -> bool:
    analysis = getattr(document, "analysis", None)
    return (
        analysis is not None
        and analysis.pipeline == PIPELINE_NAME
        and analysis.pipeline_version == PIPELINE_VERSION
        and analysis.context == context
    )


def analyse_documents(
    document_ids: Iterable[int],
    *,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Analyse the given documents; return how many were (re)analysed.

    ``progress`` is called with the count of documents handled so far.
    """
    ids = list(document_ids)
    candidates = list(
        Document.objects.filter(pk__in=ids)
        .order_by("pk")
        .select_related("source", "project", "analysis")
        .only(
            "pk",
            "text",
            "language",
            "kind",
            "project_id",
            "project__acting_states",
            "source__name",
            "source__kind",
            "analysis__pipeline",
            "analysis__pipeline_version",
            "analysis__context",
        )
    )
    documents: list[Document] = []
    contexts: list[DocumentContext] = []
    for document in candidates:
        context = document_context(document)
        if force or not _is_current(document, context.as_dict()):
            if not has_pipeline(context.lang):
                # Never an empty analysis that looks like "nothing found": the
                # document and its job say why there is none.
                Document.objects.filter(pk=document.pk).update(
                    analysis_status=AnalysisStatus.FAILED,
                    analysis_error=no_analysis_message(normalise_lang(context.lang)),
                )
                continue
            documents.append(document)
            contexts.append(context)
    if not documents:
        return 0
    if not transaction.get_connection().in_atomic_block:
        # Inside a transaction (an analysis chunk's) "running" could never be
        # seen: the same transaction sets "done" before it commits. Each
        # UPDATE of a document recomputes its stored search vector.
        Document.objects.filter(pk__in=[d.pk for d in documents]).update(
            analysis_status=AnalysisStatus.RUNNING
        )
    done = 0
    try:
        # Once per language, not per document: it hashes the pattern files.
        provenances: dict[str, dict[str, str]] = {}
        for context in contexts:
            lang = normalise_lang(context.lang)
            if lang not in provenances:
                provenances[lang] = pipeline_info(lang)
        # Texts over the pipeline's max_length go in pieces (corpus.nlp.chunks).
        results = analyse_in_pieces(
            analyse_texts,
            [d.text for d in documents],
            contexts=contexts,
            limit=get_nlp().max_length,
        )
    except Exception as exc:
        _mark_failed(documents, exc)
        raise
    # Analyses are written in groups (one INSERT, one UPDATE and one signal
    # for the group's suggestions), a group closed at each of spaCy's
    # batches (GLOSSA_SPACY_BATCH_SIZE documents) and at STORE_GROUP_CHARS
    # of text, so that a chunk of long texts never holds all their analyses.
    # A group is written by a GroupWriter thread while spaCy parses the next
    # batch here (see GroupWriter).
    group: list[tuple[Document, DocumentContext, dict[str, Any]]] = []
    size = 0
    batch = settings.GLOSSA_SPACY_BATCH_SIZE
    writer = GroupWriter()
    try:
        for index, (document, context) in enumerate(
            zip(documents, contexts, strict=True)
        ):
            try:
                data = next(results)
            except Exception as exc:
                # Leave no document "running" forever: record why, then let
                # the caller (a Celery task, a command) see the failure.
                done += _settle_writer(writer, documents, done)
                _mark_failed(documents[done:], exc)
                raise
            group.append((document, context, data))
            size += len(document.text)
            if (
                size < STORE_GROUP_CHARS
                and len(group) < batch
                and index + 1 < len(documents)
            ):
                continue
            done += _settle_writer(writer, documents, done, progress)
            writer.submit(_store_group, group, provenances)
            group, size = [], 0
        done += _settle_writer(writer, documents, done, progress)
    finally:
        writer.abandon()  # only after an error: never leave the thread running
    return done


# Characters of text whose analyses are written together (see above).
STORE_GROUP_CHARS = 1_000_000


class GroupWriter:
    """Run one group's writes on a thread while the caller goes on parsing.

    spaCy keeps this process's core busy; the database works on another
    while its client only waits on a socket, and spaCy's matrix products
    run without the GIL, so a group's writes (and the suggestions its
    signal creates) cost little wall time while the next group is parsed.

    The thread borrows the caller's database connection (Django allows it
    with ``inc_thread_sharing``), so the writes stay in the caller's
    transaction (an analysis chunk's: one transaction, locked documents,
    a retried chunk never writing twice) exactly as if they ran inline. The
    hand-off is strict: at most one group is in flight, and the caller
    touches the database only after ``wait``, which also re-raises the
    writer's error in the caller.
    """

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self.using = using
        self.thread: threading.Thread | None = None
        self.error: BaseException | None = None
        self.pending = 0  # documents of the group in flight

    def submit(self, write: Callable[..., None], group: list, *args: Any) -> None:
        """Start writing ``group`` (``write(group, *args)``); call ``wait`` first."""
        assert self.thread is None, "one group at a time: wait() first"
        connection = connections[self.using]
        connection.inc_thread_sharing()
        self.pending = len(group)
        self.thread = threading.Thread(
            target=self._run, args=(connection, write, group, args), daemon=True
        )
        self.thread.start()

    def _run(self, connection, write, group, args) -> None:
        connections[self.using] = connection
        try:
            write(group, *args)
        except BaseException as exc:
            self.error = exc

    def wait(self) -> int:
        """Wait for the group in flight; return how many documents it stored,
        or raise what its writing raised."""
        if not self._join():
            return 0
        stored, self.pending = self.pending, 0
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return stored

    def abandon(self) -> None:
        """Join a group still in flight and drop its outcome (the caller is
        already propagating another error)."""
        if self._join():
            self.error = None
            self.pending = 0

    def _join(self) -> bool:
        """End the group in flight and give the connection back; False if
        there was none."""
        if self.thread is None:
            return False
        self.thread.join()
        self.thread = None
        connections[self.using].dec_thread_sharing()
        return True


def _settle_writer(
    writer: GroupWriter,
    documents: list[Document],
    done: int,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Wait for ``writer``'s group; return how many documents it stored.

    If storing failed, the documents not stored are marked failed when the
    connection still can (outside a transaction: the failed group's own
    was rolled back; inside one, the caller's transaction is doomed and its
    caller, a chunk, records the failure), and the error propagates.
    """
    try:
        stored = writer.wait()
    except Exception as exc:
        if not transaction.get_connection().in_atomic_block:
            _mark_failed(documents[done:], exc)
        raise
    if stored and progress is not None:
        progress(done + stored)
    return stored


def _store_group(
    group: list[tuple[Document, DocumentContext, dict[str, Any]]],
    provenances: dict[str, dict[str, str]],
) -> None:
    """Store the analyses of ``group`` and mark its documents done.

    No savepoint: nothing in here catches an error, so a failure undoes the
    caller's transaction (a chunk's, which then goes one by one) or, outside
    any, this group's own. Whether a document has an analysis was loaded
    with the candidates (select_related); chunks lock their documents, so
    nothing adds one in between.
    """
    new, replaced = [], []
    for document, context, data in group:
        fields = {
            "pipeline": PIPELINE_NAME,
            "pipeline_version": PIPELINE_VERSION,
            "data": data,
            "provenance": provenances[normalise_lang(context.lang)],
            "context": context.as_dict(),
        }
        existing = getattr(document, "analysis", None)
        if existing is None:
            new.append(DocumentAnalysis(document=document, **fields))
        else:
            replaced.append((existing.pk, fields))
    with transaction.atomic(savepoint=False):
        if new:
            bulk_create_values(DocumentAnalysis, new, field="pipeline")
        for pk, fields in replaced:
            DocumentAnalysis.objects.filter(pk=pk).update(
                created_at=timezone.now(), **fields
            )
        Document.objects.filter(pk__in=[d.pk for d, _, _ in group]).update(
            analysis_status=AnalysisStatus.DONE, analysis_error=""
        )
        documents_analysed.send(
            sender=Document, analyses=[(d, data) for d, _, data in group]
        )


def _mark_failed(documents: list[Document], exc: Exception) -> None:
    Document.objects.filter(pk__in=[d.pk for d in documents]).update(
        analysis_status=AnalysisStatus.FAILED,
        analysis_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
