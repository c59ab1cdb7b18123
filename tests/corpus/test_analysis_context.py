"""Each document is analysed with its context, the result keeps its
provenance, and an analyst can set the source that gives the voice.

Real PostgreSQL and the real spaCy pipeline; Celery runs eagerly (no broker),
so the re-analysis queued on commit runs in the test.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import HistoryEntry
from corpus.analysis import analyse_documents, document_context
from corpus.models import Document, DocumentAnalysis, Source, SourceKind
from corpus.nlp import pipeline_info
from corpus.services import document_source_set
from projects.errors import ApplicationError
from projects.services import project_create
from tests.factories import (
    DocumentAnalysisFactory,
    DocumentFactory,
    SourceFactory,
    UserFactory,
)

TEXT = (
    "Statement on the raid\n\n"
    "Police shot dead two men in a raid on Friday. "
    "The authorities have provided no evidence that the men were armed."
)


@pytest.fixture
def release(project):
    project.acting_states = ["Veridia"]
    project.save(update_fields=["acting_states"])
    source = SourceFactory(project=project, name="Harbour Rights", kind=SourceKind.NGO)
    return DocumentFactory(
        project=project, source=source, text=TEXT, kind="statement", language="en"
    )


@pytest.mark.spacy
def test_analysis_gets_the_document_context_and_keeps_its_provenance(release):
    context = document_context(release)
    assert (context.source_kind, context.source_name) == ("ngo", "Harbour Rights")
    assert context.acting_states == ("Veridia",)
    assert context.lang == "en"
    assert analyse_documents([release.pk]) == 1
    analysis = DocumentAnalysis.objects.get(document=release)
    assert analysis.context == context.as_dict()
    assert analysis.context["source_name"] == "Harbour Rights"
    info = pipeline_info()
    assert analysis.provenance == info
    assert len(analysis.provenance["patterns_sha256"]) == 64
    # Up to date (same pipeline, same context): skipped.
    assert analyse_documents([release.pk]) == 0


@pytest.mark.spacy
def test_a_changed_context_is_reanalysed(release, project):
    analyse_documents([release.pk])
    project.acting_states = ["Veridia", "Ostland"]
    project.save(update_fields=["acting_states"])
    assert analyse_documents([release.pk]) == 1
    stored = DocumentAnalysis.objects.get(document=release).context
    assert stored["acting_states"] == ["Veridia", "Ostland"]
    assert analyse_documents([release.pk]) == 0


@pytest.mark.spacy
def test_setting_the_source_is_recorded_and_reanalyses(
    release, analyst, project, django_capture_on_commit_callbacks
):
    analyse_documents([release.pk])
    old = release.source
    with django_capture_on_commit_callbacks(execute=True):
        source = document_source_set(
            document=release,
            user=analyst,
            name="  Ministry   of Defence ",
            kind=SourceKind.GOVERNMENT,
        )
    assert source.name == "Ministry of Defence"
    release.refresh_from_db()
    assert release.source == source
    entries = HistoryEntry.objects.filter(project=project).order_by("pk")
    created = entries.get(object_type="source", action="create")
    assert (created.after or {})["name"] == "Ministry of Defence"
    update = entries.get(object_type="document", object_id=release.pk)
    assert update.actor == analyst
    assert update.before == {
        "source_id": old.pk,
        "source_name": "Harbour Rights",
        "source_kind": "ngo",
    }
    assert (update.after or {})["source_kind"] == "government"
    # The queued job re-analysed the document with its new source.
    analysis = DocumentAnalysis.objects.get(document=release)
    assert analysis.context["source_name"] == "Ministry of Defence"
    assert analysis.context["source_kind"] == "government"
    # Choosing the same source again changes nothing and records nothing.
    count = HistoryEntry.objects.count()
    document_source_set(document=release, user=analyst, source=source)
    assert HistoryEntry.objects.count() == count


@pytest.mark.django_db
def test_setting_the_source_refuses_bad_input(release, analyst, viewer, owner):
    with pytest.raises(ValidationError, match="name"):
        document_source_set(document=release, user=analyst, name=" ", kind="ngo")
    with pytest.raises(ValidationError, match="kind of source"):
        document_source_set(document=release, user=analyst, name="X", kind="blog")
    with pytest.raises(ApplicationError, match="already has a source called"):
        document_source_set(
            document=release, user=analyst, name="harbour rights", kind="outlet"
        )
    other = project_create(name="Another case", slug="another", created_by=owner)
    foreign = cast(Source, SourceFactory(project=other, name="Elsewhere"))
    with pytest.raises(ApplicationError, match="another project"):
        document_source_set(document=release, user=analyst, source=foreign)
    with pytest.raises(PermissionDenied):
        document_source_set(document=release, user=viewer, name="Y", kind="ngo")
    assert Source.objects.filter(project=release.project).count() == 1
    # The same name (any case) and kind is the existing source, not a new one.
    again = document_source_set(
        document=release, user=analyst, name="HARBOUR RIGHTS", kind="ngo"
    )
    assert again == release.source


def _analysis(document, voice):
    return DocumentAnalysisFactory(
        document=document,
        pipeline="glossa-en",
        pipeline_version="9",
        data={"sentences": [], "voice": voice},
        provenance={
            "pipeline": "glossa-en",
            "pipeline_version": "9",
            "model": "en_core_web_sm",
            "model_version": "3.8.0",
            "patterns_sha256": "ab" * 32,
        },
        context={
            "source_kind": "ngo",
            "source_name": "Harbour Rights",
            "acting_states": ["Veridia"],
            "lang": "en",
        },
    )


@pytest.mark.django_db
def test_document_page_shows_the_voice_and_provenance(client, release, analyst, viewer):
    _analysis(
        release,
        {
            "claimant": "Harbour Rights",
            "claimant_type": "rights_group",
            "source_kind": "ngo",
            "inferred": True,
            "evidence": "\u201cPress release\u201d in the first lines",
        },
    )
    url = reverse("annotator", args=[release.project.slug, release.pk])
    client.force_login(viewer)
    page = client.get(url).content.decode()
    assert "Harbour Rights</span>, a rights group" in page
    assert 'id="voice-inferred"' in page
    assert "\u201cPress release\u201d in the first lines" in page
    assert "en_core_web_sm 3.8.0" in page and "ab" * 32 in page
    assert "acting states Veridia" in page
    assert 'id="source-form"' not in page  # viewers cannot set it
    client.force_login(analyst)
    page = client.get(url).content.decode()
    assert 'id="source-form"' in page
    assert "Harbour Rights (NGO or rights group)" in page


@pytest.mark.django_db
def test_source_view_sets_the_source_for_analysts_only(
    client, release, analyst, viewer, django_capture_on_commit_callbacks
):
    url = reverse("document-source", args=[release.project.slug, release.pk])
    back = reverse("annotator", args=[release.project.slug, release.pk])
    client.force_login(viewer)
    assert client.post(url, {"name": "X", "kind": "ngo"}).status_code == 403
    client.force_login(UserFactory(username="stranger"))
    assert client.post(url, {"name": "X", "kind": "ngo"}).status_code == 404
    client.force_login(analyst)
    response = client.post(url, {"name": "", "kind": ""}, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "Choose a source, or give a new source&#x27;s name and kind." in (
        response.content.decode()
    )
    chosen = cast(
        Source,
        SourceFactory(project=release.project, name="Coast Guard", kind="military"),
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, {"source": chosen.pk}, follow=True)
    assert "The source is now Coast Guard (Military)" in response.content.decode()
    assert Document.objects.get(pk=release.pk).source == chosen
    assert len(queued) == 1  # the re-analysis, started once committed
