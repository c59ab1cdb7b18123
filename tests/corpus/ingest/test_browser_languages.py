"""A Spanish statement uploaded through the form gets Spanish suggestions; a
text in a language with no pipeline says so on its page, never "nothing
found". Both texts are fictional."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from corpus.models import AnalysisStatus, Document
from tests.browser_support import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.spacy,
    pytest.mark.django_db(transaction=True),
]

SPANISH = (
    "El Ministerio de Defensa de Norlandia aseguró el martes que sus fuerzas "
    "abatieron a 14 presuntos narcoterroristas en tres embarcaciones durante "
    "una operación en aguas internacionales.\n\n"
    "El comunicado no presentó pruebas de que las embarcaciones transportaran "
    "drogas. Expertos en derecho internacional calificaron los ataques de "
    "ejecuciones extrajudiciales y de una violación del derecho internacional.\n\n"
    "Según la Armada, dos sobrevivientes fueron rescatados del agua y "
    "trasladados a un buque cercano."
)

FRENCH = (
    "Le ministère de la Défense a affirmé mardi que ses forces avaient "
    "neutralisé quatorze personnes à bord de trois embarcations. Aucune "
    "preuve n'a été fournie, et plusieurs juristes jugent ces frappes "
    "contraires au droit international."
)


def upload(page, project, name: str, text: str) -> Document:
    page.goto(f"/p/{project.slug}/ingest/")
    page.set_input_files(
        "#id_upload-files",
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}],
    )
    page.click("text=Upload and ingest")
    page.wait_for_url("**/jobs/**")
    expect(page.locator("main")).to_contain_text("1 stored")
    return Document.objects.get(original_name=name)


def test_a_spanish_statement_gets_spanish_suggestions(page, project, analyst):
    project.acting_states = ["Norlandia"]
    project.save(update_fields=["acting_states"])
    login(page, "analyst")
    document = upload(page, project, "comunicado.txt", SPANISH)
    assert document.language == "es"
    assert document.language_confidence is not None

    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#doc-text")).to_have_attribute("lang", "es")
    expect(page.locator("#suggestions li").first).to_be_visible()
    document.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.DONE
    assert document.analysis.data["sentences"], "the Spanish pipeline parsed it"
    tags = set(document.suggestions.values_list("tag__key", flat=True))
    assert {"casualty_figure", "no_evidence_provided"} <= tags, tags
    assert page.locator("#language-notice").count() == 0


def test_a_language_without_a_pipeline_is_named_on_the_page(page, project, analyst):
    login(page, "analyst")
    document = upload(page, project, "communique.txt", FRENCH)
    assert document.language == "fr"
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#language-notice")).to_contain_text(
        "No analysis for language fr"
    )
    document.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.FAILED
    assert not document.suggestions.exists()
