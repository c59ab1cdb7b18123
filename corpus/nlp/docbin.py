"""spaCy DocBin files for training span categorisers on Glossa annotations.

Takes plain data (text and ``(start, end, label)`` code-point spans) so the
caller never touches spaCy. Tokenises with a blank pipeline of the
document's language: training data needs tokens, not a parse, and a blank
tokenizer is fast and needs no model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

Span = tuple[int, int, str]


@dataclass
class DocBinReport:
    """What went into the file, and the spans that had to be widened."""

    documents: int = 0
    spans: int = 0
    widened: list[tuple[int, int, str]] = field(default_factory=list)
    # The same spans with their document (a record's fourth element, else
    # its position) and the token edges they were widened to, for a report.
    widened_spans: list[dict[str, object]] = field(default_factory=list)
    # Token length -> number of spans: what a spancat suggester must propose.
    span_lengths: Counter[int] = field(default_factory=Counter)

    def suggester_sizes(self) -> list[int]:
        """The n-gram sizes that propose every exported span and nothing
        longer or unseen (spaCy's default, 1-3 tokens, misses most of
        Glossa's clause-long spans)."""
        return sorted(self.span_lengths)


@lru_cache(maxsize=16)
def _blank(lang: str):
    import spacy

    try:
        return spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        return spacy.blank("xx")  # a language spaCy has no tokenizer for


def docbin_bytes(
    records: Iterable[
        tuple[str, list[Span]]
        | tuple[str, list[Span], str]
        | tuple[str, list[Span], str, object]
    ],
    *,
    spans_key: str = "sc",
    lang: str = "en",
    progress: Callable[[int], None] | None = None,
    report: DocBinReport | None = None,
) -> bytes:
    """Serialise ``(text, spans)`` records to the bytes of a ``.spacy`` file.

    Each span goes into ``doc.spans[spans_key]`` (overlaps allowed, as
    spancat expects). A span whose edges fall inside a token is widened to
    whole tokens (``alignment_mode="expand"``) and listed in ``report``.
    """
    from spacy.tokens import DocBin

    bin_ = DocBin(store_user_data=False)
    report = report if report is not None else DocBinReport()
    for record in records:
        # (text, spans), (text, spans, language) or (text, spans, language,
        # document id): each document is tokenised by its own language (a
        # CJK text by characters).
        text, spans = record[0], record[1]
        doc_lang = record[2] if len(record) > 2 and record[2] else lang
        doc = _blank(doc_lang).make_doc(text)
        group = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None:
                continue
            if (span.start_char, span.end_char) != (start, end):
                report.widened.append((start, end, label))
                report.widened_spans.append(
                    {
                        "document": record[3] if len(record) > 3 else report.documents,
                        "start": start,
                        "end": end,
                        "label": label,
                        "token_start": span.start_char,
                        "token_end": span.end_char,
                    }
                )
            group.append(span)
            report.span_lengths[len(span)] += 1
        doc.spans[spans_key] = group
        bin_.add(doc)
        report.documents += 1
        report.spans += len(group)
        if progress is not None:
            progress(report.documents)
    return bin_.to_bytes()
