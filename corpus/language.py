"""A document's language, detected at ingestion with py3langid.

Analysis picks its pipeline by ``Document.language``, so a Spanish text
stored as English would be analysed by the English model and come back
empty-handed without a word. Ingestion therefore detects the language of
every document whose caller did not give one, and stores the detector's
confidence in the stored language (``Document.language_confidence``) so that
the page can show how sure it is and an analyst can correct it.

py3langid (a maintained fork of langid.py) was chosen over lingua: its wheel
is under 5 MB against lingua's >100 MB of models, it loads in about two
seconds and classifies a page in well under a millisecond, and it needs only
numpy, which Glossa already has. Its model covers 97 languages; short
texts get low confidences, which is why a language is only changed from the
default when the detector is sure.
"""

from __future__ import annotations

import threading
from typing import Any

DEFAULT_LANGUAGE = "en"
# The detector reads at most this much text (the start of a document says
# its language; the cost stays flat for a 25 MB text).
SAMPLE_CHARS = 20_000
# Fewer letters than this say too little to detect anything.
MIN_LETTERS = 20
# Below this confidence the default language is kept (with its own, low,
# confidence shown so that an analyst sees the doubt).
MIN_CONFIDENCE = 0.7

_lock = threading.Lock()
_identifier: Any = None


def _get_identifier() -> Any:
    """The py3langid identifier, loaded once per process on first use."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import (  # type: ignore[import-untyped]
                    MODEL_FILE,
                    LanguageIdentifier,
                )

                _identifier = LanguageIdentifier.from_model_file(
                    MODEL_FILE, norm_probs=True
                )
    return _identifier


def detect_language(text: str) -> tuple[str, float | None]:
    """``(code, confidence)`` for ``text``: the detected ISO 639-1 code when
    the detector is at least ``MIN_CONFIDENCE`` sure, else the default
    language with the detector's (low) probability of it; ``None`` as
    confidence when the text is too short to say anything."""
    sample = (text or "")[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample[:2000]) < MIN_LETTERS:
        return DEFAULT_LANGUAGE, None
    ranked = _get_identifier().rank(sample)
    code, probability = ranked[0]
    if probability >= MIN_CONFIDENCE:
        return str(code), round(float(probability), 3)
    default = next((p for c, p in ranked if c == DEFAULT_LANGUAGE), 0.0)
    return DEFAULT_LANGUAGE, round(float(default), 3)


def with_detected_language(fields: dict[str, Any], text: str) -> dict[str, Any]:
    """``fields`` with ``language`` and ``language_confidence`` set from the
    text when the caller gave no language; a given language is kept, with no
    confidence (a person or the source said so)."""
    if "language_confidence" in fields:
        return fields  # decided already (a store that falls back to one by one)
    if str(fields.get("language") or "").strip():
        return {**fields, "language_confidence": None}
    code, confidence = detect_language(text)
    return {**fields, "language": code, "language_confidence": confidence}


def language_notice(lang: str | None) -> str:
    """The notice a document of ``lang`` shows when no pipeline analyses
    it ("" when one does): never an empty analysis that reads as "nothing
    found"."""
    from corpus.nlp import (
        has_pipeline,
        no_analysis_message,
        normalise_lang,
        supported_languages,
    )

    if has_pipeline(lang):
        return ""
    return (
        f"{no_analysis_message(normalise_lang(lang)).capitalize()}: Glossa analyses "
        f"{', '.join(supported_languages())}. No suggestions are made for this "
        "document; if its language is wrong, correct it in the metadata."
    )
