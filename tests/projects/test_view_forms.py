"""The HTML forms of the other apps: a bad POST gets a message naming the
field and writes nothing; ``form_errors_from`` is the one error helper."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages

from annotations.models import Annotation
from audit.models import HistoryEntry
from corpus.models import Assignment, Document, Job
from projects.models import Membership, Role
from projects.services import project_create
from tests.factories import DocumentFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _post(client, url: str, data: dict) -> str:
    """POST, follow the redirect, and return the one message the page showed."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain, response.status_code
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    return message


def test_members_form_names_the_field(client, project, owner, analyst):
    client.force_login(owner)
    url = f"/p/{project.slug}/members/"
    before = set(Membership.objects.values_list("pk", "role"))
    message = _post(
        client, url, {"action": "add", "username": "nobody", "role": "viewer"}
    )
    assert message == "Username: There is no active user named 'nobody'."
    message = _post(
        client, url, {"action": "add", "username": "analyst", "role": "emperor"}
    )
    assert message == "Role: Choose a role."
    message = _post(client, url, {"action": "promote"})
    assert message == "Action: Unknown action."
    assert set(Membership.objects.values_list("pk", "role")) == before


def test_members_form_refuses_a_member_of_another_project(client, project, owner):
    other = project_create(
        name="Other", slug="other", created_by=cast(User, UserFactory())
    )
    foreign = other.memberships.get()
    client.force_login(owner)
    message = _post(
        client,
        f"/p/{project.slug}/members/",
        {"action": "role", "member": foreign.pk, "role": Role.VIEWER},
    )
    assert message == "Member: That member is no longer in the project."
    foreign.refresh_from_db()
    assert foreign.role == Role.OWNER


def test_adjudication_form_names_the_field(client, project, reviewer, document):
    tag = project.tags.first()
    client.force_login(reviewer)
    url = f"/p/{project.slug}/adjudicate/{document.pk}/"
    history = HistoryEntry.objects.count()
    message = _post(client, url, {"action": "add", "quote": "", "tag": tag.pk})
    assert message == "Exact text: Type the exact text to tag, or give its offsets."
    message = _post(
        client, url, {"action": "accept", "start": "x", "end": "4", "tag": tag.pk}
    )
    assert message == "Start: Offsets must be whole numbers."
    message = _post(
        client, url, {"action": "add", "start": "0", "end": "4", "tag": "999999"}
    )
    assert message == "Tag: Choose a tag of this project."
    assert not Annotation.objects.filter(document=document).exists()
    assert HistoryEntry.objects.count() == history


def test_assignment_form_names_the_field(client, project, owner, analyst):
    mine = cast(Document, DocumentFactory(project=project))
    other = project_create(name="Other", slug="other", created_by=owner)
    foreign = cast(Document, DocumentFactory(project=other))
    client.force_login(owner)
    url = f"/p/{project.slug}/assignments/"
    message = _post(client, url, {"annotators": [analyst.pk]})
    assert message == "Documents: Choose at least one document."
    message = _post(
        client, url, {"documents": [mine.pk, foreign.pk], "annotators": [analyst.pk]}
    )
    assert message.startswith("Documents: Select a valid choice.")
    message = _post(client, url, {"documents": [mine.pk]})
    assert message == "Analysts: Choose at least one analyst."
    assert not Assignment.objects.exists()


def test_export_form_names_an_unknown_format(client, project, owner):
    client.force_login(owner)
    message = _post(
        client, f"/p/{project.slug}/export/", {"action": "export", "format": "nope"}
    )
    assert message == "Format: Unknown export format 'nope'."
    assert not Job.objects.exists()


def test_tag_form_shows_service_errors_on_the_field(client, project, owner):
    """The tags page routes service errors through the same helper."""
    client.force_login(owner)
    existing = project.tags.first()
    response = client.post(
        f"/p/{project.slug}/tags/",
        {"key": existing.key, "name": "Twice", "colour": "#123456", "patterns": "[]"},
    )
    assert response.status_code == 400
    assert project.tags.filter(name="Twice").count() == 0
    assert "errorlist" in response.text
