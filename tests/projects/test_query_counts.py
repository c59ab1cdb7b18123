"""Query counts of project creation and of the projects app's pages.

Every test creates a project through the ``project`` fixture, so its cost is
paid thousands of times per run: the default taxonomy and framework load in
bulk, in a bounded number of queries.
"""

from __future__ import annotations

import copy
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from annotations.defaults import default_tags
from annotations.models import Tag
from legal.defaults import default_framework
from legal.models import Criterion, Element
from legal.services.frameworks import framework_load
from projects.models import Project
from projects.services import project_create
from tests.factories import DocumentFactory
from tests.fixtures_team import member

pytestmark = pytest.mark.django_db


def test_project_fixture_takes_at_most_50_queries(
    owner, request, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(50):
        project = request.getfixturevalue("project")
    data = default_framework()["criteria"]
    assert project.tags.count() == len(default_tags())
    assert Criterion.objects.filter(framework__project=project).count() == len(data)
    elements = Element.objects.filter(criterion__framework__project=project)
    assert elements.count() == sum(len(c.get("elements") or []) for c in data)


def test_load_defaults_is_idempotent_and_keeps_edits(project) -> None:
    tags = Tag.objects.filter(project=project).count()
    elements = Element.objects.filter(criterion__framework__project=project)
    before = {(e.criterion.key, e.key): e.pk for e in elements}
    criterion = Criterion.objects.filter(framework__project=project).first()
    assert criterion is not None
    elements.filter(criterion=criterion).delete()
    call_command("load_defaults", project=project.slug, stdout=StringIO())
    call_command("load_defaults", stdout=StringIO())
    assert Tag.objects.filter(project=project).count() == tags
    after = {(e.criterion.key, e.key): e.pk for e in elements.all()}
    assert after.keys() == before.keys()
    # untouched elements keep their rows; the deleted ones come back
    for key, pk in before.items():
        if key[0] != criterion.key:
            assert after[key] == pk


def test_framework_load_merges_by_key_in_few_queries(
    project, django_assert_max_num_queries
) -> None:
    data = copy.deepcopy(default_framework())
    first = data["criteria"][0]
    first["title"] = "Retitled"
    first["elements"][0]["question"] = "A new question?"
    first["elements"].append({"key": "zz", "question": "Added?", "tags": []})
    elements = Element.objects.filter(criterion__framework__project=project)
    pks = set(elements.values_list("pk", flat=True))
    with django_assert_max_num_queries(12):
        framework_load(project=project, data=data)
    criterion = Criterion.objects.get(framework__project=project, key=first["key"])
    assert criterion.title == "Retitled"
    questions = dict(criterion.elements.values_list("key", "question"))
    assert questions[first["elements"][0]["key"]] == "A new question?"
    assert questions["zz"] == "Added?"
    assert pks < set(elements.values_list("pk", flat=True))
    assert elements.count() == len(pks) + 1


def test_members_page(assert_queries_flat, project, owner):
    made: list[User] = []

    def grow(n: int) -> None:
        for _ in range(n):
            made.append(member(project, f"member{len(made)}", "analyst"))

    counts = assert_queries_flat(owner, f"/p/{project.slug}/members/", grow)
    assert made[-1].username in counts.response.content.decode()


def test_home(assert_queries_flat, owner):
    made: list[Project] = []

    def grow(n: int) -> None:
        for _ in range(n):
            made.append(project_create(name=f"Case {len(made)}", created_by=owner))
            DocumentFactory(project=made[-1])

    counts = assert_queries_flat(owner, "/", grow)
    assert made[-1].name in counts.response.content.decode()
