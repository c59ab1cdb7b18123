"""Glossa's spaCy components, registered with ``@Language.factory``.

Factory names carry a version (``glossa_cues_v1``): a change in behaviour
means a new factory, never an edit that silently changes old results. The
pattern data comes from versioned ``misc`` loaders (``corpus.nlp.patterns``)
and can be replaced with ``initialize(data=...)``.

- ``glossa_sentence_breaks_v1`` (before the parser): a line break always
  ends a sentence; a closing quote never starts one.
- ``glossa_cues_v1``: cue spans (hedges, evidence absence, refusals, legal
  characterisations, denials, rescue...) in ``doc.spans["glossa_cues"]``,
  label = cue family, ``span.id_`` = the rule that matched.
- ``glossa_quantities_v1``: numbers with what they count, bound and scope,
  in ``doc._.glossa_quantities``.
- ``glossa_attribution_v1``: who said what (source, cue verb, content),
  claimant names and types, in ``doc._.glossa_attributions``; the document's
  own voice (an official or NGO statement) in ``doc._.glossa_voice``.

All results are token indices plus plain values, turned into character
offsets by ``corpus.nlp.doc_to_data``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from . import claimants as ct
from . import patterns as _patterns  # noqa: F401  (registers the loaders)
from .base import DataComponent

CUES_KEY = "glossa_cues"
NOT_SENT_START = numpy.uint64(2**64 - 1)  # -1 in Doc.to_array's uint64
QUOTES = ['"', "\u201c", "\u201d"]

for _name in ("glossa_quantities", "glossa_attributions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("glossa_voice"):
    Doc.set_extension("glossa_voice", default=None)


# --- sentence boundaries ------------------------------------------------------


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
        strings = self.matcher.vocab.strings
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
            doc.from_array([SENT_START], values)
        return doc


# --- cues ---------------------------------------------------------------------


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


# --- quantities ---------------------------------------------------------------


@Language.factory(
    "glossa_quantities_v1",
    default_config={"data": {"@misc": "glossa.quantity_lexicon.v1"}},
)
def make_quantities(
    nlp: Language, name: str, *, data: dict[str, Any]
) -> QuantityFinder:
    return QuantityFinder(nlp, name, data=data)


# Verbs that make "<killings> rose to N" a running total.
RISING_LEMMAS = frozenset({"rise", "climb", "reach", "increase", "grow", "jump"})
# Nouns naming a running figure: "death toll", "number of people killed".
AGGREGATE_NOUNS = frozenset({"toll", "tally", "number", "total", "count"})
SKIP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})


class QuantityFinder(DataComponent):
    """Numbers (digits, number words, vague words) and what they count.

    What is counted comes from the noun the number modifies ("14 people",
    "four boats") and, for people, from the verb or modifier that says what
    happened to them ("were killed", "survived", "aboard", "missing").
    """

    def _build(self) -> None:
        data = self.data
        self.words = {k.lower(): int(v) for k, v in data["number_words"].items()}
        self.vague = {k: (int(v[0]), v[1]) for k, v in data["vague_words"].items()}
        self.noun_counts = {
            lemma: counts
            for counts, lemmas in data["count_nouns"].items()
            for lemma in lemmas
        }
        self.person_nouns = frozenset(data["person_nouns"])
        self.event_counts = {
            lemma: counts
            for counts, lemmas in data["event_words"].items()
            for lemma in lemmas
        }
        self.bounds = sorted(
            (
                (tuple(words), bound)
                for bound, phrases in data["bounds"].items()
                for words in phrases
            ),
            key=lambda item: -len(item[0]),
        )
        self.cumulative_lemmas = frozenset(data["cumulative_lemmas"]) | {
            "campaign",
            "since",
        }
        self.cumulative_heads = frozenset(data["cumulative_heads"])
        self.matcher = Matcher(self.nlp.vocab)
        self.matcher.add(
            "NUMBER",
            [
                [{"LIKE_NUM": True}],
                [{"LOWER": {"IN": sorted(self.vague)}}],
                [{"LOWER": {"IN": ["dozen"]}}],
            ],
        )

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for _, start, _end in self.matcher(doc):
            item = self._quantity(doc[start])
            if item is not None:
                found.append(item)
        doc._.glossa_quantities = found
        return doc

    def _value(self, tok) -> tuple[int, str] | None:
        doc = tok.doc
        text = tok.lower_.replace(",", "")
        # "forty-two" is three tokens: the tens word stands for the whole,
        # the unit word is skipped.
        if (
            tok.i + 2 < len(doc)
            and doc[tok.i + 1].text == "-"
            and doc[tok.i + 2].lower_ in self.words
            and self.words.get(text, 0) >= 20
        ):
            return self.words[text] + self.words[doc[tok.i + 2].lower_], ""
        if (
            tok.i >= 2
            and doc[tok.i - 1].text == "-"
            and self.words.get(doc[tok.i - 2].lower_, 0) >= 20
        ):
            return None
        if text.isdigit():
            return int(text), ""
        if text in self.vague:
            return self.vague[text]
        if text in self.words:
            return self.words[text], ""
        try:
            return int(float(text)), ""
        except ValueError:
            return None

    def _quantity(self, tok) -> dict[str, Any] | None:
        if tok.ent_type_ in SKIP_ENTS:
            return None
        doc = tok.doc
        # "F-35", "B-52": part of a name, not a count.
        if tok.i > 0 and doc[tok.i - 1].text == "-" and not doc[tok.i - 2].whitespace_:
            return None
        parsed = self._value(tok)
        if parsed is None:
            return None
        value, vague_bound = parsed
        if 1000 < value < 2200 and tok.text.isdigit() and len(tok.text) == 4:
            return None  # a year
        if value <= 0:
            return None  # a stated zero is not a figure
        # In "forty-two" the unit word carries the syntax.
        syn = tok
        if (
            tok.i + 2 < len(doc)
            and doc[tok.i + 1].text == "-"
            and tok.dep_ == "compound"
        ):
            syn = doc[tok.i + 2]
        counts, cumulative = self._counts(syn)
        if counts is None:
            return None
        bound = vague_bound or self._bound(tok)
        start = tok.i
        if bound and not vague_bound:
            start = self._bound_start(tok)
        return {
            "start": start,
            "end": syn.i + 1,
            "number": tok.i,
            "value": value,
            "counts": counts,
            "bound": bound or "exact",
            "cumulative": cumulative,
        }

    def _bound(self, tok) -> str:
        doc = tok.doc
        for words, bound in self.bounds:
            n = len(words)
            if tok.i - n < 0:
                continue
            if tuple(t.lower_ for t in doc[tok.i - n : tok.i]) == words:
                return bound
        return ""

    def _bound_start(self, tok) -> int:
        doc = tok.doc
        for words, _bound in self.bounds:
            n = len(words)
            if tok.i - n >= 0 and (
                tuple(t.lower_ for t in doc[tok.i - n : tok.i]) == words
            ):
                return tok.i - n
        return tok.i

    def _counts(self, tok) -> tuple[str | None, bool]:
        """What ``tok`` counts, and whether it is a running total."""
        noun = tok.head if tok.dep_ in ("nummod", "quantmod") else tok
        if (
            tok.dep_ == "pobj"
            and tok.head.lower_ == "of"
            and tok.head.head.pos_
            in (
                "NOUN",
                "PROPN",
            )
        ):
            # "a death toll of 57", "the bodies of 9"
            noun = tok
        lemma = noun.lemma_.lower()
        counts = None
        if noun is not tok and lemma in self.noun_counts:
            counts = self.noun_counts[lemma]
        else:
            counts = self._event_of(noun, bare=noun is tok)
        cumulative = False
        toll = self._toll(tok)
        if toll is not None:
            counts = toll[0] or counts or "killed"
            cumulative = toll[1]
        elif counts is not None:
            cumulative = self._is_cumulative(tok)
        return counts, cumulative

    def _event_of(self, noun, *, bare: bool = False) -> str | None:
        """For a count of people: what happened to them. Direct modifiers
        first ("14 dead"), then the verb ("were killed", "killing all 11
        on board"), then where they were ("30 people aboard")."""
        for child in noun.children:
            if child.dep_ in ("amod", "acomp", "acl", "relcl"):
                hit = self.event_counts.get(child.lemma_.lower())
                if hit:
                    return hit
        if noun.lemma_.lower() in self.noun_counts and noun.pos_ != "NUM":
            return self.noun_counts[noun.lemma_.lower()]
        for child in noun.children:
            # "three of the dead", "two of the survivors"
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    lemma = obj.lemma_.lower()
                    if obj.dep_ == "pobj" and lemma in self.noun_counts:
                        return self.noun_counts[lemma]
                    if obj.dep_ == "pobj" and lemma in self.event_counts:
                        return self.event_counts[lemma]
        hit = self._event_of_verb(noun)
        if hit:
            return hit
        if (
            bare
            and noun.dep_ == "pobj"
            and noun.head.lower_ == "of"
            and noun.head.head.pos_ in ("NOUN", "PROPN")
        ):
            # "kills a family of five": the group noun takes the verb.
            hit = self._event_of_verb(noun.head.head)
            if hit:
                return hit
        for child in noun.children:
            if child.dep_ == "advmod":
                hit = self.event_counts.get(child.lemma_.lower())
                if hit:
                    return hit
            if (
                child.dep_ == "prep"
                and child.lower_ == "on"
                and any(g.lower_ == "board" for g in child.children)
            ):
                return "aboard"
        return None

    def _event_of_verb(self, noun) -> str | None:
        head = noun
        dep = noun.dep_
        while dep == "conj" and head.head.i != head.i:
            head = head.head
            dep = head.dep_
        if dep == "pobj" and head.head.dep_ == "prep":
            # "the killing of 14 people", "among the 14 dead"
            verb = head.head.head
        elif dep in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "npadvmod"):
            verb = head.head
        else:
            return None
        hit = self.event_counts.get(verb.lemma_.lower())
        if hit:
            return hit
        for child in verb.children:
            if child.dep_ in ("acomp", "advmod", "attr", "oprd", "xcomp"):
                hit = self.event_counts.get(child.lemma_.lower())
                if hit:
                    return hit
            if child.dep_ == "prep" and child.lower_ in ("among", "of"):
                # "Two children were among those rescued"
                for obj in child.children:
                    for mod in obj.children:
                        if mod.dep_ in ("acl", "relcl", "amod"):
                            hit = self.event_counts.get(mod.lemma_.lower())
                            if hit:
                                return hit
        return None

    def _toll(self, tok) -> tuple[str | None, bool] | None:
        """None unless the number is a toll or tally ("bringing the death
        toll to at least 57", "the number of people killed rose to 112");
        then what it counts (if the phrase says) and whether it is a
        campaign total."""
        node = tok
        for _ in range(3):
            head = node.head
            if head.i == node.i:
                break
            near = [head, *head.children]
            aggregate = next(
                (t for t in near if t.lemma_.lower() in AGGREGATE_NOUNS), None
            )
            if (
                aggregate is None
                and head.lemma_.lower() in RISING_LEMMAS
                and tok.head.lower_ == "to"
            ):
                # "police killings rose to 230": the subject says what.
                for child in head.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        hit = self.event_counts.get(child.lemma_.lower())
                        if hit:
                            return hit, True
            if aggregate is not None:
                counts = None
                if aggregate.lemma_.lower() in ("toll", "tally"):
                    counts = "killed"
                for t in aggregate.subtree:
                    hit = self.event_counts.get(t.lemma_.lower())
                    if hit and t.i != tok.i:
                        counts = hit
                        break
                if aggregate.lemma_.lower() not in ("toll", "tally") and not counts:
                    return None
                cumulative = head.lemma_.lower() in self.cumulative_heads
                return counts, cumulative or self._is_cumulative(tok)
            node = head
        return None

    def _is_cumulative(self, tok) -> bool:
        """A running-total word in the number's own phrase (up to the next
        comma either side): "since September", "so far", "a total of"."""
        doc = tok.doc
        sent = tok.sent
        window = []
        for step in (-1, 1):
            i = tok.i + step
            while sent.start <= i < sent.end and abs(i - tok.i) <= 8:
                if doc[i].text in (",", ";", ":", "--") or doc[i].text in QUOTES:
                    break
                window.append(doc[i])
                i += step
        lemmas = {t.lemma_.lower() for t in window}
        return bool(lemmas & self.cumulative_lemmas)


