"""The one API style: nested serializers, one pagination, ``for_user`` scoping.

Structural checks over every route under ``/api/`` (so a new endpoint that
strays fails here), and behaviour checks of the ``for_user`` querysets the
endpoints are built on.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.settings import api_settings
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from annotations.models import Annotation, Comment, Suggestion, Tag
from audit.models import HistoryEntry
from corpus.models import Assignment, AssignmentStatus
from legal.models import Assessment, Claim, Framework
from projects.api.pagination import GlossaPagination
from projects.models import Membership, Project, Role
from tests.factories import (
    AnnotationFactory,
    AssessmentFactory,
    AssignmentFactory,
    ClaimFactory,
    CommentFactory,
    DocumentFactory,
    ElementFactory,
    HistoryEntryFactory,
    MembershipFactory,
    ProjectFactory,
    SuggestionFactory,
    UserFactory,
)

# Module-level serializers that several endpoints share, each with the reason
# in its docstring; every other schema component comes from a serializer
# nested in its view (named "<View><Action>Input/Output").
SHARED_COMPONENTS = {
    "ErrorOutput",
    "AnnotationOutput",
    "DocumentOutput",
    "LearnedModelOutput",  # list, train and detail of a project's model
}


def _api_views() -> list[type[APIView]]:
    views: list[type[APIView]] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith("api/"):
                cls = getattr(entry.callback, "cls", None)
                if cls is not None and cls not in views:
                    views.append(cls)

    walk(get_resolver().url_patterns, "")
    return views


def test_every_list_uses_the_one_pagination():
    """The default is ``GlossaPagination`` and no API view picks another."""
    assert api_settings.DEFAULT_PAGINATION_CLASS is GlossaPagination
    views = _api_views()
    assert len(views) > 10
    for view in views:
        pagination = getattr(view, "pagination_class", None)  # schema views: none
        assert pagination in (GlossaPagination, None), view


def test_page_size_is_chosen_by_the_client_within_a_bound():
    paginator = GlossaPagination()
    factory = APIRequestFactory()

    def size(query: str) -> int:
        request = APIView().initialize_request(factory.get(f"/api/x/{query}"))
        page_size = paginator.get_page_size(request)
        assert page_size is not None
        return page_size

    assert size("") == 50
    assert size("?page_size=7") == 7
    assert size("?page_size=100000") == 200


def test_schema_components_come_from_nested_serializers():
    """Module-level serializers appear only where endpoints truly share one."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    names = set(schema["components"]["schemas"])
    plain = {
        name
        for name in names
        if not name.endswith("Enum") and not name.startswith(("Paginated", "Patched"))
    }
    views = {
        view.__name__.removesuffix("ViewSet").removesuffix("View")
        for view in _api_views()
    }
    strays = {
        name
        for name in plain - SHARED_COMPONENTS
        if not any(name.startswith(view) for view in views)
    }
    assert not strays, f"serializers not nested in their view: {sorted(strays)}"
    assert {"TagOutput", "TagCreateInput", "SearchOutput", "AgreementOutput"} <= names


@pytest.mark.django_db
def test_list_pages_follow_page_size(owner, project):
    """Every list honours ``?page_size=``, the history list included."""
    client = APIClient()
    client.force_authenticate(owner)
    tags = client.get("/api/tags/", {"project__slug": project.slug, "page_size": 2})
    assert len(tags.json()["results"]) == 2
    assert tags.json()["next"]
    HistoryEntryFactory.create_batch(3, project=project)
    history = client.get("/api/history/", {"project": project.slug, "page_size": 2})
    body = history.json()
    assert body["count"] >= 3
    assert len(body["results"]) == 2


# --- for_user -------------------------------------------------------------------


@pytest.fixture
def two_projects(db):
    """Rows of every scoped model in project A, and the same in project B."""
    rows = {}
    for name in ("a", "b"):
        project = ProjectFactory(slug=f"scope-{name}")
        document = DocumentFactory(project=project)
        annotation = AnnotationFactory(document=document)
        suggestion = SuggestionFactory(document=document)  # makes its tag
        claim = ClaimFactory(project=project)
        element = ElementFactory(criterion__framework__project=project)
        assessment = cast(Assessment, AssessmentFactory(claim=claim, element=element))
        assert assessment.element is not None
        rows[name] = {
            Tag: suggestion.tag,
            Annotation: annotation,
            Suggestion: suggestion,
            Comment: CommentFactory(annotation=annotation),
            Claim: claim,
            Assessment: assessment,
            Framework: assessment.element.criterion.framework,
            HistoryEntry: HistoryEntryFactory(project=project),
            Project: project,
        }
    return rows


MODELS = [Tag, Annotation, Suggestion, Comment, Claim, Assessment, Framework]


@pytest.mark.parametrize("model", [*MODELS, HistoryEntry, Project])
def test_for_user_is_membership(model, two_projects):
    member = cast(
        Membership, MembershipFactory(project=two_projects["a"][Project])
    ).user
    visible = list(model.objects.for_user(member))
    assert visible == [two_projects["a"][model]]
    assert not model.objects.for_user(UserFactory()).exists()
    assert not model.objects.for_user(AnonymousUser()).exists()


def test_history_in_blind_mode_is_for_reviewers_and_owners(two_projects):
    project = two_projects["a"][Project]
    project.blind_mode = True
    project.save()
    analyst = cast(
        Membership, MembershipFactory(project=project, role=Role.ANALYST)
    ).user
    reviewer = cast(
        Membership, MembershipFactory(project=project, role=Role.REVIEWER)
    ).user
    assert not HistoryEntry.objects.for_user(analyst).exists()
    assert list(HistoryEntry.objects.for_user(reviewer)) == [
        two_projects["a"][HistoryEntry]
    ]


def test_assignments_for_user_by_role(db):
    project = ProjectFactory()
    document = DocumentFactory(project=project)
    analyst = cast(
        Membership, MembershipFactory(project=project, role=Role.ANALYST)
    ).user
    colleague = cast(
        Membership, MembershipFactory(project=project, role=Role.ANALYST)
    ).user
    reviewer = cast(
        Membership, MembershipFactory(project=project, role=Role.REVIEWER)
    ).user
    own = AssignmentFactory(document=document, annotator=analyst)
    theirs = AssignmentFactory(
        document=document, annotator=colleague, status=AssignmentStatus.SUBMITTED
    )
    AssignmentFactory(document=DocumentFactory(), annotator=analyst)  # not a member
    assert list(Assignment.objects.for_user(analyst)) == [own]
    assert set(Assignment.objects.for_user(reviewer)) == {own, theirs}
    assert not Assignment.objects.for_user(AnonymousUser()).exists()
