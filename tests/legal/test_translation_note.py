"""Briefs quote in the original language with an optional translation note
per claim (issue 16): the field's history, the API and page edits, and the
brief's ``lang`` marks, note and no-translation notice."""

from __future__ import annotations

import io
from typing import cast

import lxml.html
import pytest
from pypdf import PdfReader

from audit.models import HistoryEntry
from audit.selectors import history_for
from corpus.models import Document
from legal.models import Claim
from legal.models.claims import TRANSLATION_NOTE_MAX
from legal.reports import brief_html, brief_pdf
from legal.services.claims import claim_create, claim_link_mention, claim_update
from tests.factories import DocumentFactory, make_annotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Written for these tests: a ministry's statement in Spanish.
COMUNICADO = (
    "El Ministerio de Defensa afirmó el martes que las fuerzas atacaron una "
    "lancha en aguas internacionales y que murieron tres personas. Según el "
    "comunicado, la embarcación transportaba droga."
)
QUOTE_ES = "las fuerzas atacaron una lancha en aguas internacionales"
TRANSLATION = "forces struck a boat in international waters"


@pytest.fixture
def spanish_quote(project, analyst):
    document = cast(
        Document,
        DocumentFactory(
            project=project,
            title="Comunicado del Ministerio",
            text=COMUNICADO,
            language="es",
        ),
    )
    return make_annotation(document, analyst, QUOTE_ES, tags=["official_claim"])


@pytest.fixture
def spanish_claim(project, analyst, spanish_quote) -> Claim:
    return claim_create(
        project=project,
        user=analyst,
        proposition="Forces struck a boat in international waters",
        claimant="Ministerio de Defensa",
        claimant_type="acting_government",
        annotation=spanish_quote,
    )


def _blockquotes(html: str) -> list[lxml.html.HtmlElement]:
    return lxml.html.fromstring(html).xpath("//article[@class='claim']//blockquote")


def _quote_span(block: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    spans = block.xpath("./span[@lang]")
    assert len(spans) == 1
    return spans[0]


def test_translation_note_is_stored_and_every_change_is_in_history(
    project, analyst, reviewer, spanish_quote
):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="A boat was struck",
        translation_note=f"  {TRANSLATION}  ",
        annotation=spanish_quote,
    )
    assert claim.translation_note == TRANSLATION
    created = history_for(claim).get(action="create")
    assert created.after is not None
    assert created.after["translation_note"] == TRANSLATION

    claim_update(
        claim=claim,
        user=reviewer,
        expected_version=1,
        translation_note="forces attacked a launch in international waters",
    )
    entry = history_for(claim).last()
    assert entry is not None and entry.action == "update"
    assert entry.actor == reviewer
    assert entry.before is not None and entry.after is not None
    assert entry.before["translation_note"] == TRANSLATION
    assert entry.after["translation_note"] == (
        "forces attacked a launch in international waters"
    )
    assert entry.after["version"] == 2

    claim_update(claim=claim, user=analyst, expected_version=2, translation_note="")
    claim.refresh_from_db()
    assert (claim.translation_note, claim.version) == ("", 3)
    assert history_for(claim).count() == 3


