"""Panels served as htmx partials (django-htmx's ``request.htmx``).

Each view answers a page load with the whole page and an htmx request
(``HX-Request: true``) with the panel alone, from the one ``_name.html``
template the page includes. The membership and role checks are the page's:
a stranger gets 404 and a role below the page's 403, partial or not.
"""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import ProjectInvitation
from corpus.models import Job, JobKind, JobStatus
from projects.models import Membership, Role
from tests.factories import DocumentFactory, UserFactory
from tests.fixtures_team import member

HX = {"HX-Request": "true"}

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _is_partial(response, panel_id: str) -> bool:
    html = _html(response)
    return html.lstrip().startswith(f'<div id="{panel_id}"') or (
        f'id="{panel_id}"' in html and "<html" not in html
    )


def test_job_progress_polls_as_a_partial_and_stops_when_done(client, project, viewer):
    job = Job.objects.create(
        project=project, kind=JobKind.ANALYSE, status=JobStatus.RUNNING, total=4
    )
    url = f"/p/{project.slug}/jobs/{job.pk}/"
    client.force_login(viewer)
    full = client.get(url)
    assert "<html" in _html(full) and 'hx-trigger="every 1s"' in _html(full)
    partial = client.get(url, headers=HX)
    assert partial.status_code == 200
    html = _html(partial)
    assert "<html" not in html and html.lstrip().startswith('<div class="job-progress"')
    assert 'hx-trigger="every 1s"' in html
    assert "HX-Request" in partial["Vary"]
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Worker lost.")
    html = _html(client.get(url, headers=HX))
    assert "Failed" in html and "Worker lost." in html
    assert "hx-trigger" not in html  # the poll stops


def test_a_history_restore_gets_the_whole_page(client, project, viewer):
    """Back after htmx pushed a URL, with the page out of htmx's cache."""
    client.force_login(viewer)
    response = client.get(
        f"/p/{project.slug}/documents/",
        headers={**HX, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in _html(response)


def test_the_ingest_page_polls_its_running_jobs(client, project, analyst):
    running = Job.objects.create(
        project=project, kind=JobKind.ANALYSE, status=JobStatus.RUNNING, total=3
    )
    Job.objects.create(project=project, kind=JobKind.INGEST, status=JobStatus.DONE)
    client.force_login(analyst)
    html = _html(client.get(f"/p/{project.slug}/ingest/"))
    assert html.count('hx-trigger="every 1s"') == 1
    assert f'id="job-progress-{running.pk}"' in html


def test_members_table_is_swapped_after_a_change(client, project, owner):
    colleague = member(project, "colleague", Role.VIEWER)
    url = f"/p/{project.slug}/members/"
    client.force_login(owner)
    full = client.get(url)
    assert "<html" in _html(full) and 'id="members"' in _html(full)
    assert 'hx-post="/p/strikes/members/"' in _html(full)
    partial = client.get(url, headers=HX)
    assert _is_partial(partial, "members")
    assert "Add a member" not in _html(partial)
    # A change through htmx: the redirect is followed with the same header
    # (as the browser's XMLHttpRequest does), and lands on the table alone,
    # with what was done.
    membership = Membership.objects.get(user=colleague, project=project)
    response = client.post(
        url,
        {"action": "role", "member": membership.pk, "role": Role.ANALYST},
        headers=HX,
        follow=True,
    )
    assert _is_partial(response, "members")
    assert "colleague is now analyst." in _html(response)
    membership.refresh_from_db()
    assert membership.role == Role.ANALYST


def test_members_partial_checks_membership_and_role(client, project, viewer):
    url = f"/p/{project.slug}/members/"
    client.force_login(viewer)
    assert client.get(url, headers=HX).status_code == 200
    target = Membership.objects.get(user=viewer, project=project)
    response = client.post(
        url, {"action": "remove", "member": target.pk, "role": "viewer"}, headers=HX
    )
    assert response.status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert client.get(url, headers=HX).status_code == 404


def test_invitations_panel_on_invite_errors_and_revoke(client, project, owner):
    url = f"/p/{project.slug}/members/invite/"
    client.force_login(owner)
    full = client.get(url)
    assert "<html" in _html(full) and 'id="invitations"' in _html(full)
    sent = client.post(
        url, {"email": "nadia@example.org", "role": "analyst"}, headers=HX, follow=True
    )
    assert _is_partial(sent, "invitations")
    assert "Invitation sent to nadia@example.org" in _html(sent)
    assert "nadia@example.org" in _html(sent).split('id="pending"')[1]
    assert len(mail.outbox) == 1
    # A form with errors comes back as the panel, status 400, which the
    # page's htmx configuration swaps in like a success.
    bad = client.post(url, {"email": "not an address", "role": "analyst"}, headers=HX)
    assert bad.status_code == 400 and _is_partial(bad, "invitations")
    assert "valid email" in _html(bad)
    invitation = ProjectInvitation.objects.get(email="nadia@example.org")
    revoked = client.post(
        f"/p/{project.slug}/members/invite/{invitation.pk}/revoke/",
        headers=HX,
        follow=True,
    )
    assert _is_partial(revoked, "invitations")
    assert "The invitation of nadia@example.org is revoked." in _html(revoked)
    assert "No pending invitations." in _html(revoked)


def test_invitations_partial_is_for_owners_only(client, project, analyst):
    url = f"/p/{project.slug}/members/invite/"
    client.force_login(analyst)
    assert client.get(url, headers=HX).status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert client.get(url, headers=HX).status_code == 404


def test_document_results_are_a_partial_with_filters_and_assignment(
    client, project, owner, analyst
):
    for title in ("Quorvex 2", "Quorvex 10", "Memo 1"):
        DocumentFactory(project=project, title=title)
    url = f"/p/{project.slug}/documents/"
    client.force_login(owner)
    full = client.get(url)
    assert "<html" in _html(full) and 'id="doc-results"' in _html(full)
    assert 'hx-target="#doc-results"' in _html(full)
    partial = client.get(url, {"q": "Quorvex"}, headers=HX)
    html = _html(partial)
    assert _is_partial(partial, "doc-results")
    assert "Quorvex 2" in html and "Memo 1" not in html
    assert 'id="bulk-assign"' in html  # the owner's assignment bar
    assigned = client.post(
        f"/p/{project.slug}/documents/assign/",
        {
            "q": "Quorvex",
            "scope": "matching",
            "action": "assign",
            "annotator": analyst.pk,
        },
        headers=HX,
        follow=True,
    )
    assert _is_partial(assigned, "doc-results")
    assert "Assigned 2 documents to analyst." in _html(assigned)
    assert "Memo 1" not in _html(assigned)  # still the filtered results


def test_document_results_partial_checks_membership(client, project, viewer):
    DocumentFactory(project=project, title="Report 1")
    url = f"/p/{project.slug}/documents/"
    client.force_login(viewer)
    html = _html(client.get(url, headers=HX))
    assert "Report 1" in html and 'id="bulk-assign"' not in html
    client.force_login(UserFactory(username="stranger"))
    assert client.get(url, headers=HX).status_code == 404
    response = client.post(
        f"/p/{project.slug}/documents/assign/", {"scope": "matching"}, headers=HX
    )
    assert response.status_code == 404
