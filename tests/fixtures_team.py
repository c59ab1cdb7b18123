"""Fixtures of the team-and-trust tests: members of every role, a second
project, and annotations written the way the database stores them."""

from __future__ import annotations

import pytest

from annotations.models import Annotation, Origin, Tag
from projects.services import membership_set, project_create
from tests.factories import DocumentFactory, UserFactory


def make_annotation(
    document, author, start: int, end: int, tag_keys, origin=Origin.HUMAN, **fields
) -> Annotation:
    """Store an annotation (anchored, validated) with tags from its project.

    Test set-up only: the annotator branch's ``annotation_create`` is the
    write path in the application.
    """
    annotation = Annotation(
        project=document.project,
        document=document,
        author=author,
        start=start,
        end=end,
        origin=origin,
        **fields,
    )
    annotation.anchor()
    annotation.full_clean()
    annotation.save()
    annotation.tags.set(Tag.objects.filter(project=document.project, key__in=tag_keys))
    return annotation


def member(project, username: str, role: str):
    user = UserFactory(username=username)
    membership_set(project=project, user=user, role=role)
    return user


@pytest.fixture
def other_project(db):
    """Project B, whose owner is an outsider to the ``project`` fixture."""
    outsider = UserFactory(username="outsider")
    return project_create(name="Another case", slug="another", created_by=outsider)


@pytest.fixture
def outsider(other_project):
    return other_project.memberships.get().user


@pytest.fixture
def sample_document(project):
    return DocumentFactory(
        project=project,
        title="Harbour statement of Minister Quillon",
        text=(
            "Minister Quillon said nine crew died. The ministry gave no proof. "
            "Observers from Vantor called it unlawful. Rescue boats left at dawn."
        ),
    )
