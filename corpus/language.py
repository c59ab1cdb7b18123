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
from collections.abc import Iterator
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
    dozen small numpy operations over its 142 classes. Here short texts are
    walked together (``_walk_together``: the same features, counts and
    order) and the scoring is done for a group of texts together (one
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
    group: list[tuple[int, int, Any, Any]] = []
    features = 0
    for index, data, found in _walks(identifier, samples):
        if found is None:  # no feature at all: py3langid's own path
            results[index] = _decided_scores(codes, identifier._decide(data)[columns])
            continue
        group.append((index, len(data), *found))
        features += len(found[0])
        if features >= _GROUP_FEATURES:
            _score_group(identifier, group, codes, columns, results)
            group, features = [], 0
    if group:
        _score_group(identifier, group, codes, columns, results)
    return results


def _walks(
    identifier: Any, samples: list[tuple[int, str]]
) -> Iterator[tuple[int, bytes, tuple[Any, Any] | None]]:
    """Each sample's index, bytes and features (ids and counts, in the order
    of their first visit; ``None`` without any): longer texts walked one by
    one as they come, then the short ones together (``_walk_together``)."""
    short: list[tuple[int, bytes]] = []
    for index, sample in samples:
        data = identifier._encode(sample)
        if len(data) <= _WALK_TOGETHER_BYTES:
            short.append((index, data))
            continue
        visits = _visit_counts(
            identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data
        )
        found = (list(visits.keys()), list(visits.values())) if visits else None
        yield index, data, found
    for start in range(0, len(short), _WALK_TEXTS):
        part = short[start : start + _WALK_TEXTS]
        walked = _walk_together(identifier, [data for _, data in part])
        for (index, data), found in zip(part, walked, strict=True):
            yield index, data, found


# Features scored together (bounds the gathered rows: 142 floats each).
_GROUP_FEATURES = 50_000
# Texts of at most this many bytes are walked together (``_walk_together``),
# at most this many at a time; a longer text is walked alone.
_WALK_TOGETHER_BYTES = 1024
_WALK_TEXTS = 2000


def _walk_together(identifier: Any, texts: list[bytes]) -> list[tuple[Any, Any] | None]:
    """py3langid's ``visit_counts`` for many short texts at once.

    Its walk reads one byte per step through the automaton, in Python; here
    every text takes its step together (one numpy gather per byte
    position), which for a chunk of short records costs a fraction per text.
    Each text's features come back as py3langid's ``Counter`` holds them:
    in the order of their first visit, with their counts (``None`` for a
    text without any), so that the scores are summed in the same order and
    come out the same to the bit.
    """
    import numpy as np

    nextmove, rowbase, output = _tables(identifier)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.intp, count=len(texts))
    found: list[tuple[Any, Any] | None] = [None] * len(texts)
    if not len(texts) or not lengths.max():
        return found
    order = np.argsort(-lengths, kind="stable")  # longest first
    ranked = lengths[order]
    flat = np.frombuffer(b"".join(texts[i] for i in order), dtype=np.uint8)
    starts = np.zeros(len(texts), dtype=np.intp)
    np.cumsum(ranked[:-1], out=starts[1:])
    # Texts still walking at each step: a prefix of the ranked ones.
    active = np.searchsorted(-ranked, -np.arange(int(ranked[0])), side="left")
    states = np.zeros(len(texts), dtype=np.int64)
    who: list[Any] = []
    what: list[Any] = []
    for step, count in enumerate(active.tolist()):
        moved = nextmove[rowbase[states[:count]] + flat[starts[:count] + step]]
        states[:count] = moved
        features = output[moved]
        hit = np.flatnonzero(features >= 0)
        if len(hit):
            who.append(hit)
            what.append(features[hit])
    if not who:
        return found
    width = int(output.max()) + 1
    keys = np.concatenate(who).astype(np.int64) * width + np.concatenate(what)
    # Visits are in step order, so a key's first index is its first visit.
    unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
    text_of = unique // width
    arranged = np.lexsort((first, text_of))
    text_of = text_of[arranged]
    feature_ids = (unique % width)[arranged]
    counts = counts[arranged]
    bounds = np.flatnonzero(np.diff(text_of)) + 1
    for ids, hits, ranked_at in zip(
        np.split(feature_ids, bounds),
        np.split(counts, bounds),
        text_of[np.concatenate(([0], bounds))].tolist(),
        strict=True,
    ):
        found[int(order[ranked_at])] = (ids, hits)
    return found


