"""Helpers over the dependency parse: subjects, agents, negation, span cores."""

from __future__ import annotations

import itertools

from spacy.tokens import Doc

from corpus.nlp.base import QUOTES

SKIP_SUBTREE_DEPS = frozenset({"relcl", "acl", "appos", "punct", "advcl", "cc"})
HEADING_CUTS = (",", " on ", " about ", " regarding ", " concerning ", " following ")


def heading_author(sent) -> str:
    """Who a heading names as author: "Statement by the Ministry of
    Defence" -> "Ministry of Defence"."""
    text = sent.text.strip()
    lowered = text.lower()
    for marker in (" by ", " from ", " of "):
        at = lowered.find(marker)
        if at >= 0:
            text = text[at + len(marker) :]
            break
    for cut in HEADING_CUTS:
        at = text.lower().find(cut)
        if at > 0:
            text = text[:at]
    text = text.strip()
    if text.lower().startswith("the "):
        text = text[4:]
    return text


def passive_agent(verb):
    """The "by" speaker of a passive reporting verb, if any."""
    if not any(c.dep_ == "nsubjpass" for c in verb.children):
        return None
    # The parser attaches "by" to the verb (agent) or, after "as X", to X.
    for tok in verb.subtree:
        if tok.dep_ == "agent" or (tok.dep_ == "prep" and tok.lower_ == "by"):
            objects = [g for g in tok.children if g.dep_ == "pobj"]
            ancestors = [a.i for a in itertools.islice(tok.ancestors, 3)]
            if objects and verb.i in ancestors:
                return objects[0]
    return None


def negated(verb) -> bool:
    node = verb
    for _ in range(2):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if node.dep_ != "conj":
            return False
        node = node.head
    return False


def noun_core(token) -> tuple[int, int]:
    """The source's own noun phrase, without appositions or clauses."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in SKIP_SUBTREE_DEPS:
            skip.update(t.i for t in child.subtree)
    kept = [t.i for t in token.subtree if t.i not in skip]
    lo = min(kept)
    hi = token.i
    for i in sorted(kept):
        if i > hi and i == hi + 1:
            hi = i
    while (
        lo < token.i
        and token.doc[lo].dep_ in ("det", "punct", "cc")
        and token.doc[lo].lower_ in ("the", "a", "an", ",", "and", "but")
    ):
        lo += 1
    return lo, hi + 1


def trim(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
    while (
        lo < hi
        and (doc[lo].is_punct or doc[lo].is_space)
        and doc[lo].text not in QUOTES
    ):
        lo += 1
    while (
        hi > lo
        and (doc[hi - 1].is_punct or doc[hi - 1].is_space)
        and doc[hi - 1].text not in QUOTES
    ):
        hi -= 1
    return lo, hi


def adjacent_quote(verb) -> tuple[int, int] | None:
    """A quotation that ends just before the verb's clause or starts after."""
    sent = verb.sent
    quotes = [t.i for t in sent if t.text in QUOTES]
    if len(quotes) < 2:
        return None
    for open_i, close_i in zip(quotes[::2], quotes[1::2], strict=False):
        if close_i < verb.i and verb.i - close_i <= 4:
            return open_i, close_i + 1
        if open_i > verb.i and open_i - verb.i <= 4:
            return open_i, close_i + 1
    return None
