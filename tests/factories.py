"""factory_boy factories for every model, and ``make_annotation``.

Factories build valid rows with as little set-up as possible: a child's
parents come from the same project (an annotation's project is its
document's, an assessment's criterion is its element's). ``ProjectFactory``
makes a bare project; the ``project`` fixture (``project_create``) makes one
with the default taxonomy and framework, as users get it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from annotations.models import Annotation, Comment, Origin, Suggestion, Tag
from audit.models import HistoryAction, HistoryEntry
from audit.services import history_record, snapshot
from corpus.models import (
    Assignment,
    Document,
    DocumentAnalysis,
    Job,
    JobKind,
    Source,
    sha256_hex,
)
from legal.models import (
    Assessment,
    Claim,
    ClaimMention,
    ClaimQuantity,
    Criterion,
    Element,
    Framework,
)
from projects.models import Membership, Project, Role

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A bare project (no default taxonomy); use ``project_create`` for that."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANALYST


# --- corpus ---------------------------------------------------------------------


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Source {n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document whose original bytes are its UTF-8 text (no file stored)."""

    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    text = factory.Sequence(
        lambda n: (
            f"Report {n}. The minister said 14 people were killed. "
            "The government has yet to provide evidence."
        )
    )
    sha256 = factory.LazyAttribute(lambda o: sha256_hex(o.text))
    size = factory.LazyAttribute(lambda o: len(o.text.encode()))
    media_type = "text/plain"
    captured_at = factory.LazyFunction(timezone.now)


class DocumentAnalysisFactory(factory.django.DjangoModelFactory):
    """An analysis whose one sentence is the whole text (no spaCy)."""

    class Meta:
        model = DocumentAnalysis

    document = factory.SubFactory(DocumentFactory)
    pipeline = "test"
    pipeline_version = "1"
    data = factory.LazyAttribute(
        lambda o: {"sentences": [[0, len(o.document.text)]], "tokens": []}
    )


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    project = factory.SubFactory(ProjectFactory)
    kind = JobKind.INGEST


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    document = factory.SubFactory(DocumentFactory)
    annotator = factory.SubFactory(UserFactory)


# --- annotations ----------------------------------------------------------------


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    project = factory.SubFactory(ProjectFactory)
    key = factory.Sequence(lambda n: f"tag_{n}")
    name = factory.Sequence(lambda n: f"Tag {n}")
    order = factory.Sequence(int)


class _SpanFactory(factory.django.DjangoModelFactory):
    """Spans are anchored (quote, prefix, suffix) and validated on create."""

    class Meta:
        abstract = True

    document = factory.SubFactory(DocumentFactory)
    project = factory.SelfAttribute("document.project")
    start = 0
    end = factory.LazyAttribute(lambda o: min(len(o.document.text), o.start + 10))

    @classmethod
    def _create(cls, model_class, *args: Any, **kwargs: Any):
        span = model_class(*args, **kwargs)
        span.anchor()
        span.full_clean()
        span.save()
        return span


class AnnotationFactory(_SpanFactory):
    """``tags`` takes Tag objects or keys of the document's project."""

    class Meta:
        model = Annotation
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def tags(self, create: bool, extracted: Iterable[Any] | None, **kwargs: Any):
        # factory_boy calls this with the built Annotation as ``self``.
        annotation = cast(Annotation, self)
        if create and extracted:
            keys = [t for t in extracted if isinstance(t, str)]
            objects = [t for t in extracted if not isinstance(t, str)]
            objects += Tag.objects.filter(project=annotation.project, key__in=keys)
            annotation.tags.set(objects)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    annotation = factory.SubFactory(AnnotationFactory)
    author = factory.SelfAttribute("annotation.author")
    body = factory.Sequence(lambda n: f"Comment {n}.")


class SuggestionFactory(_SpanFactory):
    class Meta:
        model = Suggestion

    tag = factory.SubFactory(TagFactory, project=factory.SelfAttribute("..project"))
    rule = "test.rule"
    confidence = 0.5


# --- legal ----------------------------------------------------------------------


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    project = factory.SubFactory(ProjectFactory)
    key = factory.Sequence(lambda n: f"framework_{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    framework = factory.SubFactory(FrameworkFactory)
    key = factory.Sequence(lambda n: f"criterion_{n}")
    code = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Criterion {n}")
    instrument = "ICCPR"
    paraphrase = "No one shall be arbitrarily deprived of life."
    order = factory.Sequence(int)


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Element

    criterion = factory.SubFactory(CriterionFactory)
    key = factory.Sequence(lambda n: f"e{n}")
    question = factory.Sequence(lambda n: f"Was condition {n} met?")
    order = factory.Sequence(int)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    project = factory.SubFactory(ProjectFactory)
    proposition = factory.Sequence(lambda n: f"{n + 2} people were killed.")
    claimant = "The ministry"
    created_by = factory.SubFactory(UserFactory)


class ClaimMentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimMention

    annotation = factory.SubFactory(AnnotationFactory)
    claim = factory.SubFactory(
        ClaimFactory, project=factory.SelfAttribute("..annotation.project")
    )
    linked_by = factory.SelfAttribute("annotation.author")


class ClaimQuantityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimQuantity

    claim = factory.SubFactory(ClaimFactory)
    value = 14
    counts = "killed"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    project = factory.SelfAttribute("claim.project")
    element = factory.SubFactory(
        ElementFactory,
        criterion__framework__project=factory.SelfAttribute("....project"),
    )
    criterion = factory.SelfAttribute("element.criterion")
    finding = "supports"
    rationale = "Because the record says so."
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def sources(self, create: bool, extracted: Iterable[Annotation] | None, **_):
        if create and extracted:
            self.sources.set(extracted)


# --- audit ----------------------------------------------------------------------


class HistoryEntryFactory(factory.django.DjangoModelFactory):
    """A raw entry; ``history_record`` is the write path of the application."""

    class Meta:
        model = HistoryEntry

    project = factory.SubFactory(ProjectFactory)
    object_type = "annotation"
    object_id = factory.Sequence(lambda n: n + 1)
    action = HistoryAction.CREATE
    actor = factory.SubFactory(UserFactory)
    after = factory.LazyAttribute(lambda o: {"id": o.object_id})


# --- the one annotation helper ------------------------------------------------------


def make_annotation(
    document: Document,
    author,
    start: int | str,
    end: int | None = None,
    tags: Iterable[str] = (),
    *,
    note: str = "",
    origin: str = Origin.HUMAN,
    history: bool = False,
    **fields: Any,
) -> Annotation:
    """Store an annotation (anchored, validated) tagged with keys of its project.

    The span is ``start``-``end`` (offsets) or, when ``start`` is a string,
    that quote's first occurrence in the text (``end`` must then be None; pass
    the tags by keyword). ``history=True`` also records the creation as the
    services do, for tests of exports and history. Test set-up only:
    ``annotation_create`` is the write path in the application.
    """
    if isinstance(start, str):
        if end is not None:
            raise TypeError("Give a quote or offsets, not both.")
        quote = start
        start = document.text.index(quote)
        end = start + len(quote)
    elif end is None:
        raise TypeError("Offsets need an end.")
    annotation = cast(
        Annotation,
        AnnotationFactory(
            document=document,
            author=author,
            start=start,
            end=end,
            note=note,
            origin=origin,
            tags=list(tags),
            **fields,
        ),
    )
    if history:
        history_record(
            project=document.project,
            actor=author,
            obj=annotation,
            action="create",
            after=snapshot(annotation),
        )
    return annotation
