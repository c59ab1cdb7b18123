"""The span checks every importer shares (exchange/imports/spans.py): one
rule for BRAT, INCEpTION, doccano and the selector formats, each failure
naming the span."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from exchange.imports.common import ImportRefused
from exchange.imports.spans import (
    checked_span,
    read_selectors,
    refusing_file,
    tool_zip,
)
from exchange.units import Offsets

TEXT = "Ship 🚢 sank; 船沉了."


@pytest.mark.parametrize(
    ("unit", "start", "end", "quote", "expected"),
    [
        ("codepoint", 5, 6, "🚢", (5, 6)),
        ("utf16", 5, 7, "🚢", (5, 6)),
        ("utf16", 14, 17, "船沉了", (13, 16)),
        ("codepoint", 0, 4, None, (0, 4)),
    ],
)
def test_checked_span_converts_and_matches_the_quote(unit, start, end, quote, expected):
    offsets = Offsets(TEXT, unit)
    assert checked_span(offsets, start, end, where="T1", quote=quote) == expected


@pytest.mark.parametrize(
    ("unit", "start", "end", "quote", "message"),
    [
        ("codepoint", "5", 6, None, r"T1: bad offsets \(offsets must be integers"),
        ("codepoint", 6, 5, None, "T1: bad offsets .*empty or reversed"),
        ("codepoint", 3, 3, None, "T1: bad offsets .*empty or reversed"),
        ("codepoint", 0, 999, None, "T1: bad offsets .*outside"),
        ("utf16", 6, 7, None, "T1: bad offsets"),  # inside the surrogate pair
        ("codepoint", 0, 4, "Boat", "T1: the text at 0-4 is 'Ship', not the tool's"),
    ],
)
def test_checked_span_names_the_span_it_refuses(unit, start, end, quote, message):
    with pytest.raises(ValueError, match=message):
        checked_span(Offsets(TEXT, unit), start, end, where="T1", quote=quote)


def test_a_custom_comparison_reads_line_breaks_as_spaces():
    offsets = Offsets("one\ntwo", "codepoint")
    same = lambda a, b: a.replace("\n", " ") == b.replace("\n", " ")  # noqa: E731
    assert checked_span(offsets, 0, 7, where="T1", quote="one two", same=same)


def test_read_selectors_and_refusals():
    quote, position = read_selectors(
        [
            {"type": "FragmentSelector", "value": "x"},
            {"type": "TextQuoteSelector", "exact": "sank"},
            {"type": "TextPositionSelector", "start": 8, "end": 12},
        ]
    )
    assert quote["exact"] == "sank" and position["start"] == 8
    assert read_selectors({"type": "TextPositionSelector", "start": 1}) == (
        {},
        {"type": "TextPositionSelector", "start": 1},
    )
    with pytest.raises(ValueError, match="no 'exact' string"):
        read_selectors([{"type": "TextQuoteSelector", "exact": ""}])


def test_tool_zip_and_refusing_file(settings):
    with pytest.raises(ImportRefused, match=r"not a zip file.*; a hint"):
        tool_zip(io.BytesIO(b"nope"), name="in.zip", hint="; a hint")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as zf:
        zf.writestr("a.txt", "x" * 2000)
    settings.GLOSSA_MAX_ARCHIVE_BYTES = 1000
    with pytest.raises(ImportRefused, match="expands to more than 1000 bytes"):
        tool_zip(io.BytesIO(data.getvalue()), name="in.zip")
    refused = pytest.raises(
        ImportRefused, match=re.escape("in.zip, T1: bad. Nothing was imported.")
    )
    with refused, refusing_file("in.zip"):
        raise ValueError("T1: bad")
