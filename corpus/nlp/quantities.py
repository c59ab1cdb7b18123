"""The ``glossa_quantities_v1`` component: numbers and what they count."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp.base import QUOTES, DataComponent


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
