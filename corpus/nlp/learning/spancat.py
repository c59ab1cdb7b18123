"""A span categoriser (spaCy ``spancat``) over whole documents.

Two suggesters, both fitted to the project's spans:

- ``preset``: the candidates are given (the sentence units the analysts
  judge, in ``doc.spans["candidates"]``); each gets a score per label. This
  is the fair match for sentence-level labels.
- ``ngram``: n-grams of the sizes (in tokens) of the training spans'
  length quantiles, for sub-sentence manual spans.

Used by ``benchmarks/learning.py`` to compare with ``textcat_multilabel``;
each unit's probability for a tag is the highest score of a candidate of
that tag that lies mostly inside the unit.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, load_config_from_str, load_model_from_config

SPANS_KEY = "sc"
CANDIDATES_KEY = "candidates"

CONFIG = """
[nlp]
lang = "{lang}"
pipeline = ["spancat"]

[components]

[components.spancat]
factory = "spancat"
spans_key = "{spans_key}"
threshold = 0.5
max_positive = null

[components.spancat.model]
@architectures = "spacy.SpanCategorizer.v1"

[components.spancat.model.reducer]
@layers = "spacy.mean_max_reducer.v1"
hidden_size = 128

[components.spancat.model.scorer]
@layers = "spacy.LinearLogistic.v1"
nO = null
nI = null

[components.spancat.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.spancat.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
rows = [2000, 2000, 1000, 1000]
attrs = ["NORM", "LOWER", "PREFIX", "SUFFIX"]
include_static_vectors = false

[components.spancat.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
window_size = 1
maxout_pieces = 3
depth = 2

[components.spancat.suggester]
{suggester}

[training]
seed = {seed}

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001
"""


@dataclass(frozen=True)
class SpanExample:
    """A document's text, its candidate units and its labelled spans
    (``(start, end, label)`` in characters)."""

    text: str
    units: list[tuple[int, int]]
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def fitted_sizes(lengths: Sequence[int], most: int = 5) -> list[int]:
    """N-gram sizes at the quantiles of the training spans' token lengths."""
    ordered = sorted(n for n in lengths if n > 0)
    if not ordered:
        return [1, 2, 3]
    points = [0.1, 0.3, 0.5, 0.7, 0.9][:most]
    return sorted(
        {ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in points}
    )


def _suggester(kind: str, sizes: Sequence[int]) -> str:
    if kind == "preset":
        return (
            f'@misc = "spacy.preset_spans_suggester.v1"\nspans_key = "{CANDIDATES_KEY}"'
        )
    if kind == "ngram":
        return f'@misc = "spacy.ngram_suggester.v1"\nsizes = {list(sizes)}'
    raise ValueError(f"Unknown suggester {kind!r}; use preset or ngram.")


def _doc(nlp: Language, item: SpanExample) -> Doc:
    doc = nlp.make_doc(item.text)
    doc.spans[CANDIDATES_KEY] = [
        span
        for start, end in item.units
        if (span := doc.char_span(start, end, alignment_mode="expand")) is not None
    ]
    return doc


def _token_length(nlp: Language, text: str, start: int, end: int) -> int:
    return len(nlp.make_doc(text[start:end]))


def spancat_train(
    data: Sequence[SpanExample],
    labels: Sequence[str],
    *,
    suggester: str = "preset",
    lang: str = "en",
    epochs: int = 10,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Language:
    """Train a blank pipeline with one ``spancat`` (fixed seed)."""
    if not data:
        raise ValueError("No training examples.")
    fix_random_seed(seed)
    sizes: list[int] = []
    if suggester == "ngram":
        from spacy.lang.xx import MultiLanguage

        blank = MultiLanguage()
        sizes = fitted_sizes(
            [_token_length(blank, d.text, s, e) for d in data for s, e, _ in d.spans]
        )
    config = load_config_from_str(
        CONFIG.format(
            lang=lang,
            spans_key=SPANS_KEY,
            suggester=_suggester(suggester, sizes),
            seed=seed,
        )
    )
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    component = nlp.get_pipe("spancat")
    for label in sorted(labels):
        component.add_label(label)  # type: ignore[attr-defined]
    examples = []
    for item in data:
        doc = _doc(nlp, item)
        spans = [
            (s.start_char, s.end_char, label)
            for start, end, label in item.spans
            if (s := doc.char_span(start, end, alignment_mode="expand")) is not None
        ]
        examples.append(Example.from_dict(doc, {"spans": {SPANS_KEY: spans}}))
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(seed)  # noqa: S311 (batch order, not security)
    for epoch in range(epochs):
        order.shuffle(examples)
        for start in range(0, len(examples), 4):
            nlp.update(examples[start : start + 4], sgd=optimizer, drop=0.1)
        if progress is not None:
            progress(epoch + 1, epochs)
    return nlp


def spancat_unit_probabilities(
    nlp: Language, data: Sequence[SpanExample]
) -> list[list[dict[str, float]]]:
    """Per document, per unit: the best score of each label among the
    candidates lying mostly inside that unit."""
    component = nlp.get_pipe("spancat")
    labels = list(component.labels)  # type: ignore[attr-defined]
    out = []
    for item in data:
        doc = _doc(nlp, item)
        units: list[dict[str, float]] = [{} for _ in item.units]
        all_scores = _candidate_scores(nlp, doc)
        for span, row in all_scores:
            index = _unit_of(span, item.units)
            if index is None:
                continue
            for label, p in zip(labels, row, strict=True):
                if p > units[index].get(label, 0.0):
                    units[index][label] = float(p)
        out.append(units)
    return out


def _candidate_scores(nlp: Language, doc: Doc) -> list[tuple[Span, list[float]]]:
    component = nlp.get_pipe("spancat")
    suggested = component.suggester([doc], ops=component.model.ops)  # type: ignore[attr-defined]
    scores = component.model.predict(([doc], suggested))  # type: ignore[attr-defined]
    offsets = component.model.ops.to_numpy(suggested.dataXd)  # type: ignore[attr-defined]
    rows = component.model.ops.to_numpy(scores)  # type: ignore[attr-defined]
    return [
        (doc[int(start) : int(end)], [float(v) for v in row])
        for (start, end), row in zip(offsets, rows, strict=True)
    ]


def _unit_of(span: Span, units: Sequence[tuple[int, int]]) -> int | None:
    best, index = 0, None
    for i, (start, end) in enumerate(units):
        overlap = min(end, span.end_char) - max(start, span.start_char)
        if overlap > best:
            best, index = overlap, i
    if index is None or best * 2 < (span.end_char - span.start_char):
        return None
    return index
