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
_labels: Any = None  # (identifier, each label once, the score column of each)


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
    return detect_languages([text])[0]


def detect_languages(texts: list[str]) -> list[tuple[str, float | None]]:
    """``detect_language`` for many texts at once (one stored chunk).

    py3langid scores one text at a time: a walk over its bytes, then a
    dozen small numpy operations over its 142 classes. Here the walks are
    the same, and the scoring is done for a group of texts together (one
    gather, one sum per text, one softmax), which costs a fraction per text
    for a chunk of short records. ``detect_language`` goes through here too,
    so that a text gets the same result whichever way it is stored.
    """
    results: list[tuple[str, float | None]] = [(DEFAULT_LANGUAGE, None)] * len(texts)
    samples: list[tuple[int, str]] = []
    for index, text in enumerate(texts):
        sample = (text or "")[:SAMPLE_CHARS]
        if _has_letters(sample[:2000], MIN_LETTERS):
            samples.append((index, sample))
    if not samples:
        return results
    identifier = _get_identifier()
    if not hasattr(identifier, "tk_nextmove"):  # another py3langid: its public API
        for index, sample in samples:
            ranked = identifier.rank(sample)
            results[index] = _decided(ranked[0][0], ranked[0][1], dict(ranked))
        return results
    codes, columns = _first_columns(identifier)
    group: list[tuple[int, bytes, Any]] = []
    features = 0
    for index, sample in samples:
        data = identifier._encode(sample)
        visits = _visit_counts(
            identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data
        )
        if not visits:  # no feature at all: py3langid's own path
            scores = identifier._decide(data)[columns]
            results[index] = _decided_scores(codes, scores)
            continue
        group.append((index, data, visits))
        features += len(visits)
        if features >= _GROUP_FEATURES:
            _score_group(identifier, group, codes, columns, results)
            group, features = [], 0
    if group:
        _score_group(identifier, group, codes, columns, results)
    return results


# Features scored together (bounds the gathered rows: 142 floats each).
_GROUP_FEATURES = 50_000


def _score_group(
    identifier: Any,
    group: list[tuple[int, bytes, Any]],
    codes: list[str],
    columns: list[int],
    results: list[tuple[str, float | None]],
) -> None:
    """py3langid's ``_decide`` for every text of ``group`` at once."""
    import numpy as np

    starts: list[int] = []
    ids: list[int] = []
    counts: list[int] = []
    for _, _, visits in group:
        starts.append(len(ids))
        ids.extend(visits.keys())
        counts.extend(visits.values())
    weights = np.log1p(np.asarray(counts, dtype=np.float32))
    rows = identifier.nb_ptc[np.asarray(ids, dtype=np.intp)].astype(np.float32)
    rows *= weights[:, None]
    scores = np.add.reduceat(rows, np.asarray(starts, dtype=np.intp), axis=0)
    scores += identifier.nb_pc
    # T = sqrt(bytes), as py3langid's normalised probabilities.
    lengths = np.asarray([len(data) or 1 for _, data, _ in group], dtype=np.float32)
    scores *= (1.0 / np.sqrt(lengths))[:, None]
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in identifier._alias_pairs:  # a label with two columns: fold them
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    chosen = scores[:, columns]
    for row, (index, _, _) in enumerate(group):
        results[index] = _decided_scores(codes, chosen[row])


def _decided_scores(codes: list[str], scores: Any) -> tuple[str, float | None]:
    """The result from one text's score per label (each label once)."""
    best = int(scores.argmax())
    default = (
        float(scores[codes.index(DEFAULT_LANGUAGE)])
        if DEFAULT_LANGUAGE in codes
        else 0.0
    )
    return _decided(codes[best], float(scores[best]), {DEFAULT_LANGUAGE: default})


def _decided(
    code: str, probability: float, by_code: dict[str, float]
) -> tuple[str, float | None]:
    """The detected code when the detector is sure enough, else the default
    language with its own (low) probability."""
    if probability >= MIN_CONFIDENCE:
        return str(code), round(float(probability), 3)
    return DEFAULT_LANGUAGE, round(float(by_code.get(DEFAULT_LANGUAGE, 0.0)), 3)


def _visit_counts(*args: Any) -> Any:
    from py3langid.langid import visit_counts

    return visit_counts(*args)


def _has_letters(text: str, wanted: int) -> bool:
    """Whether ``text`` has at least ``wanted`` letters (stops when it has)."""
    for ch in text:
        if ch.isalpha():
            wanted -= 1
            if wanted <= 0:
                return True
    return False


def _first_columns(identifier: Any) -> tuple[list[str], Any]:
    """The identifier's labels, each once, and the score column of each."""
    global _labels
    if _labels is None or _labels[0] is not identifier:
        codes: list[str] = []
        columns: list[int] = []
        for index, code in enumerate(identifier.nb_classes):
            if code not in codes:
                codes.append(str(code))
                columns.append(index)
        _labels = (identifier, codes, columns)
    return _labels[1], _labels[2]


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


def with_detected_languages(
    fields: list[dict[str, Any]], texts: list[str]
) -> list[dict[str, Any]]:
    """``with_detected_language`` for many documents at once (a stored
    chunk): the identifier is loaded once and only the texts without a
    given language are classified."""
    out: list[dict[str, Any]] = []
    todo: list[int] = []
    for index, (given, text) in enumerate(zip(fields, texts, strict=True)):
        if "language_confidence" in given or str(given.get("language") or "").strip():
            out.append(with_detected_language(given, text))
        else:
            out.append(given)
            todo.append(index)
    found = detect_languages([texts[i] for i in todo])
    for index, (code, confidence) in zip(todo, found, strict=True):
        out[index] = {
            **fields[index],
            "language": code,
            "language_confidence": confidence,
        }
    return out


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
