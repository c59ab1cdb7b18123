"""A translation note per quoted mention (issue 16): set on the claim's page,
recorded in history, shown under its own quote in the brief (HTML and PDF),
ahead of the claim's note, and carried by the project archive."""

from __future__ import annotations

import io
from typing import cast

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from audit.models import HistoryEntry
from corpus.models import Document
from exchange.imports.archive import import_archive
from legal.models import Claim, ClaimMention
from legal.models.claims import TRANSLATION_NOTE_MAX
from legal.reports import brief_html, brief_pdf
from legal.services.claims import (
    claim_create,
    claim_link_mention,
    claim_mention_translate,
    claim_update,
)
from projects.errors import ApplicationError
from tests.exchange.test_archive import export_bytes
from tests.factories import DocumentFactory, make_annotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Written for these tests: a navy's statement in Spanish.
PARTE = (
    "La Armada informó que la patrulla interceptó una lancha al amanecer. "
    "Según el parte, dos náufragos fueron rescatados con vida."
)
QUOTE_1 = "la patrulla interceptó una lancha al amanecer"
QUOTE_2 = "dos náufragos fueron rescatados con vida"
NOTE_1 = "the patrol intercepted a boat at dawn"
NOTE_2 = "two castaways were rescued alive"


@pytest.fixture
def claim(project, analyst) -> Claim:
    document = cast(
        Document,
        DocumentFactory(
            project=project, title="Parte de la Armada", text=PARTE, language="es"
        ),
    )
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="A boat was intercepted and two people rescued",
        claimant="Armada",
        claimant_type="acting_government",
        annotation=make_annotation(document, analyst, QUOTE_1),
    )
    claim_link_mention(
        claim=claim,
        annotation=make_annotation(document, analyst, QUOTE_2),
        user=analyst,
    )
    return claim


def mention(claim: Claim, quote: str) -> ClaimMention:
    return ClaimMention.objects.get(claim=claim, annotation__quote=quote)


def quotes_with_notes(html: str) -> dict[str, list[str]]:
    root = lxml.html.fromstring(html)
    return {
        block.xpath("./span[@lang]")[0].text: [
            n.text_content().strip()
            for n in block.xpath(
                ".//*[@class='translation' or @class='no-translation']"
            )
        ]
        for block in root.xpath("//article[@class='claim']//blockquote")
    }


def test_note_per_quote_is_recorded_in_history(claim, analyst, reviewer):
    first = mention(claim, QUOTE_1)
    claim_mention_translate(
        claim=claim,
        annotation=first.annotation,
        user=analyst,
        translation_note=f"  {NOTE_1}  ",
    )
    first.refresh_from_db()
    assert first.translation_note == NOTE_1
    assert mention(claim, QUOTE_2).translation_note == ""
    entry = HistoryEntry.objects.filter(
        object_type="claimmention", object_id=first.pk, action="update"
    ).get()
    assert entry.actor == analyst
    assert entry.before is not None and entry.after is not None
    assert (entry.before["translation_note"], entry.after["translation_note"]) == (
        "",
        NOTE_1,
    )
    # The same note again writes nothing; clearing it is one more entry.
    claim_mention_translate(
        claim=claim, annotation=first.annotation, user=reviewer, translation_note=NOTE_1
    )
    claim_mention_translate(
        claim=claim, annotation=first.annotation, user=reviewer, translation_note=""
    )
    entries = HistoryEntry.objects.filter(
        object_type="claimmention", object_id=first.pk, action="update"
    ).order_by("pk")
    assert [(e.actor, (e.after or {})["translation_note"]) for e in entries] == [
        (analyst, NOTE_1),
        (reviewer, ""),
    ]
    with pytest.raises(ValidationError):
        claim_mention_translate(
            claim=claim,
            annotation=first.annotation,
            user=analyst,
            translation_note="x" * (TRANSLATION_NOTE_MAX + 1),
        )


def test_only_a_linked_quote_takes_a_note(project, claim, analyst):
    other = make_annotation(
        cast(Document, DocumentFactory(project=project, text="Otra cosa dicha.")),
        analyst,
        "Otra cosa",
    )
    with pytest.raises(ApplicationError, match="not linked"):
        claim_mention_translate(
            claim=claim, annotation=other, user=analyst, translation_note="x"
        )