# --- attribution --------------------------------------------------------------


@Language.factory(
    "glossa_attribution_v1",
    default_config={
        "verbs": {"@misc": "glossa.reporting_verbs.v1"},
        "claimants": {"@misc": "glossa.claimant_lexicon.v1"},
    },
)
def make_attribution(
    nlp: Language, name: str, *, verbs: dict[str, Any], claimants: dict[str, Any]
) -> AttributionFinder:
    return AttributionFinder(nlp, name, data={"verbs": verbs, "claimants": claimants})


PLATFORMS = {
    "x": "X",
    "x.": "X",
    "twitter": "Twitter",
    "facebook": "Facebook",
    "telegram": "Telegram",
    "instagram": "Instagram",
    "truth": "Truth Social",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "media": "social media",
}
# Verbs of saying proper: only these take a quotation, a preceding clause
# ("..., Relk said") or a plain object ("denied the report") as content.
SPEECH_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "add",
        "write",
        "post",
        "state",
        "announce",
        "claim",
        "insist",
        "allege",
        "deny",
        "report",
        "tweet",
        "note",
        "explain",
        "warn",
        "argue",
        "declare",
        "confirm",
        "acknowledge",
        "admit",
        "maintain",
        "contend",
        "reject",
        "dispute",
        "describe",
        "call",
        "label",
        "brand",
        "testify",
        "respond",
        "reply",
        "assert",
        "dismiss",
        "refute",
        "conclude",
        "designate",
        "urge",
        "demand",
        "appeal",
        "condemn",
        "denounce",
        "decry",
        "criticise",
        "criticize",
        "classify",
        "deem",
        "consider",
        "dub",
        "term",
    }
)
# Under a negated verb of telling, nothing inside is asserted.
WITHHOLDING_HEADS = frozenset(
    {"say", "explain", "specify", "disclose", "reveal", "tell", "show", "detail"}
)
# A reporting verb under these ("declined to say") reports nothing.
NON_ANSWER_HEADS = frozenset({"decline", "refuse", "fail", "avoid", "hesitate"})
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them"})
SKIP_SUBTREE_DEPS = frozenset({"relcl", "acl", "appos", "punct", "advcl", "cc"})
VOICE_LEMMAS = frozenset(
    {
        "statement",
        "release",
        "communique",
        "communiqué",
        "readout",
        "briefing",
        "remark",
        "remarks",
        "speech",
        "address",
        "bulletin",
        "declaration",
    }
)


