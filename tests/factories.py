"""factory_boy factories shared by the whole suite."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from corpus.models import Document, sha256_hex
from projects.models import Membership, Project, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


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