def test_claim_page_edits_the_note_of_one_quote(
    client, project, claim, analyst, viewer
):
    url = f"/p/{project.slug}/claims/{claim.pk}/"
    first = mention(claim, QUOTE_1)
    client.force_login(viewer)
    denied = client.post(
        f"{url}translate/",
        {"annotation": first.annotation_id, "translation_note": "no"},
    )
    assert denied.status_code == 403
    client.force_login(analyst)
    page = lxml.html.fromstring(client.get(url).text)
    assert len(page.xpath("//form[contains(@action, '/translate/')]")) == 2
    saved = client.post(
        f"{url}translate/",
        {"annotation": first.annotation_id, "translation_note": NOTE_1},
        follow=True,
    )
    assert "Translation note saved." in saved.text
    shown = lxml.html.fromstring(saved.text)
    (note,) = shown.xpath(f"//*[@data-translation-of='{first.annotation_id}']")
    assert NOTE_1 in note.text_content()
    assert mention(claim, QUOTE_1).translation_note == NOTE_1


def test_brief_shows_each_note_under_its_own_quote(project, claim, analyst):
    claim_update(
        claim=claim,
        user=analyst,
        expected_version=1,
        translation_note="a boat was stopped; people were rescued",
    )
    claim_mention_translate(
        claim=claim,
        annotation=mention(claim, QUOTE_2).annotation,
        user=analyst,
        translation_note=NOTE_2,
    )
    # The quote's own note first; the claim's note for a quote with none.
    assert quotes_with_notes(brief_html(project=project, user=analyst)) == {
        QUOTE_1: ["Translation (analyst's): a boat was stopped; people were rescued"],
        QUOTE_2: [f"Translation (analyst's): {NOTE_2}"],
    }
    claim_update(claim=claim, user=analyst, expected_version=2, translation_note="")
    assert quotes_with_notes(brief_html(project=project, user=analyst)) == {
        QUOTE_1: ["(original in Spanish; no translation given)"],
        QUOTE_2: [f"Translation (analyst's): {NOTE_2}"],
    }


def test_pdf_brief_carries_the_note_of_each_quote(project, claim, analyst):
    for quote, note in ((QUOTE_1, NOTE_1), (QUOTE_2, NOTE_2)):
        claim_mention_translate(
            claim=claim,
            annotation=mention(claim, quote).annotation,
            user=analyst,
            translation_note=note,
        )
    reader = PdfReader(io.BytesIO(brief_pdf(project=project, user=analyst)))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for quote, note in ((QUOTE_1, NOTE_1), (QUOTE_2, NOTE_2)):
        assert quote in text
        assert f"Translation (analyst's): {note}" in text
        # Under its own quote: after the quote, before the next one.
        assert text.index(quote) < text.index(f"Translation (analyst's): {note}")
    assert text.index(NOTE_1) < text.index(QUOTE_2)
    assert "no translation given" not in text


def test_archive_carries_the_notes_and_their_history(
    project, claim, analyst, media_root
):
    claim_mention_translate(
        claim=claim,
        annotation=mention(claim, QUOTE_2).annotation,
        user=analyst,
        translation_note=NOTE_2,
    )
    copy = import_archive(io.BytesIO(export_bytes(project)), as_slug="copy").project
    copied = Claim.objects.get(project=copy)
    assert dict(
        ClaimMention.objects.filter(claim=copied).values_list(
            "annotation__quote", "translation_note"
        )
    ) == {QUOTE_1: "", QUOTE_2: NOTE_2}
    moved = ClaimMention.objects.get(claim=copied, annotation__quote=QUOTE_2)
    entry = HistoryEntry.objects.get(
        project=copy, object_type="claimmention", object_id=moved.pk, action="update"
    )
    assert entry.after is not None and entry.after["translation_note"] == NOTE_2
    assert quotes_with_notes(brief_html(project=copy, user=analyst))[QUOTE_2] == [
        f"Translation (analyst's): {NOTE_2}"
    ]