class AttributionFinder(DataComponent):
    """Reporting verbs and "according to": source, cue, content, claimant.

    Sources that are pronouns or bare surnames are resolved to the last
    fuller mention ("Defence Minister Tomas Relk" ... "Relk said" ... "he
    said"), so every attribution names a claimant and its type.
    """

    def _build(self) -> None:
        verbs = self.data["verbs"]
        self.family = {
            lemma: family
            for family in ("neutral", "factive", "distancing", "negative")
            for lemma in verbs.get(family) or []
        }
        self.speech_nouns = frozenset(verbs.get("speech_nouns") or [])
        self.typer = ct.ClaimantTyper(self.data["claimants"])
        self.matcher = Matcher(self.nlp.vocab)
        self.matcher.add(
            "VERB",
            [[{"LEMMA": {"IN": sorted(self.family)}, "POS": {"IN": ["VERB"]}}]],
        )
        self.matcher.add("ACCORDING", [[{"LOWER": "according"}, {"LOWER": "to"}]])
        self.matcher.add(
            "VIOLENT",
            [[{"LEMMA": {"IN": sorted(ct.VIOLENT_LEMMAS)}, "POS": "VERB"}]],
        )

    def __call__(self, doc: Doc) -> Doc:
        strings = self.nlp.vocab.strings
        matches = [(strings[m], s, e) for m, s, e in self.matcher(doc)]
        ents = list(doc.ents)  # doc.ents rebuilds its spans on each access
        violent = [doc[s] for label, s, _ in matches if label == "VIOLENT"]
        acting = self.typer.acting_state(violent)
        memory: dict[str, tuple[str, str]] = {}
        last: dict[str, tuple[str, str]] = {}
        voice = self._voice(doc)
        doc._.glossa_voice = voice
        if voice:
            # "Tidewatch condemns ..." in Tidewatch's own statement.
            for word in voice["claimant"].split():
                if word[:1].isupper() and word.lower() not in ("the", "of"):
                    memory.setdefault(
                        word.lower(), (voice["claimant"], voice["claimant_type"])
                    )
        found = []
        for label, start, end in matches:
            if label == "VIOLENT":
                continue
            if label == "ACCORDING":
                item = self._according(doc, start, end)
            else:
                item = self._reported(doc[start])
            if item is None:
                continue
            self._name(doc, item, acting, memory, last, ents)
            found.append(item)
        doc._.glossa_attributions = found
        return doc

    # The document's own voice: "Statement by the Ministry of Defence".
    def _voice(self, doc: Doc) -> dict[str, Any] | None:
        for sent in list(doc.sents)[:1]:
            lemmas = {t.lemma_.lower() for t in sent}
            if not lemmas & VOICE_LEMMAS or len(sent) > 25:
                continue
            if sent.root.pos_ in ("VERB", "AUX"):
                continue  # a sentence, not a heading naming the author
            kind = self.typer.type_of(list(sent))
            if kind:
                return {
                    "claimant": _heading_author(sent),
                    "claimant_type": kind,
                    "sentence_start": sent.start,
                }
        return None

    def _according(self, doc: Doc, start: int, end: int) -> dict[str, Any] | None:
        to = doc[end - 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            return None
        source = self._speaker_of(objects[0])
        sent = doc[start].sent
        phrase_end = max(t.i for t in source.subtree) + 1
        content = (phrase_end, sent.end) if start == sent.start else (sent.start, start)
        content = _trim(doc, *content)
        return {
            "kind": "according_to",
            "cue": (start, end),
            "cue_lemma": "according to",
            "family": "neutral",
            "source_token": source.i,
            "source": _core(source),
            "source_full": (source.left_edge.i, source.right_edge.i + 1),
            "content": content,
            "platform": "",
        }

    def _reported(self, verb) -> dict[str, Any] | None:
        if _negated(verb):
            return None  # "did not say how": a non-answer, not an attribution
        if verb.dep_ == "xcomp" and (
            verb.head.lemma_.lower() in NON_ANSWER_HEADS or _negated(verb.head)
        ):
            return None  # "declined to say whether": a refusal
        for depth, ancestor in enumerate(verb.ancestors):
            if depth >= 3:
                break
            if ancestor.lemma_.lower() in WITHHOLDING_HEADS and _negated(ancestor):
                return None  # "did not say how they determined that ..."
        subject = self._subject(verb)
        if subject is None:
            agent = _passive_agent(verb)
            if agent is None:
                return None
            # "The strikes were condemned as unlawful by UN experts."
            source = self._speaker_of(agent)
            content = _trim(verb.doc, verb.left_edge.i, agent.head.i)
            if content[1] <= content[0]:
                return None
        else:
            source = self._speaker_of(subject)
            content = self._content(verb, subject)
        if content is None:
            return None
        doc = verb.doc
        lo, hi = content
        near = range(max(lo - 2, 0), min(hi + 2, len(doc)))
        quoted = any(doc[i].text in QUOTES for i in near)
        return {
            "kind": "direct" if quoted else "indirect",
            "cue": (verb.i, verb.i + 1),
            "cue_lemma": verb.lemma_.lower(),
            "family": self.family.get(verb.lemma_.lower(), "neutral"),
            "source_token": source.i,
            "source": _core(source),
            "source_full": (source.left_edge.i, source.right_edge.i + 1),
            "content": content,
            "platform": self._platform(verb),
        }

    def _speaker_of(self, noun):
        """The speaker behind a speech noun: "Relk's post", "a statement
        from the ministry", "a tally by the group"; else the noun itself."""
        if noun.lemma_.lower() not in self.speech_nouns:
            return noun
        for child in noun.children:
            if child.dep_ == "poss":
                return child
            if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from", "of"):
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return objects[0]
        return noun

    @staticmethod
    def _subject(verb):
        subject = AttributionFinder._find_subject(verb)
        if subject is not None and subject.tag_ in ("WDT", "WP", "WRB"):
            return None
        if (
            subject is not None
            and subject.lower_ in ("which", "what", "that", "who")
            and subject.dep_ == "nsubj"
            and verb.dep_ != "relcl"
        ):
            return None
        return subject

    @staticmethod
    def _find_subject(verb):
        node = verb
        for _ in range(3):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i != verb.i:
                    if child.dep_ == "nsubjpass" and node.i == verb.i:
                        return None  # "was told", "were described": no speaker
                    return child
            if node.dep_ in ("conj", "xcomp", "advcl") and node.head.i != node.i:
                node = node.head
            else:
                break
        return None

    def _content(self, verb, subject) -> tuple[int, int] | None:
        doc = verb.doc
        sent = verb.sent
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
        if comps:
            lo = min(c.left_edge.i for c in comps)
            hi = max(c.right_edge.i for c in comps) + 1
            return _trim(doc, lo, hi)
        if verb.lemma_.lower() not in SPEECH_LEMMAS:
            return None  # factive verbs ("show", "establish") need a clause
        quote = _adjacent_quote(verb)
        if quote is not None:
            return quote
        if verb.dep_ in ("conj", "parataxis", "ccomp") and verb.head.i < verb.i:
            # "X killed 14 people ..., Hegseth said": the clause before.
            head = verb.head
            lo = head.left_edge.i
            hi = min(verb.left_edge.i, subject.left_edge.i)
            if hi - lo >= 3:
                return _trim(doc, lo, hi)
        if verb.dep_ == "ROOT" and subject.i > verb.i and verb.i - sent.start >= 3:
            # '"...," said Ines Markova': the clause before the verb.
            return _trim(doc, sent.start, verb.i)
        objects = [
            c
            for c in verb.children
            if c.dep_ in ("dobj", "oprd", "xcomp")
            or (c.dep_ == "prep" and c.lower_ == "as")
        ]
        if objects and verb.lemma_.lower() not in {"show", "find", "note"}:
            lo = min(o.left_edge.i for o in objects)
            hi = max(o.right_edge.i for o in objects) + 1
            return _trim(doc, lo, hi)
        return None

    def _named_earlier(self, tok, ents) -> tuple[str, str] | None:
        """An earlier organisation whose name ends in this noun."""
        lemma = tok.lemma_.lower()
        found = None
        for ent in ents:
            if ent.start >= tok.i:
                break
            if ent.label_ in ("ORG", "NORP", "FAC") and ent[-1].lemma_.lower() == lemma:
                found = (ent.text, self.typer.type_of(list(ent)))
        return found

    def _introduction(self, tok, ents) -> tuple[str, str] | None:
        """An earlier mention of the same person with a title or role:
        "Defence Minister Ola Brant ordered ..." before "Brant said"."""
        for ent in ents:
            if ent.start >= tok.i:
                break
            if ent.label_ != "PERSON" or ent[-1].lower_ != tok.lower_:
                continue
            root = ent.root
            kind = self.typer.type_of(list(root.subtree))
            if kind:
                lo, hi = _core(root)
                return tok.doc[lo:hi].text.strip(), kind
        return None

    def _antecedent(self, pronoun):
        """For "it": the nearest earlier subject naming a state or body."""
        doc = pronoun.doc
        lo = max(0, pronoun.sent.start - 60)
        for i in range(pronoun.i - 1, lo - 1, -1):
            tok = doc[i]
            if (
                tok.dep_ in ("nsubj", "nsubjpass")
                and tok.pos_ == "PROPN"
                and (tok.ent_type_ in ("GPE", "ORG", "NORP"))
            ):
                return tok
        return None

    def _platform(self, verb) -> str:
        for tok in verb.subtree:
            if tok.dep_ == "pobj" and tok.head.lower_ == "on":
                name = PLATFORMS.get(tok.lower_)
                if name and (
                    tok.lower_ != "media" or (tok.i and tok.nbor(-1).lower_ == "social")
                ):
                    return name
        return ""

    def _name(self, doc, item, acting, memory, last, ents) -> None:
        """Fill claimant and claimant_type, resolving pronouns and surnames."""
        tok = doc[item["source_token"]]
        lo, hi = item["source_full"]
        full = list(doc[lo:hi])
        core = doc[item["source"][0] : item["source"][1]]
        name = core.text.strip()
        named = [
            c for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"
        ]
        if named and tok.ent_type_ != "PERSON":
            # "Veridia's foreign minister, Lia Domar": role and name.
            lo, hi = _core(named[0])
            name = f"{name}, {doc[lo:hi].text.strip()}"
        kind = self.typer.type_of(full)
        person = tok.ent_type_ == "PERSON"
        if tok.lower_ in PRONOUNS and tok.pos_ == "PRON":
            key = "person" if tok.lower_ in ("he", "she", "him", "her") else "group"
            antecedent = self._antecedent(tok) if tok.lower_ == "it" else None
            if antecedent is not None:
                name = doc[slice(*_core(antecedent))].text
                kind = self.typer.type_of(list(antecedent.subtree)) or kind
                if kind in (ct.OFFICIAL, ct.MILITARY) and acting:
                    states = self.typer.states_in(list(antecedent.subtree))
                    if states and not states & acting:
                        kind = ct.OTHER_GOVERNMENT
            elif key in last:
                name, kind = last[key]
        elif (
            tok.pos_ == "NOUN"
            and tok.lemma_.lower() in memory
            and (not kind or any(c.lower_ == "the" for c in tok.children))
        ):
            # "the group said", after "Citizens' Watch, a monitoring group".
            name, kind = memory[tok.lemma_.lower()]
        elif tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children):
            # "the network said", after "Harbour Rights Network documented".
            named = self._named_earlier(tok, ents)
            if named is not None and (named[1] or not kind):
                name, kind = named[0], named[1] or kind
        elif person or tok.pos_ == "PROPN":
            surname = tok.lower_
            if kind:
                memory[surname] = (name, kind)
            elif surname in memory:
                name, kind = memory[surname]
                person = True
            else:
                introduced = self._introduction(tok, ents)
                if introduced is not None:
                    name, kind = introduced
                    memory[surname] = introduced
                    person = True
        if kind in (ct.OFFICIAL, ct.MILITARY) and acting:
            states = self.typer.states_in(list(core))
            if states and not states & acting:
                kind = ct.OTHER_GOVERNMENT
        if kind and tok.pos_ == "PROPN":
            # Remember descriptions for later "the group", "the agency".
            for child in tok.children:
                if child.dep_ == "appos":
                    memory.setdefault(child.lemma_.lower(), (name, kind))
        if kind and tok.pos_ == "NOUN" and name == core.text.strip():
            memory.setdefault(tok.lemma_.lower(), (name, kind))
        if person or tok.lower_ in ("he", "she"):
            last["person"] = (name, kind)
        elif tok.pos_ in ("PROPN", "NOUN"):
            last["group"] = (name, kind)
        item["claimant"] = name
        item["claimant_type"] = kind or ct.UNATTRIBUTED


HEADING_CUTS = (",", " on ", " about ", " regarding ", " concerning ", " following ")


def _heading_author(sent) -> str:
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


def _passive_agent(verb):
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


def _negated(verb) -> bool:
    node = verb
    for _ in range(2):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if node.dep_ != "conj":
            return False
        node = node.head
    return False


def _core(token) -> tuple[int, int]:
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


def _trim(doc: Doc, lo: int, hi: int) -> tuple[int, int]:
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


def _adjacent_quote(verb) -> tuple[int, int] | None:
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
