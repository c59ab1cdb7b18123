"""The ``glossa_sentence_breaks_v1`` component: line breaks end sentences."""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp.base import QUOTES

NOT_SENT_START = numpy.uint64(2**64 - 1)  # -1 in Doc.to_array's uint64


@Language.factory("glossa_sentence_breaks_v1", default_config={})
def make_sentence_breaks(nlp: Language, name: str) -> SentenceBreaks:
    return SentenceBreaks(nlp, name)


class SentenceBreaks:
    """Preset sentence starts the parser then respects.

    News text puts headlines, datelines and paragraphs on their own lines;
    the parser alone often glues a headline to the first sentence, or a
    closing quote to the next sentence. The pairs of tokens that start or
    join sentences (a line break then a word, an opening quote then a word,
    sentence-final punctuation then a quote) are found on one array of the
    Doc's forms and space flags (what a Matcher of those two-token patterns
    finds, without a Python object per token), and the starts are written
    in one ``from_array`` call: setting ``token.is_sent_start`` one by one
    rescans the document each time.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        strings = nlp.vocab.strings
        self.quotes = numpy.array([strings[q] for q in QUOTES], dtype=numpy.uint64)
        self.finals = numpy.array(
            [strings[p] for p in (".", "!", "?", ",")], dtype=numpy.uint64
        )

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        starts: dict[int, int] = {}
        rows = doc.to_array([IS_SPACE, ORTH])
        space = rows[:, 0].astype(bool)
        quote = numpy.isin(rows[:, 1], self.quotes)
        word_next = ~space[1:]
        # A line break (a space token holding one) before a word.
        for i in numpy.flatnonzero(space[:-1] & word_next).tolist():
            if "\n" in doc[i].text:
                starts[i + 1] = 1
        # An opening quote and its first word stay together.
        for i in numpy.flatnonzero(quote[:-1] & word_next).tolist():
            before = doc[i - 1] if i else None
            opens = before is None or before.is_space or bool(before.whitespace_)
            if opens and not doc[i].whitespace_:
                starts[i + 1] = -1
        # A quote glued to sentence-final punctuation closes it.
        final = numpy.isin(rows[:-1, 1], self.finals)
        for i in numpy.flatnonzero(final & quote[1:]).tolist():
            if not doc[i].whitespace_:
                starts[i + 1] = -1
        if starts:
            values = doc.to_array([SENT_START])  # uint64: -1 wraps around
            for i, value in starts.items():
                if i != 0:
                    values[i] = value if value > 0 else NOT_SENT_START
            doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # a 1-D array is fine
        return doc