_walk_tables: Any = None  # (identifier, next move, row base, output) as arrays


def _tables(identifier: Any) -> tuple[Any, Any, Any]:
    """The identifier's automaton as numpy arrays (made once per process)."""
    global _walk_tables
    if _walk_tables is None or _walk_tables[0] is not identifier:
        import numpy as np

        _walk_tables = (
            identifier,
            np.asarray(identifier.tk_nextmove, dtype=np.int64),
            np.asarray(identifier._rowbase, dtype=np.int64),
            np.asarray(identifier.tk_output, dtype=np.int64),
        )
    return _walk_tables[1], _walk_tables[2], _walk_tables[3]


def _score_group(
    identifier: Any,
    group: list[tuple[int, int, Any, Any]],
    codes: list[str],
    columns: list[int],
    results: list[tuple[str, float | None]],
) -> None:
    """py3langid's ``_decide`` for every text of ``group`` at once: each
    text's (index, bytes, feature ids, counts in first-visit order)."""
    import numpy as np

    sizes = [len(ids) for _, _, ids, _ in group]
    starts = np.zeros(len(group), dtype=np.intp)
    np.cumsum(sizes[:-1], out=starts[1:])
    ids = np.concatenate([np.asarray(i, dtype=np.intp) for _, _, i, _ in group])
    counts = np.concatenate([np.asarray(c, dtype=np.float32) for _, _, _, c in group])
    weights = np.log1p(counts)
    # Each feature's row of the (float16) table converted once, however many
    # texts have it, and laid out feature by column: the sums run along
    # contiguous memory (the same sums, in the same order, as py3langid's).
    unique, inverse = np.unique(ids, return_inverse=True)
    table = np.ascontiguousarray(identifier.nb_ptc[unique].astype(np.float32).T)
    rows = table[:, inverse]
    rows *= weights[None, :]
    scores = np.ascontiguousarray(np.add.reduceat(rows, starts, axis=1).T)
    scores += identifier.nb_pc
    # T = sqrt(bytes), as py3langid's normalised probabilities.
    lengths = np.asarray([size or 1 for _, size, _, _ in group], dtype=np.float32)
    scores *= (1.0 / np.sqrt(lengths))[:, None]
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in identifier._alias_pairs:  # a label with two columns: fold them
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    chosen = scores[:, columns]
    best = chosen.argmax(axis=1)
    top = chosen[np.arange(len(group)), best].tolist()
    default = (
        chosen[:, codes.index(DEFAULT_LANGUAGE)].tolist()
        if DEFAULT_LANGUAGE in codes
        else [0.0] * len(group)
    )
    for row, ((index, _, _, _), at) in enumerate(
        zip(group, best.tolist(), strict=True)
    ):
        # ``_decided_scores`` for each row, its values read off at once.
        if top[row] >= MIN_CONFIDENCE:
            results[index] = (str(codes[at]), round(top[row], 3))
        else:
            results[index] = (DEFAULT_LANGUAGE, round(default[row], 3))


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
    """Whether ``text`` has at least ``wanted`` letters (counted in C: the
    first 256 characters, then the rest only if they fall short)."""
    if wanted <= 0:
        return True
    if len(text) < wanted:
        return False
    found = sum(map(str.isalpha, text[:256]))
    if found >= wanted or len(text) <= 256:
        return found >= wanted
    return found + sum(map(str.isalpha, text[256:])) >= wanted


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
