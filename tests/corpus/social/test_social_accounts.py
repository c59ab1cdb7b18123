"""The account registry: pages, API, history, and its effect on who claims
a post's sentences (real spaCy pipeline)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Suggestion
from audit.models import HistoryEntry
from corpus.analysis import analyse_documents, document_context
from corpus.ingest import ingest_file
from corpus.models import DocumentAnalysis, Job, JobKind, SocialAccount, SocialPost
from corpus.social_services import social_account_create, social_account_update
from tests.corpus.social.conftest import zip_of
from tests.fixtures_nlp import nlp  # noqa: F401  (the session's pipeline)

pytestmark = pytest.mark.postgres


def _import_x(project, user):
    ingest_file(
        project=project, name="x.zip", data=zip_of("x"), user=user, analyse=False
    )
    return {p.post_id: p for p in SocialPost.objects.filter(project=project)}


def test_registered_ministry_account_claims_its_posts(project, analyst, nlp):  # noqa: F811
    project.acting_states = ["Norland"]
    project.save(update_fields=["acting_states"])
    social_account_create(
        project=project,
        user=analyst,
        platform="x",
        handle="@MinDefNorland",
        claimant="Norland Ministry of Defence",
        claimant_type="acting_government",
    )
    posts = _import_x(project, analyst)
    first = posts["1800000000000000001"].document
    context = document_context(first)
    assert context.voice_claimant == "Norland Ministry of Defence"
    assert context.voice_claimant_type == "acting_government"
    analyse_documents([first.pk])
    data = DocumentAnalysis.objects.get(document=first).data
    assert data["voice"]["claimant"] == "Norland Ministry of Defence"
    assert data["voice"]["claimant_type"] == "acting_government"
    assert data["voice"]["inferred"] is False
    claims = [s for s in data["sentences"] if s["is_claim"]]
    assert claims
    for sentence in claims:
        assert sentence["claimant"] == "Norland Ministry of Defence"
        assert sentence["claimant_type"] == "acting_government"
        assert sentence["claimant_via"] == "voice"
    tags = set(
        Suggestion.objects.filter(document=first).values_list("tag__key", flat=True)
    )
    assert {"official_claim", "casualty_figure"} <= tags


def test_unregistered_account_speaks_as_its_display_name(project, analyst, nlp):  # noqa: F811
    posts = _import_x(project, analyst)
    first = posts["1800000000000000001"].document
    analyse_documents([first.pk])
    voice = DocumentAnalysis.objects.get(document=first).data["voice"]
    assert voice["claimant"] == "Norland Ministry of Defence"
    assert voice["claimant_type"] != "acting_government" or voice["inferred"]


def test_registering_later_queues_the_posts_again_with_history(project, analyst):
    posts = _import_x(project, analyst)
    account = social_account_create(
        project=project,
        user=analyst,
        platform="x",
        handle="MinDefNorland",
        claimant="Norland MoD",
        claimant_type="acting_government",
    )
    job = Job.objects.filter(project=project, kind=JobKind.ANALYSE).latest("pk")
    assert job.total == len(posts)
    social_account_update(
        account=account, user=analyst, claimant="Norland Ministry of Defence"
    )
    entries = HistoryEntry.objects.filter(
        object_type="socialaccount", object_id=account.pk
    ).order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert (entries[1].before or {})["claimant"] == "Norland MoD"
    assert (entries[1].after or {})["claimant"] == "Norland Ministry of Defence"
    assert entries[1].actor == analyst
    document = posts["1800000000000000003"].document
    assert document_context(document).voice_claimant == "Norland Ministry of Defence"


def test_registry_page(client, project, analyst, viewer):
    posts = _import_x(project, analyst)
    url = reverse("social-accounts", args=[project.slug])
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200
    assert "MinDefNorland" in page.content.decode()  # seen, not registered
    assert client.post(url, {}).status_code == 403
    client.force_login(analyst)
    document = posts["1800000000000000002"].document
    annotator = client.get(reverse("annotator", args=[project.slug, document.pk]))
    body = annotator.content.decode()
    assert 'id="register-account"' in body and "1800000000000000001" in body
    form = client.get(url + "?platform=x&handle=MinDefNorland&claimant=Norland+MoD")
    assert 'value="MinDefNorland"' in form.content.decode()
    response = client.post(
        url,
        {
            "platform": "x",
            "handle": "@MinDefNorland",
            "claimant": "Norland Ministry of Defence",
            "claimant_type": "acting_government",
            "notes": "",
        },
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get(project=project)
    assert account.handle == "mindefnorland"
    duplicate = client.post(
        url,
        {
            "platform": "x",
            "handle": "mindefnorland",
            "claimant": "Again",
            "claimant_type": "other_government",
        },
    )
    assert duplicate.status_code == 400
    assert "already registered" in duplicate.content.decode()
    edit = reverse("social-account-edit", args=[project.slug, account.pk])
    assert (
        client.post(
            edit,
            {
                "platform": "x",
                "handle": "mindefnorland",
                "claimant": "Norland MoD",
                "claimant_type": "acting_government",
            },
        ).status_code
        == 302
    )
    account.refresh_from_db()
    assert account.claimant == "Norland MoD"
    annotator = client.get(reverse("annotator", args=[project.slug, document.pk]))
    assert "registered as <strong>Norland MoD</strong>" in annotator.content.decode()
    assert client.post(edit, {"delete": "1"}).status_code == 302
    assert not SocialAccount.objects.exists()
    assert HistoryEntry.objects.filter(object_type="socialaccount").count() == 3


def test_registry_api(client, project, analyst, viewer):
    client.force_login(analyst)
    created = client.post(
        "/api/social-accounts/",
        {
            "project": project.slug,
            "platform": "telegram",
            "handle": "channel1987654321",
            "claimant": "Norland Navy",
            "claimant_type": "acting_government",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    listed = client.get(f"/api/social-accounts/?project={project.slug}")
    assert [a["handle"] for a in listed.json()["results"]] == ["channel1987654321"]
    patched = client.patch(
        f"/api/social-accounts/{pk}/",
        {"claimant_type": "other_government"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["claimant_type"] == (
        "other_government"
    )
    bad = client.patch(
        f"/api/social-accounts/{pk}/",
        {"claimant_type": "minister"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    client.force_login(viewer)
    assert client.get(f"/api/social-accounts/{pk}/").status_code == 200
    assert client.delete(f"/api/social-accounts/{pk}/").status_code == 403
    client.force_login(analyst)
    assert client.delete(f"/api/social-accounts/{pk}/").status_code == 204


def test_claimant_types_match_the_pipeline():
    from corpus.models import ClaimantType
    from corpus.nlp.validation import CLAIMANT_TYPES

    assert tuple(ClaimantType.values) == CLAIMANT_TYPES
