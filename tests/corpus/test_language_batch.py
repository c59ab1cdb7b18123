"""Detecting the language of a chunk at once gives what py3langid gives
text by text (issue 13 item 2: storing 1,000 records faster). Texts are
written for these tests."""

from __future__ import annotations

import random

import pytest
from py3langid.langid import visit_counts  # type: ignore[import-untyped]

from corpus import language

WORDS = [
    "the",
    "ministry",
    "said",
    "its",
    "forces",
    "acted",
    "in",
    "self-defence",
    "El",
    "Ministerio",
    "de",
    "Defensa",
    "afirmó",
    "que",
    "sus",
    "fuerzas",
    "Le",
    "ministère",
    "a",
    "affirmé",
    "légitime",
    "défense",
    "Міністерство",
    "заявило",
    "国防部",
    "表示",
    "SHOUTING",
    "12",
    "345",
    "<<>>",
    "ñandú",
    "Ünïcode",
]


def _texts(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.choice([2, 6, 30, 400])))
        texts.append(text.upper() if rng.random() < 0.1 else text)
    return [*texts, "", "12 345", "Short statement B0-1 about the strike."]


def test_walking_together_visits_what_py3langid_visits():
    identifier = language._get_identifier()
    data = [identifier._encode(t) for t in _texts(300)]
    walked = language._walk_together(identifier, data)
    for text, found in zip(data, walked, strict=True):
        expected = visit_counts(
            identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, text
        )
        if expected is None:
            assert found is None
            continue
        assert found is not None
        # Same features, same counts, in the same (first-visit) order.
        assert found[0].tolist() == list(expected.keys())
        assert found[1].tolist() == list(expected.values())


def test_a_chunk_gets_what_each_text_gets_alone_and_what_py3langid_says():
    identifier = language._get_identifier()
    texts = _texts(200)
    together = language.detect_languages(texts)
    for text, result in zip(texts, together, strict=True):
        assert language.detect_language(text) == result
        sample = text[: language.SAMPLE_CHARS]
        if not language._has_letters(sample[:2000], language.MIN_LETTERS):
            assert result == (language.DEFAULT_LANGUAGE, None)
            continue
        ranked = identifier.rank(sample)
        code, confidence = language._decided(ranked[0][0], ranked[0][1], dict(ranked))
        assert result[0] == code
        assert result[1] == pytest.approx(confidence, abs=0.0011)


@pytest.mark.parametrize(
    "text", ["", "a" * 19, "a" * 20, "1 2 3 " * 100 + "abc", "é" * 300 + "x", "x" * 256]
)
def test_has_letters_counts_as_a_loop_would(text):
    expected = sum(1 for ch in text if ch.isalpha()) >= language.MIN_LETTERS
    assert language._has_letters(text, language.MIN_LETTERS) == expected
