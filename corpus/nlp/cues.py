"""The ``glossa_cues_v1`` component: cue spans from data-driven patterns."""

from __future__ import annotations

import itertools
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp.base import QUOTES, DataComponent

CUES_KEY = "glossa_cues"


@Language.factory(
    "glossa_cues_v1",
    default_config={
        "data": {"@misc": "glossa.cue_patterns.v1"},
        "scare_quotes": True,
    },
)
def make_cues(
    nlp: Language, name: str, *, data: dict[str, Any], scare_quotes: bool
) -> CueMatcher:
    return CueMatcher(nlp, name, data=data, scare_quotes=scare_quotes)


class CueMatcher(DataComponent):
    """Cue spans from token patterns, plus scare quotes around labels."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        data: dict[str, Any],
        scare_quotes: bool = True,
    ) -> None:
        self.scare_quotes = scare_quotes
        super().__init__(nlp, name, data=data)

    def _build(self) -> None:
        # Single-word cues go to hash-based PhraseMatchers (one per
        # attribute); the token Matcher, whose cost grows with the number of
        # patterns tried at every token, keeps only multi-word patterns.
        vocab = self.nlp.vocab
        self.matcher = Matcher(vocab)
        self.phrase_matchers = {
            "LOWER": PhraseMatcher(vocab, attr="LOWER"),
            "LEMMA": PhraseMatcher(vocab, attr="LEMMA"),
        }
        self.pos_filter: dict[str, set[str]] = {}
        self.labels: dict[str, str] = {}
        for cue in self.data["cues"]:
            self.labels[cue["id"]] = cue["label"]
            single = _single_word(cue["pattern"])
            if single is None:
                self.matcher.add(cue["id"], [cue["pattern"]])
                continue
            attr, words, pos = single
            docs = [
                Doc(vocab, words=[w], lemmas=[w])
                if attr == "LEMMA"
                else self.nlp.make_doc(w)  # "so-called" is three tokens
                for w in words
            ]
            self.phrase_matchers[attr].add(cue["id"], docs)
            if pos:
                self.pos_filter[cue["id"]] = pos
        self.quote_matcher = Matcher(vocab)
        self.quote_matcher.add("QUOTE", [[{"ORTH": {"IN": QUOTES}}]])
        self.act_nouns = frozenset(self.data.get("act_nouns") or [])
        self.negations = frozenset(self.data.get("negations") or [])
        self.quote_labels = frozenset(self.data.get("scare_quote_labels") or [])
        self.organisation_nouns = frozenset(self.data.get("organisation_nouns") or [])
        self.denial_not_objects = frozenset(self.data.get("denial_not_objects") or [])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        seen: set[tuple[int, int, str]] = set()
        strings = self.nlp.vocab.strings
        matches = list(self.matcher(doc)) if len(self.matcher) else []
        for phrase_matcher in self.phrase_matchers.values():
            if len(phrase_matcher):
                matches.extend(phrase_matcher(doc))
        for match_id, start, end in matches:
            rule = strings[match_id]
            label = self.labels[rule]
            pos = self.pos_filter.get(rule)
            if pos and doc[start].pos_ not in pos:
                continue
            if label == "legal_illegal" and not self._characterises_act(doc[start:end]):
                continue
            if label == "rescue" and self._names_organisation(doc[start:end]):
                continue
            if label == "denial" and self._rejects_a_demand(doc[start:end]):
                continue
            key = (start, end, label)
            if key not in seen:
                seen.add(key)
                spans.append(Span(doc, start, end, label=label, span_id=rule))
        if self.scare_quotes:
            spans.extend(self._scare_quotes(doc))
        spans.sort(key=lambda s: (s.start, s.end))
        doc.spans[CUES_KEY] = SpanGroup(doc, name=CUES_KEY, spans=spans)
        return doc

    def _characterises_act(self, span: Span) -> bool:
        """Keep "the strikes are illegal", drop "illegal fishing" and
        "not unlawful"."""
        tok = span.root
        if any(c.lower_ in self.negations for c in tok.children) or any(
            c.lower_ in self.negations for c in tok.head.children
        ):
            return False
        if tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head.lemma_.lower() in self.act_nouns
        return not (tok.dep_ == "compound" and tok.lemma_.lower() not in {"murder"})

    def _rejects_a_demand(self, span: Span) -> bool:
        objects = [c for c in span.root.children if c.dep_ == "dobj"]
        return bool(objects) and all(
            o.lemma_.lower() in self.denial_not_objects for o in objects
        )

    def _names_organisation(self, span: Span) -> bool:
        tok = span.root
        if tok.dep_ not in ("compound", "amod"):
            return False
        # "the rescue charity", "the rescue charity Blue Line"
        near = {tok.head.lemma_.lower()} | {
            c.lemma_.lower() for c in tok.head.children if c.dep_ == "compound"
        }
        return bool(near & self.organisation_nouns)

    def _scare_quotes(self, doc: Doc) -> list[Span]:
        """Short quoted noun phrases naming people ("narco-terrorists")."""
        found = []
        positions = [start for _, start, _ in self.quote_matcher(doc)]
        for open_i, close_i in itertools.pairwise(positions):
            inner = doc[open_i + 1 : close_i]
            if not 1 <= len(inner) <= 5 or doc[open_i].sent != doc[close_i].sent:
                continue
            if any(
                t.pos_ in ("AUX", "PRON") or (t.pos_ == "VERB" and t.dep_ != "amod")
                for t in inner
            ):
                continue  # a quoted clause, not a label
            words = {t.lemma_.lower() for t in inner} | {t.lower_ for t in inner}
            if words & self.quote_labels:
                found.append(
                    Span(
                        doc, open_i, close_i + 1, label="hedge", span_id="hedge.quotes"
                    )
                )
        return found


def _single_word(pattern) -> tuple[str, list[str], set[str]] | None:
    """(attribute, words, allowed POS) for a one-token LOWER or LEMMA
    pattern without operators, else None."""
    if len(pattern) != 1:
        return None
    token = dict(pattern[0])
    pos = token.pop("POS", None)
    if len(token) != 1:
        return None
    attr, value = next(iter(token.items()))
    if attr not in ("LOWER", "LEMMA"):
        return None
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        words = list(value["IN"])
    else:
        return None
    if any(" " in w or not w for w in words):
        return None
    if isinstance(pos, str):
        pos = {pos}
    elif isinstance(pos, dict) and set(pos) == {"IN"}:
        pos = set(pos["IN"])
    elif pos is not None:
        return None
    return attr, words, pos or set()
