"""Token offsets of a text, for exports that carry tokens (Prodigy).

A blank pipeline of the document's language: exports need the tokens a
tool's spaCy would make, not a parse, and a blank tokenizer needs no model.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=16)
def _blank(lang: str):
    import spacy

    try:
        return spacy.blank(lang or "xx")
    except (ImportError, KeyError, ValueError):
        return spacy.blank("xx")  # a language spaCy has no tokenizer for


def token_offsets(text: str, lang: str = "en") -> list[tuple[int, int, bool]]:
    """``(start, end, followed_by_space)`` per token, in code points."""
    doc = _blank(lang).make_doc(text)
    return [(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc]
