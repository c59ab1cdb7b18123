"""No one outside a project sees anything of it, on any route.

Walks every URL pattern (HTML, API, admin, account) and requests it with
GET, POST, PATCH and DELETE as an anonymous user and as the owner of
another project, with path parameters filled with the ids and slug of
project A's objects. Everything must answer 401/403/404/405 or redirect to a
login page, and no response may contain project A's text. A route that
answers 200 fails the test unless it is listed in ``PUBLIC_ROUTES``.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.urls import clear_url_caches

from annotations.models import Tag
from annotations.services.taxonomy import tag_update
from audit.models import HistoryAction, HistoryEntry
from audit.services import history_record, snapshot
from corpus.models import Assignment, Document, DocumentAnalysis, Job
from legal.models import Claim, Framework
from tests.factories import DocumentFactory, make_annotation
from tests.projects.isolation import PUBLIC_ROUTES, probe, walk

SECRET = "Zephyrine"
SECRETS = [SECRET, "Strikes at sea", "Harbour log of the Zephyrine"]


@pytest.fixture
def project_a(project, owner, analyst, media_root):
    """Project A with one of every kind of object, all mentioning SECRET."""
    document = cast(
        Document,
        DocumentFactory(
            project=project,
            title="Harbour log of the Zephyrine",
            text=f"The {SECRET} left port at night. Officials said nine died aboard.",
        ),
    )
    DocumentAnalysis.objects.create(
        document=document,
        pipeline="test",
        pipeline_version="1",
        data={"sentences": [[0, 32]], "note": SECRET},
    )
    annotation = make_annotation(
        document, analyst, 4, 4 + len(SECRET), ["official_claim"], note=SECRET
    )
    assignment = Assignment.objects.create(
        document=document, annotator=analyst, assigned_by=owner
    )
    claim = Claim.objects.create(
        project=project, proposition=f"The {SECRET} was struck.", created_by=owner
    )
    history_record(
        project=project,
        actor=analyst,
        obj=annotation,
        action=HistoryAction.CREATE,
        after=snapshot(annotation),
    )
    tag = project.tags.get(key="official_claim")
    tag_update(tag=tag, user=owner, description=f"Claims about the {SECRET}.")
    job = Job.objects.create(
        project=project, kind="ingest", created_by=owner, report={"note": SECRET}
    )
    history = HistoryEntry.objects.filter(project=project).first()
    assert history is not None
    ids = {
        "project": project.pk,
        "document": document.pk,
        "annotation": annotation.pk,
        "assignment": assignment.pk,
        "claim": claim.pk,
        "tag": tag.pk,
        "history": history.pk,
        "framework": project.frameworks.first().pk,
        "membership": project.memberships.first().pk,
    }
    ids["job"] = job.pk
    return project, ids


def path_values(project, ids) -> dict[str, list[str]]:
    """What to put in each path parameter: every id of project A's objects."""
    all_ids = sorted({str(v) for v in ids.values()})
    return {
        "slug": [project.slug],
        "document": [str(ids["document"])],
        "object_type": ["annotation", "tag", "assignment", "claim"],
        "action": ["submit", "reopen", "withdraw"],
        "fmt": ["csv", "jsonl"],
        "format": ["json"],
        "app_label": ["annotations"],
        "url": ["x/"],
        "path": ["css/glossa.css"],
        "*int*": all_ids,
        "*": all_ids,
    }


def drop_outsider_objects_sharing_ids(other_project, ids) -> None:
    """Ids are probed on every ``<pk>`` route, so one of project A's ids (a
    tag's, say) may be the pk of the outsider's *own* framework or tag, which
    the outsider may rightly read. Remove such look-alikes from the outsider's
    project (its default tags and frameworks) so every 200 is a real leak."""
    probed = {int(v) for v in ids.values()}
    for model in (Framework, Tag, HistoryEntry):
        model.objects.filter(project=other_project, pk__in=probed).delete()


# The walk makes thousands of requests: split it so xdist workers share it.
SHARDS = 4


@pytest.mark.postgres
@pytest.mark.parametrize("part", range(SHARDS))
def test_every_route_refuses_outsiders_and_anonymous(
    client, project_a, outsider, other_project, part
):
    project, ids = project_a
    drop_outsider_objects_sharing_ids(other_project, ids)
    values = path_values(project, ids)
    shard = (part, SHARDS)
    problems = probe(client, "anonymous", values, SECRETS, shard=shard)

    client.force_login(outsider)

    def relogin():
        if "_auth_user_id" not in client.session:
            client.force_login(outsider)

    problems += probe(client, "outsider", values, SECRETS, relogin=relogin, shard=shard)
    assert problems == [], "\n".join(problems[:40])


def test_walk_covers_the_trust_routes_and_api():
    names = {route.name for route in walk()}
    for name in (
        "members",
        "assignments",
        "agreement",
        "adjudicate",
        "project-history",
        "object-history",
        "tags",
        "assignment-detail",
        "history-detail",
        "api-agreement",
        "admin:index",
    ):
        assert name in names
    # Every allow-listed route still exists (no stale exemptions).
    assert set(PUBLIC_ROUTES) <= names


@pytest.mark.postgres
def test_walker_catches_an_unprotected_view(client, project_a, outsider, settings):
    """A view that forgets the permission check is reported, for both users."""
    project, ids = project_a
    settings.ROOT_URLCONF = "tests.projects.unprotected_routes"
    clear_url_caches()
    try:
        values = path_values(project, ids)
        client.force_login(outsider)
        problems = probe(client, "outsider", values, SECRETS)
        client.logout()
        problems += probe(client, "anonymous", values, SECRETS)
    finally:
        clear_url_caches()
    leaky = [p for p in problems if "leaky-document" in p]
    assert any("answered 200" in p and p.startswith("outsider") for p in leaky)
    assert any("contains project data" in p for p in leaky)
    assert any(p.startswith("anonymous") for p in leaky)
    assert all("leaky-document" in p for p in problems), problems[:5]
