"""Offsets in each tool's unit, converted to and from Glossa's code points.

Glossa counts offsets in Unicode code points (Python ``str`` indices).
Other tools count differently, and reading their numbers as code points
puts every span after an emoji on the wrong text:

* ``utf16`` — UTF-16 code units, what JavaScript's string indices count:
  doccano by default, Hypothesis, Label Studio before it counted code
  points. A character outside the Basic Multilingual Plane (most emoji,
  rare CJK) is two units.
* ``grapheme`` — extended grapheme clusters (Unicode UAX #29), what
  doccano counts in its "grapheme mode": 👍🏽 or é written as e + U+0301
  is one.
* ``codepoint`` — code points: Label Studio (current versions), Prodigy,
  BRAT, INCEpTION's CAS, Glossa itself.

``Offsets`` builds the tables for one text once, so converting every span
of a long document stays linear. A foreign offset that falls inside a
character (half of a surrogate pair) has no code-point equivalent and
raises ``ValueError``, which the importers report naming the span.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Literal

import regex  # type: ignore[import-untyped]

Unit = Literal["codepoint", "utf16", "grapheme"]
UNITS: tuple[Unit, ...] = ("codepoint", "utf16", "grapheme")
GRAPHEME = regex.compile(r"\X")


class Offsets:
    """Conversions between code points and one unit for one text."""

    def __init__(self, text: str, unit: Unit) -> None:
        if unit not in UNITS:
            raise ValueError(f"unknown offset unit {unit!r}")
        self.text = text
        self.unit = unit
        # boundaries[i] = code-point offset of the i-th boundary in ``unit``;
        # foreign[i] = the same boundary counted in ``unit``. Kept only for
        # the units where the two differ.
        self._points: list[int] = []
        self._foreign: list[int] = []
        if unit == "utf16":
            self._build_utf16()
        elif unit == "grapheme":
            self._points = [m.start() for m in GRAPHEME.finditer(text)] + [len(text)]

    def _build_utf16(self) -> None:
        if all(ord(ch) < 0x10000 for ch in self.text):
            return  # every code point is one unit: the identity
        points, foreign, units = [], [], 0
        for index, ch in enumerate(self.text):
            points.append(index)
            foreign.append(units)
            units += 2 if ord(ch) >= 0x10000 else 1
        points.append(len(self.text))
        foreign.append(units)
        self._points, self._foreign = points, foreign

    @property
    def length(self) -> int:
        """The text's length in this unit."""
        if self.unit == "grapheme":
            return len(self._points) - 1
        if self._foreign:
            return self._foreign[-1]
        return len(self.text)

    def to_codepoints(self, offset: int) -> int:
        """A foreign offset as a code point; ``ValueError`` if it has none."""
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise ValueError(f"offsets must be integers, got {offset!r}")
        if not 0 <= offset <= self.length:
            raise ValueError(
                f"offset {offset} is outside the text (0-{self.length} {self.unit})"
            )
        if self.unit == "grapheme":
            return self._points[offset]
        if not self._foreign:
            return offset
        index = bisect_left(self._foreign, offset)
        if self._foreign[index] != offset:
            raise ValueError(
                f"UTF-16 offset {offset} falls inside the character "
                f"{self.text[index - 1]!r} (a surrogate pair)"
            )
        return self._points[index]

    def from_codepoints(self, offset: int) -> int:
        """A code-point offset in this unit; ``ValueError`` if it splits a
        grapheme cluster (a grapheme-mode tool cannot represent it)."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text")
        if self.unit == "grapheme":
            index = bisect_left(self._points, offset)
            if self._points[index] != offset:
                raise ValueError(
                    f"offset {offset} splits the grapheme cluster "
                    f"{self.text[self._points[index - 1] : self._points[index]]!r}"
                )
            return index
        if not self._foreign:
            return offset
        return self._foreign[offset]

    def span_to_codepoints(self, start: object, end: object) -> tuple[int, int]:
        """A foreign ``(start, end)`` as code points, checked non-empty."""
        s = self.to_codepoints(start)  # type: ignore[arg-type]
        e = self.to_codepoints(end)  # type: ignore[arg-type]
        if not s < e:
            raise ValueError(f"the span {start}-{end} is empty or reversed")
        return s, e


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (JavaScript's ``length``)."""
    return len(text) + sum(1 for ch in text if ord(ch) >= 0x10000)