def test_api_patch_sets_the_translation_note_with_history(
    api, analyst, viewer, outsider, spanish_claim
):
    url = f"/api/claims/{spanish_claim.pk}/"
    api.force_authenticate(analyst)
    assert api.get(url).json()["translation_note"] == ""
    ok = api.patch(url, {"version": 1, "translation_note": TRANSLATION}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["translation_note"] == TRANSLATION
    assert ok.json()["version"] == 2
    entry = HistoryEntry.objects.filter(
        object_type="claim", object_id=spanish_claim.pk, action="update"
    ).get()
    assert entry.actor == analyst
    assert entry.after is not None
    assert entry.after["translation_note"] == TRANSLATION

    too_long = api.patch(
        url,
        {"version": 2, "translation_note": "x" * (TRANSLATION_NOTE_MAX + 1)},
        format="json",
    )
    assert too_long.status_code == 400
    assert "translation_note" in too_long.json()["extra"]["fields"]
    not_text = api.patch(
        url, {"version": 2, "translation_note": {"$gt": ""}}, format="json"
    )
    assert not_text.status_code == 400

    api.force_authenticate(viewer)
    denied = api.patch(url, {"version": 2, "translation_note": "no"}, format="json")
    assert denied.status_code == 403
    api.force_authenticate(outsider)
    hidden = api.patch(url, {"version": 2, "translation_note": "no"}, format="json")
    assert hidden.status_code == 404

    spanish_claim.refresh_from_db()
    assert (spanish_claim.translation_note, spanish_claim.version) == (TRANSLATION, 2)
    assert (
        HistoryEntry.objects.filter(
            object_type="claim", object_id=spanish_claim.pk
        ).count()
        == 2
    )


def test_claim_page_marks_the_quote_language_and_edits_the_note(
    client, project, analyst, spanish_claim
):
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/claims/{spanish_claim.pk}/")
    root = lxml.html.fromstring(page.text)
    assert [s.text for s in root.xpath("//blockquote/span[@lang='es']")] == [QUOTE_ES]
    assert root.xpath("//textarea[@name='translation_note']")
    client.post(
        f"/p/{project.slug}/claims/{spanish_claim.pk}/edit/",
        {"version": 1, "translation_note": TRANSLATION},
    )
    spanish_claim.refresh_from_db()
    assert (spanish_claim.translation_note, spanish_claim.version) == (TRANSLATION, 2)
    shown = client.get(f"/p/{project.slug}/claims/{spanish_claim.pk}/")
    assert TRANSLATION in shown.text


def test_brief_says_when_a_foreign_quote_has_no_translation(
    project, analyst, spanish_claim, mentions
):
    # The same claim also reported in English: no notice beside that quote.
    claim_link_mention(claim=spanish_claim, annotation=mentions["wire"], user=analyst)
    html = brief_html(project=project, user=analyst)
    assert lxml.html.fromstring(html).get("lang") == "en"
    by_lang = {_quote_span(b).get("lang"): b for b in _blockquotes(html)}
    assert set(by_lang) == {"es", "en"}
    spanish = by_lang["es"]
    assert _quote_span(spanish).text == QUOTE_ES
    notices = spanish.xpath(".//*[@class='no-translation']")
    assert [n.text_content() for n in notices] == [
        "(original in Spanish; no translation given)"
    ]
    assert not spanish.xpath(".//*[@class='translation']")
    english = by_lang["en"]
    assert _quote_span(english).text == mentions["wire"].quote
    assert not english.xpath(".//*[contains(@class, 'translation')]")
    assert "Translation (analyst's)" not in html


def test_brief_shows_the_note_beside_the_verbatim_quote(
    project, analyst, spanish_claim
):
    claim_update(
        claim=spanish_claim,
        user=analyst,
        expected_version=1,
        translation_note="<b>forces</b> struck a boat",
    )
    html = brief_html(project=project, user=analyst)
    (block,) = _blockquotes(html)
    assert _quote_span(block).get("lang") == "es"
    assert _quote_span(block).text == QUOTE_ES  # verbatim, not replaced
    (note,) = block.xpath(".//*[@class='translation']")
    # Autoescaped: a hostile note is text, never markup.
    assert note.text_content() == "Translation (analyst's): <b>forces</b> struck a boat"
    assert "no translation given" not in html


def test_brief_note_of_an_english_claim_follows_its_quotes(project, analyst, mentions):
    claim_create(
        project=project,
        user=analyst,
        proposition="14 people were killed",
        translation_note="Also reported in Spanish as catorce muertos.",
        annotation=mentions["wire"],
    )
    root = lxml.html.fromstring(brief_html(project=project, user=analyst))
    (block,) = root.xpath("//article[@class='claim']//blockquote")
    assert _quote_span(block).get("lang") == "en"
    notes = root.xpath("//article[@class='claim']/p[@class='translation']")
    assert [n.text_content() for n in notes] == [
        "Translation (analyst's): Also reported in Spanish as catorce muertos."
    ]
    assert not root.xpath("//*[@class='no-translation']")


def test_hostile_document_language_never_reaches_the_lang_attribute(project, analyst):
    document = cast(
        Document,
        DocumentFactory(
            project=project, text="Tres personas murieron.", language='es" onload="x'
        ),
    )
    quote = make_annotation(document, analyst, "Tres personas murieron.")
    claim_create(project=project, user=analyst, proposition="x", annotation=quote)
    html = brief_html(project=project, user=analyst)
    (block,) = _blockquotes(html)
    assert _quote_span(block).get("lang") == ""
    assert "onload" not in html
    # Not a language the brief can name: no claim that it is foreign.
    assert not block.xpath(".//*[contains(@class, 'translation')]")


def test_pdf_brief_carries_the_note_and_the_notice(
    project, analyst, spanish_claim, mentions
):
    other = claim_create(
        project=project,
        user=analyst,
        proposition="Three people died",
        annotation=make_annotation(
            spanish_claim.mentions.get().document, analyst, "murieron tres personas"
        ),
    )
    claim_update(
        claim=spanish_claim,
        user=analyst,
        expected_version=1,
        translation_note=TRANSLATION,
    )
    reader = PdfReader(io.BytesIO(brief_pdf(project=project, user=analyst)))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert QUOTE_ES in text
    assert f"Translation (analyst's): {TRANSLATION}" in text
    assert "(original in Spanish; no translation given)" in text
    assert other.translation_note == ""
