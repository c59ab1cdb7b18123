"""Every script in the PDF brief: Arabic, CJK and emoji quotes are drawn
with real glyphs from embedded Noto fonts (no .notdef), a character no font
has is a warning in the log, and the PDF is tagged PDF/A-3b with title,
author and creation date. The fonts are Debian's (make install, .ci/run)."""

from __future__ import annotations

import io
import logging
from typing import Any, cast
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from corpus.models import Document
from legal.brief_fonts import missing_fonts, missing_glyphs
from legal.reports import brief_pdf
from legal.services.claims import claim_create
from tests.factories import DocumentFactory, make_annotation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Our own sentences (fictional), one per script.
ARABIC = "قال المتحدث إن القارب غرق قرب الميناء"
CHINESE = "发言人说，渔船在港口附近沉没。"  # noqa: RUF001 - a Chinese comma
JAPANESE = "報道官は、漁船が港の近くで沈んだと述べた。"
EMOJI = "Survivors posted 🚢🌊 and 👍🏽 from the shore"
PDFA_ID = "http://www.aiim.org/pdfa/ns/id/"
TEXT = f"Report.\n{ARABIC}\n{CHINESE}\n{JAPANESE}\n{EMOJI}\n"


@pytest.fixture
def scripts_brief(project, analyst):
    analyst.first_name, analyst.last_name = "Nadia", "Reyes"
    analyst.save()
    document = cast(
        Document,
        DocumentFactory(project=project, title="Multilingual report", text=TEXT),
    )
    for quote in (ARABIC, CHINESE, JAPANESE, EMOJI):
        claim_create(
            project=project,
            user=analyst,
            proposition=f"Claim quoting {quote[:6]}",
            claimant="Port authority",
            claimant_type="acting_government",
            evidence_status="not_provided",
            annotation=make_annotation(document, analyst, quote),
        )
    return document


def _fonts(page: Any) -> dict[str, DictionaryObject]:
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    fonts = cast(DictionaryObject, resources["/Font"].get_object())
    return {str(n): cast(DictionaryObject, f.get_object()) for n, f in fonts.items()}


def _family(base_font: object) -> str:
    """``/ABCDEF+Noto-Serif-CJK-SC-Oblique`` -> ``Noto-Serif-CJK-SC``."""
    name = str(base_font).split("+", 1)[-1]
    for style in ("-Bold", "-Oblique", "-Italic"):
        name = name.removesuffix(style)
    return name


def _glyphs_by_font(data: bytes) -> dict[str, list[int]]:
    """Glyph ids drawn with each font (WeasyPrint writes Identity-H text:
    two bytes per glyph id; glyph 0 is .notdef, the blank box)."""
    reader = PdfReader(io.BytesIO(data))
    drawn: dict[str, list[int]] = {}
    for page in reader.pages:
        fonts = _fonts(page)
        current = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = fonts[operands[0]]
            elif operator in (b"Tj", b"TJ") and current is not None:
                if current.get("/Encoding") != "/Identity-H":
                    continue
                items = operands[0] if operator == b"TJ" else [operands[0]]
                name = _family(current["/BaseFont"])
                for item in items:
                    raw = getattr(item, "original_bytes", None)
                    if raw is None:
                        continue  # a kerning number
                    drawn.setdefault(name, []).extend(
                        raw[i] * 256 + raw[i + 1] for i in range(0, len(raw) - 1, 2)
                    )
    return drawn


def test_fonts_for_every_script_are_installed():
    assert missing_fonts() == [], "make install / .ci/run install the Noto fonts"


def test_arabic_cjk_and_emoji_quotes_are_drawn_with_embedded_glyphs(
    project, analyst, scripts_brief, caplog
):
    with caplog.at_level(logging.WARNING, logger="legal.brief_fonts"):
        data = brief_pdf(project=project, user=analyst)
    assert not [r for r in caplog.records if r.name == "legal.brief_fonts"]
    reader = PdfReader(io.BytesIO(data))
    embedded = {
        _family(font["/BaseFont"])
        for page in reader.pages
        for font in _fonts(page).values()
    }
    assert {
        "Noto-Serif",
        "Noto-Naskh-Arabic",
        "Noto-Serif-CJK-SC",
        "Noto-Color-Emoji",
    } <= embedded
    drawn = _glyphs_by_font(data)
    assert drawn["Noto-Naskh-Arabic"] and drawn["Noto-Serif-CJK-SC"]
    for font, glyphs in drawn.items():
        assert 0 not in glyphs, f"{font} drew .notdef (a blank box)"
    text = " ".join(page.extract_text() for page in reader.pages)
    for quote in (CHINESE, JAPANESE, EMOJI):
        assert quote in text
    # Arabic is extracted in visual order, word by word.
    assert all(word in text for word in ("المتحدث", "الميناء"))


def test_pdf_is_tagged_pdf_a_3b_with_title_author_and_date(
    project, analyst, scripts_brief
):
    reader = PdfReader(io.BytesIO(brief_pdf(project=project, user=analyst)))
    info = reader.metadata
    assert info is not None
    assert info.title == f"Evidence brief: {project.name}"
    assert info.author == "Nadia Reyes"
    assert info.creation_date is not None
    root: Any = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged
    assert "/StructTreeRoot" in root
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    # WeasyPrint's own XMP, not untrusted input.
    xmp = ElementTree.fromstring(root["/Metadata"].get_object().get_data())  # noqa: S314
    pdfa = {
        key.split("}")[1]: value
        for element in xmp.iter()
        for key, value in element.attrib.items()
        if key.startswith(f"{{{PDFA_ID}}}")
    }
    assert pdfa == {"part": "3", "conformance": "B"}


def test_a_character_no_font_has_is_a_warning_in_the_log(project, analyst, caplog):
    document = cast(
        Document,
        DocumentFactory(
            project=project, title="Private use", text="Marker \ue000 here."
        ),
    )
    claim_create(
        project=project,
        user=analyst,
        proposition="A claim with a private-use character",
        claimant="Someone",
        claimant_type="acting_government",
        evidence_status="not_provided",
        annotation=make_annotation(document, analyst, "Marker \ue000 here."),
    )
    assert missing_glyphs(f"<p>{ARABIC} {CHINESE} {EMOJI} \ue000</p>") == ["\ue000"]
    with caplog.at_level(logging.WARNING, logger="legal.brief_fonts"):
        assert brief_pdf(project=project, user=analyst).startswith(b"%PDF")
    messages = [r.getMessage() for r in caplog.records if r.name == "legal.brief_fonts"]
    assert any("U+E000" in m for m in messages), messages
