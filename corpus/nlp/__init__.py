"""The one boundary between Django and spaCy.

Only this package imports spaCy. ``get_nlp()`` loads the pipeline once per
process (lazily, never at import time); ``doc_to_data`` turns a parsed
``Doc`` into the plain JSON stored in ``DocumentAnalysis.data``. All offsets
are Unicode code points into the analysed text, end-exclusive, which is how
both Python and spaCy count.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

PIPELINE_NAME = "glossa-en"
PIPELINE_VERSION = "1"

_lock = threading.Lock()
_nlp = None


def get_nlp():
    """The process-wide pipeline, built on first use from settings."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = build_pipeline(settings.GLOSSA_SPACY_MODEL)
    return _nlp


def build_pipeline(model: str):
    """Load the English model by package name (never downloads)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed. Install the pinned "
            "requirements (make install) or set GLOSSA_SPACY_MODEL to an "
            "installed pipeline package."
        ) from exc


def doc_to_data(doc) -> dict[str, Any]:
    """Plain-JSON view of a parsed document."""
    return {
        "sentences": [
            {"start": sent.start_char, "end": sent.end_char} for sent in doc.sents
        ],
        "tokens": [
            {"start": tok.idx, "end": tok.idx + len(tok.text)}
            for tok in doc
            if not tok.is_space
        ],
        "entities": [
            {"start": ent.start_char, "end": ent.end_char, "label": ent.label_}
            for ent in doc.ents
        ],
    }


def analyse_texts(texts, *, batch_size: int | None = None):
    """Yield ``doc_to_data`` for each text, parsing in batches with nlp.pipe."""
    nlp = get_nlp()
    size = batch_size or settings.GLOSSA_SPACY_BATCH_SIZE
    for doc in nlp.pipe(texts, batch_size=size):
        yield doc_to_data(doc)
