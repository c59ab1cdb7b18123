"""Analysing texts longer than the pipeline's ``max_length`` in pieces.

spaCy refuses a text over ``nlp.max_length`` (E088, 1,000,000 characters by
default) because its parser and entity recogniser need memory in proportion
to the text. Such a text is cut into pieces of at most ``PIECE_CHARS``
characters at paragraph breaks (else line breaks, else sentence ends, else
spaces, a hard cut only for a text with none of these), each piece is
analysed with the document's context, and the pieces' results are joined
with every offset shifted back into the whole text, and every index into
``sentences`` or ``attributions`` renumbered, so that the stored
``DocumentAnalysis.data`` has the shape and meaning of one analysis.

What a piece cannot see is lost at its edges: a quotation running over a
paragraph break at a cut starts afresh, and the document's own ``voice`` is
the first piece's (it is inferred from the first lines). Texts within
``max_length`` go through whole, so their results do not change.

Pure offset arithmetic: no spaCy here. The join is generic: in each list
of the analysis, ``start``/``end`` (at any depth) are offsets and
``sentence``/``attribution`` are indexes, so a new list that follows the
module docstring of ``corpus.nlp`` is joined correctly without a change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

# Pieces of a long text: small enough for the parser's memory, big enough
# that few paragraphs are cut from their neighbours.
PIECE_CHARS = 100_000

# nlp.pipe batch size when a chunk holds pieces: a batch is parsed at once,
# and the model alone needs about 300 MB while it parses a piece of 100,000
# characters, so pieces go one at a time.
PIECES_BATCH = 1

# Where to cut, best first; the cut goes after the separator.
SEPARATORS = ("\n\n", "\n", ". ", " ")

OFFSET_KEYS = ("start", "end")
INDEX_KEYS = {"sentence": "sentences", "attribution": "attributions"}

Analyse = Callable[..., Iterator[dict[str, Any]]]


def split(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text``, each at most ``size``.

    A cut is looked for in the second half of each window, so that no piece
    is smaller than half of ``size`` unless it is the last.
    """
    if size < 2:
        raise ValueError("Pieces need at least two characters.")
    spans: list[tuple[int, int]] = []
    start, length = 0, len(text)
    while length - start > size:
        hi = start + size
        lo = start + size // 2
        cut = hi
        for separator in SEPARATORS:
            at = text.rfind(separator, lo, hi)
            if at != -1:
                cut = at + len(separator)
                break
        spans.append((start, cut))
        start = cut
    spans.append((start, length))
    return spans


def _shift(item: Any, offset: int, bases: dict[str, int]) -> Any:
    if isinstance(item, dict):
        out = {}
        for key, value in item.items():
            if key in OFFSET_KEYS and isinstance(value, int):
                out[key] = value + offset
            elif key in INDEX_KEYS and isinstance(value, int):
                out[key] = value + bases[INDEX_KEYS[key]]
            else:
                out[key] = _shift(value, offset, bases)
        return out
    if isinstance(item, list):
        return [_shift(value, offset, bases) for value in item]
    return item


class Joined:
    """One analysis built piece by piece (``add`` each piece's in order), so
    that a long text's pieces need not all be held until the end."""

    def __init__(self) -> None:
        self.data: dict[str, Any] | None = None

    def add(self, part: dict[str, Any], offset: int) -> None:
        if self.data is None:
            self.data = {
                key: [] if isinstance(value, list) else value
                for key, value in part.items()
            }
        joined = self.data
        bases = {name: len(joined.get(name, [])) for name in INDEX_KEYS.values()}
        for key, value in part.items():
            if isinstance(value, list):
                joined[key].extend(_shift(value, offset, bases))


def join(parts: Sequence[dict[str, Any]], offsets: Sequence[int]) -> dict[str, Any]:
    """One analysis from the analyses of pieces starting at ``offsets``."""
    joined = Joined()
    for part, offset in zip(parts, offsets, strict=True):
        joined.add(part, offset)
    assert joined.data is not None
    return joined.data


def analyse_in_pieces(
    analyse: Analyse,
    texts: Iterable[str],
    *,
    contexts: Iterable[Any] | None = None,
    limit: int,
    piece_chars: int = PIECE_CHARS,
) -> Iterator[dict[str, Any]]:
    """Yield one analysis per text, like ``analyse``, for texts of any length.

    ``analyse(texts, contexts=...)`` is ``corpus.nlp.analyse_texts``; texts
    up to ``limit`` characters go to it whole, longer ones in pieces.
    """
    texts = list(texts)
    given = None if contexts is None else list(contexts)
    plan: list[list[int]] = []
    pieces: list[str] = []
    piece_contexts: list[Any] = []
    for index, text in enumerate(texts):
        spans = (
            [(0, len(text))]
            if len(text) <= limit
            else split(text, min(limit, piece_chars))
        )
        plan.append([start for start, _ in spans])
        for start, end in spans:
            pieces.append(text[start:end] if len(spans) > 1 else text)
            if given is not None:
                piece_contexts.append(given[index])
    options = {"batch_size": PIECES_BATCH} if len(pieces) > len(texts) else {}
    results = analyse(
        pieces, contexts=piece_contexts if given is not None else None, **options
    )
    for offsets in plan:
        if len(offsets) == 1:
            yield next(results)
            continue
        # Each piece's analysis is joined as it comes and dropped.
        joined = Joined()
        for offset in offsets:
            joined.add(next(results), offset)
        assert joined.data is not None
        yield joined.data
