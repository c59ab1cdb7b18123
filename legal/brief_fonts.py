"""Fonts of the evidence brief, and the check that every character has one.

Quotes come in any script: the brief's CSS names a font per script (Noto
from Debian's fonts-noto-core, fonts-noto-cjk and fonts-noto-color-emoji,
which ``make install`` and ``.ci/run`` install), so Arabic, CJK and emoji
quotes print as text instead of blank boxes. A character none of them has
may still be drawn by another installed font (Pango falls back through
fontconfig), so fontconfig is asked about those; one that no installed font
has is logged as a warning, since the PDF would show a box where the
evidence has a character.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import unicodedata
from functools import lru_cache

logger = logging.getLogger(__name__)

# One family per script, Latin first; DejaVu covers what Noto Serif lacks.
FONT_FAMILIES = (
    "Noto Serif",
    "Noto Naskh Arabic",
    "Noto Serif CJK SC",
    "Noto Color Emoji",
    "DejaVu Serif",
)
MONO_FAMILIES = ("DejaVu Sans Mono", "Noto Sans Mono")
# At most this many characters outside the stack are looked up one by one.
MAX_FALLBACK_LOOKUPS = 200
_TAG = re.compile(r"<[^>]*>")
_STYLE = re.compile(r"<style\b.*?</style>", re.DOTALL | re.IGNORECASE)


def _drawn_without_glyph(char: str) -> bool:
    """Characters that shape text without a glyph of their own (joiners,
    bidi marks, variation selectors, spaces and controls)."""
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def _fc_list(*args: str) -> list[str]:
    program = shutil.which("fc-list")
    if program is None:
        return []
    result = subprocess.run(  # noqa: S603 - fixed program, no shell
        [program, *args], capture_output=True, text=True, timeout=20, check=False
    )
    return [line for line in result.stdout.splitlines() if line.strip()]


@lru_cache(maxsize=1)
def _stack_coverage() -> frozenset[int]:
    """Code points the brief's own fonts have (their cmaps, via fontTools)."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for family in FONT_FAMILIES + MONO_FAMILIES:
        for line in _fc_list(family, "--format", "%{file}|%{index}\n")[:1]:
            path, _, index = line.rpartition("|")
            try:
                font = TTFont(path, fontNumber=int(index or 0), lazy=True)
                covered.update(font.getBestCmap() or {})
            except Exception:  # an unreadable font covers nothing
                logger.warning("Brief fonts: cannot read %s", path)
    return frozenset(covered)


def missing_fonts() -> list[str]:
    """The brief's families fontconfig does not know (not installed)."""
    return [f for f in FONT_FAMILIES if not _fc_list(f, "--format", "%{file}\n")]


def missing_glyphs(markup: str) -> list[str]:
    """Characters of ``markup``'s text that no installed font can draw."""
    text = html.unescape(_TAG.sub(" ", _STYLE.sub(" ", markup)))
    chars = sorted({c for c in text if not _drawn_without_glyph(c)})
    covered = _stack_coverage()
    outside = [c for c in chars if ord(c) not in covered]
    if not shutil.which("fc-list"):
        return outside
    missing = []
    for char in outside[:MAX_FALLBACK_LOOKUPS]:
        if not _fc_list(f":charset={ord(char):x}", "--format", "%{file}\n"):
            missing.append(char)
    return missing + outside[MAX_FALLBACK_LOOKUPS:]


def warn_missing_glyphs(markup: str, *, what: str) -> list[str]:
    """Log (warning) the characters ``what`` will print as boxes; returns them."""
    absent = missing_fonts()
    if absent:
        logger.warning(
            "%s: fonts not installed: %s (apt-get install fonts-noto-core "
            "fonts-noto-cjk fonts-noto-color-emoji; make install does it)",
            what,
            ", ".join(absent),
        )
    missing = missing_glyphs(markup)
    if missing:
        logger.warning(
            "%s: no installed font has %d character(s), shown as boxes: %s",
            what,
            len(missing),
            " ".join(f"U+{ord(c):04X}" for c in missing[:50]),
        )
    return missing
