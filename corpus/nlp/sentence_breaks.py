"""The ``glossa_sentence_breaks_v1`` component: line breaks end sentences."""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
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
    closing quote to the next sentence. Patterns use only equality and flag
    checks (no set or regex predicates), and the starts are written in one
    ``from_array`` call: setting ``token.is_sent_start`` one by one rescans
    the document each time.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("LINE", [[{"IS_SPACE": True}, {"IS_SPACE": False}]])
        self.matcher.add(
            "OPEN_QUOTE", [[{"ORTH": q}, {"IS_SPACE": False}] for q in QUOTES]
        )
        self.matcher.add(
            "CLOSE_QUOTE",
            [[{"ORTH": p}, {"ORTH": q}] for p in (".", "!", "?", ",") for q in QUOTES],
        )

    def __call__(self, doc: Doc) -> Doc:
        starts: dict[int, int] = {}
        strings = self.matcher.vocab.strings  # type: ignore[attr-defined]  # not in spaCy's stub
        for match_id, start, end in self.matcher(doc):
            label = strings[match_id]
            last = end - 1
            if label == "LINE":
                if "\n" in doc[start].text:
                    starts[last] = 1
            elif label == "OPEN_QUOTE":
                before = doc[start - 1] if start else None
                opens = before is None or before.is_space or bool(before.whitespace_)
                if opens and not doc[start].whitespace_:
                    # An opening quote and its first word stay together.
                    starts[last] = -1
            elif not doc[start].whitespace_:
                # A quote glued to sentence-final punctuation closes it.
                starts[last] = -1
        if starts:
            values = doc.to_array([SENT_START])  # uint64: -1 wraps around
            for i, value in starts.items():
                if i != 0:
                    values[i] = value if value > 0 else NOT_SENT_START
            doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # a 1-D array is fine
        return doc
