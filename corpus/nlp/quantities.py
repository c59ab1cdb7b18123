"""The ``glossa_quantities_v1`` component: numbers and what they count.

Every word list lives in ``patterns/quantities.yaml``; lemmas there match
in any case and inflection (``corpus.nlp.lexicon``), so "TEN CIVILIANS
KILLED" reads as "ten civilians killed".
"""

from __future__ import annotations

import itertools
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp.base import QUOTES, DataComponent
from corpus.nlp.lexicon import (
    Inflector,
    PatternDataError,
    require_keys,
    require_mapping,
    require_words,
    token_lemma,
)

REQUIRED = (
    "number_words",
    "vague_words",
    "count_nouns",
    "person_nouns",
    "event_words",
    "bounds",
    "cumulative_lemmas",
    "cumulative_heads",
)
WORD_LISTS = (
    "person_nouns",
    "cumulative_lemmas",
    "cumulative_heads",
    "rising_lemmas",
    "aggregate_nouns",
    "toll_nouns",
    "skip_entities",
    "period_nouns",
    "period_prepositions",
    "incident_nouns",
    "subset_words",
    "one_not_after",
    "period_quantifiers",
    "incident_prepositions",
    "range_joiners",
    "open_periods",
    "range_openers",
    "verb_override_exempt",
)
GROUPS = ("count_nouns", "event_words", "verb_overrides")
CASUALTY = frozenset({"killed", "injured", "survivors", "missing", "aboard"})


@Language.factory(
    "glossa_quantities_v1",
    default_config={"data": {"@misc": "glossa.quantity_lexicon.v1"}},
)
def make_quantities(
    nlp: Language, name: str, *, data: dict[str, Any]
) -> QuantityFinder:
    return QuantityFinder(nlp, name, data=data)


def validate_quantity_data(data: Any, where: str = "quantity data") -> dict[str, Any]:
    """Check the shape of the quantity data; the error names the entry."""
    data = require_mapping(data, where)
    require_keys(data, REQUIRED, where)
    for key in WORD_LISTS:
        if data.get(key) is not None:
            require_words(data[key], f"{where}: {key}")
    for key in ("number_words", "multipliers", "vague_scalers"):
        for word, value in require_mapping(
            data.get(key) or {}, f"{where}: {key}"
        ).items():
            if not isinstance(value, int) or isinstance(value, bool):
                raise PatternDataError(
                    f"{where}: {key}: {word!r} must be a whole number, not {value!r}."
                )
    for word, value in require_mapping(
        data["vague_words"], f"{where}: vague_words"
    ).items():
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not isinstance(value[0], int)
            or not isinstance(value[1], str)
        ):
            raise PatternDataError(
                f"{where}: vague_words: {word!r} must be [number, bound], "
                f"not {value!r}."
            )
    for key in GROUPS:
        for counts, words in require_mapping(
            data.get(key) or {}, f"{where}: {key}"
        ).items():
            require_words(words, f"{where}: {key}: {counts}")
    for bound, phrases in require_mapping(data["bounds"], f"{where}: bounds").items():
        if not isinstance(phrases, list):
            raise PatternDataError(
                f"{where}: bounds: {bound} must be a list of phrases."
            )
        for phrase in phrases:
            require_words(phrase, f"{where}: bounds: {bound}", allow_empty=False)
    for lemma, forms in require_mapping(
        data.get("irregular_forms") or {}, f"{where}: irregular_forms"
    ).items():
        require_words(forms, f"{where}: irregular_forms: {lemma}")
    return data


class QuantityFinder(DataComponent):
    """Numbers (digits, number words, vague words) and what they count.

    What is counted comes from the noun the number modifies ("14 people",
    "four boats") and, for people, from the verb or modifier that says what
    happened to them ("were killed", "survived", "aboard", "missing"). A
    count of anything else (reports, encounters, detainees held, years) is
    no figure. A number is cumulative when its phrase names a running total
    or a period ("so far", "since April", "in six months", "attacks killed
    thousands"), and a subset ("including seven children") or a number
    coordinated with a total shares its scope.
    """

    def _build(self) -> None:
        data = validate_quantity_data(self.data)
        inflector = Inflector(data.get("irregular_forms"), lang=self.nlp.lang)
        self.words = {k.lower(): int(v) for k, v in data["number_words"].items()}
        self.multipliers = {
            k.lower(): int(v) for k, v in (data.get("multipliers") or {}).items()
        }
        self.vague = {k: (int(v[0]), v[1]) for k, v in data["vague_words"].items()}
        # "tens of thousands": a vague word scaled by the one before "of".
        self.vague_scalers = {
            k.lower(): int(v) for k, v in (data.get("vague_scalers") or {}).items()
        }

        def group(key: str) -> dict[str, str]:
            return {
                lemma.lower(): counts
                for counts, lemmas in (data.get(key) or {}).items()
                for lemma in lemmas
            }

        self.noun_counts = group("count_nouns")
        self.event_counts = group("event_words")
        self.verb_overrides = group("verb_overrides")
        lists = {key: [w.lower() for w in data.get(key) or []] for key in WORD_LISTS}
        self.person_nouns = frozenset(lists["person_nouns"])
        self.cumulative_lemmas = frozenset(lists["cumulative_lemmas"])
        self.cumulative_heads = frozenset(lists["cumulative_heads"])
        self.rising = frozenset(lists["rising_lemmas"])
        self.aggregates = frozenset(lists["aggregate_nouns"])
        self.tolls = frozenset(lists["toll_nouns"])
        self.skip_ents = frozenset(w.upper() for w in lists["skip_entities"])
        self.period_nouns = frozenset(lists["period_nouns"])
        self.period_preps = frozenset(lists["period_prepositions"])
        self.period_quantifiers = frozenset(lists["period_quantifiers"])
        self.incident_preps = frozenset(lists["incident_prepositions"])
        self.range_joiners = frozenset(lists["range_joiners"])
        self.open_periods = frozenset(lists["open_periods"])
        self.range_openers = frozenset(lists["range_openers"])
        self.override_exempt = frozenset(lists["verb_override_exempt"])
        self.incident_nouns = frozenset(lists["incident_nouns"])
        self.subset_words = frozenset(lists["subset_words"])
        self.one_not_after = frozenset(lists["one_not_after"])
        self.forms = inflector.form_index(
            itertools.chain(
                self.noun_counts,
                self.event_counts,
                self.verb_overrides,
                *(lists[k] for k in WORD_LISTS),
            )
        )
        self.bounds = sorted(
            (
                (tuple(w.lower() for w in words), bound)
                for bound, phrases in data["bounds"].items()
                for words in phrases
            ),
            key=lambda item: -len(item[0]),
        )
        self.bound_reach = max((len(words) for words, _ in self.bounds), default=0)
        self.matcher = Matcher(self.nlp.vocab)
        self.matcher.add(
            "NUMBER",
            [
                [{"LIKE_NUM": True}],
                [{"LOWER": {"IN": sorted(self.vague)}}],
                [{"LOWER": {"IN": ["dozen"]}}],
            ],
        )

    def lemma(self, tok) -> str:
        return token_lemma(tok, self.forms)

    def __call__(self, doc: Doc) -> Doc:
        found: list[dict[str, Any]] = []
        self._found = found
        taken: set[int] = set()
        for _, start, _end in self.matcher(doc):
            if start in taken:
                continue
            item = self._quantity(doc[start], taken)
            if item is not None:
                found.append(item)
        self._found = []
        self._share_scope(doc, found)
        doc._.glossa_quantities = found
        return doc

    # --- the number itself ---------------------------------------------

    def _phrase(self, tok) -> tuple[float, int] | None:
        """(value, index of the last token) of a number phrase starting at
        ``tok``: "one hundred and five", "1.2 million", "forty-two"."""
        doc = tok.doc
        value = self._word_value(tok)
        if value is None:
            return None
        last = tok.i
        i = tok.i + 1
        while i < len(doc):
            word = doc[i].lower_
            if word in self.multipliers and value < 1000 and doc[i - 1].i == last:
                value = int(value * self.multipliers[word])
                last = i
                i += 1
                continue
            if (
                word in ("and", "-")
                and i + 1 < len(doc)
                and doc[i + 1].lower_ in self.words
                and 0 < self.words[doc[i + 1].lower_] < 100
                and (word == "-" or value >= 100)
                and not doc[i + 1].lower_.startswith("hundred")
            ):
                value += self.words[doc[i + 1].lower_]
                last = i + 1
                i += 2
                continue
            break
        return value, last

    def _word_value(self, tok) -> float | None:
        text = tok.lower_.replace(",", "")
        if text.isdigit():
            return int(text)
        if text in self.words:
            return self.words[text]
        try:
            return float(text)
        except ValueError:
            return None

    def _quantity(self, tok, taken: set[int]) -> dict[str, Any] | None:
        if tok.ent_type_ in self.skip_ents and not self._counts_people(tok):
            return None
        doc = tok.doc
        # "F-35", "B-52": part of a name, not a count.
        if tok.i > 0 and doc[tok.i - 1].text == "-" and not doc[tok.i - 2].whitespace_:
            return None
        if (
            tok.i > 0
            and doc[tok.i - 1].text in ("-", "and")
            and (
                doc[tok.i - 2].lower_ in self.words
                or doc[tok.i - 2].lower_ in self.multipliers
            )
        ):
            return None  # the tail of "forty-two", "one hundred and five"
        if tok.lower_ == "one" and self._one_is_no_count(tok):
            return None
        vague_bound = ""
        scaled = False
        if tok.lower_ in self.vague:
            value, vague_bound = self.vague[tok.lower_]
            last = tok.i
            if (
                tok.i > 1
                and doc[tok.i - 1].lower_ == "of"
                and doc[tok.i - 2].lower_ in self.vague_scalers
            ):
                value *= self.vague_scalers[doc[tok.i - 2].lower_]
                scaled = True
        else:
            phrase = self._phrase(tok)
            if phrase is None:
                return None
            value, last = int(phrase[0]), phrase[1]
        if (
            1000 < value < 2200
            and tok.text.isdigit()
            and len(tok.text) == 4
            and not self._counts_people(tok)
            and not self._bound(tok)
        ):
            return None  # a year, not "approximately 1100 troops"
        if value <= 0:
            return None  # a stated zero is not a figure
        range_bound = ""
        if not vague_bound:
            upper = self._range_end(tok, last)
            if upper is not None:
                range_bound = "range"
                taken.update(range(last, upper + 1))
        taken.update(range(tok.i, last + 1))
        # The word of a number phrase attached outside it carries the
        # syntax ("hundred" in "one hundred and five civilians").
        syn = next(
            (t for t in doc[tok.i : last + 1] if not tok.i <= t.head.i <= last),
            doc[last],
        )
        counts, cumulative = self._counts(syn)
        if counts is None:
            return None
        bound = vague_bound or range_bound or self._bound(tok)
        start = tok.i
        if range_bound and tok.i > 0 and doc[tok.i - 1].lower_ in self.range_openers:
            start = tok.i - 1
        elif bound and not vague_bound:
            start = self._bound_start(tok)
        elif scaled:
            start = tok.i - 2  # "tens of thousands"
        noun = (
            syn.head
            if syn.dep_ in ("nummod", "quantmod", "amod", "det", "compound")
            else syn
        )
        end = max(syn.i, noun.i) + 1 if 0 <= noun.i - syn.i <= 4 else syn.i + 1
        return {
            "start": start,
            "end": end,
            "number": tok.i,
            "value": value,
            "counts": counts,
            "bound": bound or "exact",
            "cumulative": cumulative,
        }

    def _counts_people(self, tok) -> bool:
        """A number modifying a person noun ("between 20 and 30 civilians",
        which the entity recogniser may call a date)."""
        node = tok
        while node.dep_ in ("conj", "quantmod", "compound") and node.head.i != node.i:
            node = node.head
        return node.dep_ == "nummod" and self.lemma(node.head) in self.person_nouns

    def _range_end(self, tok, last: int) -> int | None:
        """The index of M in "between N and M", "N to M", "N-M", else None."""
        doc = tok.doc
        i = last + 1
        if (
            i + 1 < len(doc)
            and doc[i].lower_ in self.range_joiners
            and doc[i + 1].like_num
        ):
            if doc[i].lower_ == "and" and not (
                tok.i > 0 and doc[tok.i - 1].lower_ in self.range_openers
            ):
                return None
            return i + 1
        return None

    def _one_is_no_count(self, tok) -> bool:
        """ "another one", "one of the dead": a person singled out, not a
        figure."""
        doc = tok.doc
        if tok.i > 0 and doc[tok.i - 1].lower_ in self.one_not_after:
            return True
        return tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of"

    def _bound(self, tok) -> str:
        at = self._bound_words(tok)
        return "" if at is None else self.bounds[at][1]

    def _bound_start(self, tok) -> int:
        at = self._bound_words(tok)
        return tok.i if at is None else tok.i - len(self.bounds[at][0])

    def _bound_words(self, tok) -> int | None:
        """The index in ``bounds`` of the (longest) bound phrase right
        before ``tok``, or None. The words before it are read once, not
        once per phrase."""
        if not self.bounds:
            return None
        before = tuple(
            t.lower_ for t in tok.doc[max(0, tok.i - self.bound_reach) : tok.i]
        )
        for index, (words, _bound) in enumerate(self.bounds):
            n = len(words)
            if n <= len(before) and before[len(before) - n :] == words:
                return index
        return None

    # --- what it counts -------------------------------------------------

    def _counts(self, tok) -> tuple[str | None, bool]:
        """What ``tok`` counts, and whether it is a running total."""
        noun = tok.head if tok.dep_ in ("nummod", "quantmod") else tok
        while (
            noun is not tok
            and noun.like_num
            and noun.dep_ in ("nummod", "quantmod")
            and noun.head.i != noun.i
        ):
            noun = noun.head  # "1,200-1,500 personnel": the range's noun
        if (
            tok.dep_ in ("amod", "det", "compound")
            and tok.head.pos_ in ("NOUN", "PROPN")
            and not tok.head.like_num
        ):
            noun = tok.head  # "several civilians"; "Eleven Dead" in a headline
        if (
            noun is not tok
            and noun.pos_ in ("DET", "ADV")
            and noun.head.pos_ in ("NOUN", "PROPN")
            and noun.head.i > tok.i
        ):
            # Spanish parses hang the number on a determiner or adverb
            # before the noun: "otros tres heridos", "más de 200 lesionados".
            noun = noun.head
        if (
            tok.dep_ == "pobj"
            and tok.head.lower_ == "of"
            and tok.head.head.pos_ in ("NOUN", "PROPN")
        ):
            # "a death toll of 57", "the bodies of 9"
            noun = tok
        lemma = self.lemma(noun)
        counts = None
        if noun is not tok and lemma in self.noun_counts:
            counts = self.noun_counts[lemma]
            verb = noun.head
            override = self.verb_overrides.get(self.lemma(verb))
            if override and counts == "killed" and lemma not in self.override_exempt:
                counts = override
        elif noun is not tok and noun.pos_ == "NOUN" and lemma not in self.person_nouns:
            return None, False  # "97 reports", "420 encounters", "2 buildings"
        else:
            counts = self._event_of(noun, bare=noun is tok)
        if counts is None:
            counts = self._subset_of(noun)
        if counts is None:
            counts = self._like_its_partner(tok)
        cumulative = False
        toll = self._toll(tok)
        if toll is not None:
            counts = toll[0] or counts or "killed"
            cumulative = toll[1]
        elif counts is not None:
            cumulative = self._is_cumulative(tok, noun)
        return counts, cumulative

    def _subset_of(self, noun) -> str | None:
        """ "killed 10 civilians, including seven children": the subset
        counts what its head counts."""
        head = noun.head
        if noun.dep_ == "pobj" and self.lemma(head) in self.subset_words:
            owner = head.head
            if owner.pos_ == "VERB" and owner.dep_ in ("acl", "prep", "advcl"):
                owner = owner.head
            counts, _ = self._head_counts(owner)
            return counts
        return None

    def _like_its_partner(self, tok) -> str | None:
        """ "101 of them ... and four nearby": a number of a pronoun, or a
        number coordinated with another, counts what the casualty number
        before it in the sentence counts."""
        pronoun = any(
            c.dep_ == "prep"
            and c.lower_ == "of"
            and any(g.pos_ == "PRON" for g in c.children)
            for c in tok.children
        )
        partner = tok.dep_ == "conj" and tok.head.like_num
        if not (pronoun or partner):
            return None
        for prior in reversed(self._found):
            if prior["number"] < tok.i and prior["number"] >= tok.sent.start:
                return prior["counts"] if prior["counts"] in CASUALTY else None
        return None

    def _head_counts(self, owner) -> tuple[str | None, bool]:
        for child in owner.children:
            if child.dep_ == "nummod" or child.like_num:
                return self._counts(child)
        if owner.like_num:
            return self._counts(owner)
        return self._event_of(owner), False

    def _event_of(self, noun, *, bare: bool = False) -> str | None:
        """For a count of people: what happened to them. Direct modifiers
        first ("14 dead"), then the verb ("were killed", "killing all 11
        on board"), then where they were ("30 people aboard")."""
        for child in noun.children:
            if child.dep_ in ("amod", "acomp", "acl", "relcl"):
                hit = self.event_counts.get(self.lemma(child))
                if hit:
                    return hit
        lemma = self.lemma(noun)
        if lemma in self.noun_counts and noun.pos_ != "NUM":
            return self.noun_counts[lemma]
        for child in noun.children:
            # "three of the dead", "13 of those killed", "four of the
            # people who were killed", "30 children among the dead"
            if child.dep_ == "prep" and child.lower_ in ("of", "among"):
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    hit = self.noun_counts.get(
                        self.lemma(obj)
                    ) or self.event_counts.get(self.lemma(obj))
                    if hit:
                        return hit
                    for mod in obj.children:
                        if mod.dep_ in ("acl", "relcl", "amod"):
                            hit = self.event_counts.get(self.lemma(mod))
                            if hit:
                                return hit
        hit = self._event_of_verb(noun)
        if hit:
            return hit
        if (
            bare
            and noun.dep_ == "pobj"
            and noun.head.lower_ == "of"
            and noun.head.head.pos_ in ("NOUN", "PROPN")
        ):
            # "kills a family of five", "the killings of two activists":
            # the group noun takes the verb, or is the event.
            group = noun.head.head
            hit = self.event_counts.get(self.lemma(group)) or self._event_of_verb(group)
            if hit:
                return hit
        if noun.dep_ == "pobj" and noun.head.lower_ == "of":
            group = noun.head.head
            hit = self.event_counts.get(self.lemma(group))
            if hit and group.pos_ == "NOUN":
                return hit  # "the killings in April of two activists"
        if (
            noun.dep_ == "nmod"
            and noun.head.pos_ == "NOUN"
            and any(c.dep_ == "case" and c.lower_ == "de" for c in noun.children)
        ):
            # Spanish: "la muerte de 153 personas", "el asesinato de dos
            # activistas" (the noun hangs on the event noun, with "de").
            hit = self.event_counts.get(self.lemma(noun.head))
            if hit:
                return hit
        for child in noun.children:
            if child.dep_ == "advmod":
                hit = self.event_counts.get(self.lemma(child))
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
        elif dep in ("nsubj", "nsubjpass", "dobj", "obj", "attr", "appos", "npadvmod"):
            verb = head.head
        else:
            return None
        if (
            dep == "dobj"
            and verb.dep_ == "conj"
            and not any(
                c.dep_ in ("dobj", "nsubjpass", "nsubj") for c in verb.head.children
            )
        ):
            # "killing and injuring dozens": the first verb says it
            first = self.event_counts.get(self.lemma(verb.head))
            if first:
                return first
        hit = self.event_counts.get(self.lemma(verb))
        if hit:
            return hit
        for child in verb.children:
            if child.dep_ == "nsubj" and dep == "attr":
                # "the dead were ten villagers"
                hit = self.noun_counts.get(self.lemma(child))
                if hit in CASUALTY:
                    return hit
            if child.dep_ in ("acomp", "advmod", "attr", "oprd", "xcomp", "obj"):
                hit = self.event_counts.get(self.lemma(child))
                if hit:
                    return hit
            if child.dep_ == "prep" and child.lower_ in ("among", "of"):
                # "Two children were among those rescued", "... among the dead"
                for obj in child.children:
                    hit = self.noun_counts.get(self.lemma(obj))
                    if (
                        child.lower_ == "among"
                        and obj.dep_ == "pobj"
                        and hit in CASUALTY
                    ):
                        return hit
                    for mod in obj.children:
                        if mod.dep_ in ("acl", "relcl", "amod"):
                            hit = self.event_counts.get(self.lemma(mod))
                            if hit:
                                return hit
        return None

    # --- scope ----------------------------------------------------------

    def _toll(self, tok) -> tuple[str | None, bool] | None:
        """None unless the number is a toll or tally ("bringing the death
        toll to at least 57", "the number of people killed rose to 112",
        "casualties may exceed 50"); then what it counts (if the phrase
        says) and whether it is a campaign total."""
        node = tok
        for _ in range(3):
            head = node.head
            if head.i == node.i:
                break
            near = [head, *head.children]
            aggregate = next(
                (t for t in near if self.lemma(t) in self.aggregates), None
            )
            if aggregate is None and self.lemma(head) in self.rising:
                # "police killings rose to 230", "the casualties may
                # exceed 50": the subject says what.
                for child in head.children:
                    if child.dep_ in ("nsubj", "nsubjpass"):
                        lemma = self.lemma(child)
                        hit = self.event_counts.get(lemma) or self.noun_counts.get(
                            lemma
                        )
                        if hit in CASUALTY:
                            return hit, tok.head.lower_ == "to"
            if aggregate is not None:
                counts = None
                if self.lemma(aggregate) in self.tolls:
                    counts = "killed"
                for t in aggregate.subtree:
                    hit = self.event_counts.get(self.lemma(t))
                    if hit and t.i != tok.i:
                        counts = hit
                        break
                if self.lemma(aggregate) not in self.tolls and not counts:
                    return None
                cumulative = self.lemma(head) in self.cumulative_heads
                return counts, cumulative or self._is_cumulative(tok, tok)
            node = head
        return None

    def _is_cumulative(self, tok, noun) -> bool:
        """A running-total word in the number's own phrase (up to the next
        comma either side): "since September", "so far", "a total of"; a
        date phrase spanning a period; or a killing verb whose subject is
        a plural of incidents ("attacks killed thousands")."""
        doc = tok.doc
        sent = tok.sent
        window = []
        for step in (-1, 1):
            i = tok.i + step
            while sent.start <= i < sent.end and abs(i - tok.i) <= 12:
                if doc[i].text in (",", ";", ":", "--") or doc[i].text in QUOTES:
                    break
                window.append(doc[i])
                i += step
        lemmas = {self.lemma(t) for t in window} | {t.lower_ for t in window}
        if lemmas & self.cumulative_lemmas:
            return True
        if any(
            self._spans_a_period(t, number=tok) for t in window if t.ent_type_ == "DATE"
        ):
            return True
        if self._verb_spans_a_period(tok):
            return True
        verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
        if verb is not None and verb.pos_ == "VERB":
            for child in verb.children:
                if (
                    child.dep_ == "nsubj"
                    and self.lemma(child) in self.incident_nouns
                    and child.tag_ in ("NNS", "NNPS")
                ):
                    return True
        return False

    def _verb_spans_a_period(self, tok) -> bool:
        """A modifier of the verb the number belongs to, anywhere in the
        sentence: "Since September, police have killed 230", "So far, 57
        died", "80 died across 14 strikes"."""
        verb = tok
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        if verb.dep_ == "relcl" and verb.head.i != verb.i:
            antecedent = verb.head
            if self.lemma(
                antecedent
            ) in self.incident_nouns and antecedent.lower_ == self.lemma(antecedent):
                return False  # "the attack, which killed 36, was the worst since ..."
            outer = antecedent
            while outer.pos_ not in ("VERB", "AUX") and outer.head.i != outer.i:
                outer = outer.head
            if self._period_modifier(outer):
                return True  # "fighting has raged since May, which has left ..."
        return self._period_modifier(verb)

    def _period_modifier(self, verb) -> bool:
        for child in verb.children:
            if child.dep_ in ("prep", "mark") and child.lower_ in self.open_periods:
                return True  # "since seizing power", "since April"
            if child.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in self.open_periods
                for g in child.children
            ):
                return True  # "since the war began"
            if child.dep_ == "prep":
                word = child.lower_
                objects = [g for g in child.children if g.dep_ == "pobj"]
                for inner in child.children:
                    if (
                        inner.dep_ == "prep"
                        and f"{word} {inner.lower_}" in self.period_preps
                    ):
                        # "As of August 2018, ... had documented 6,592"
                        word = f"{word} {inner.lower_}"
                        objects = [g for g in inner.children if g.dep_ == "pobj"]
                if word in self.period_preps and any(
                    g.ent_type_ == "DATE" or self.lemma(g) in self.period_nouns
                    for g in objects
                ):
                    return True
                if word in self.incident_preps and any(
                    self.lemma(g) in self.incident_nouns and g.lower_ != self.lemma(g)
                    for g in objects
                ):
                    return True
                if any(self.lemma(g) in self.cumulative_lemmas for g in objects):
                    return True  # "in total"
            elif child.dep_ in ("advmod", "npadvmod") and (
                self.lemma(child) in self.cumulative_lemmas
            ):
                return True  # "so far", "altogether"
        return False

    def _spans_a_period(self, tok, *, number=None) -> bool:
        """Whether the date entity around ``tok`` is a period ("in six
        months", "this year", "since April 15", "between 2009 and 2018")."""
        doc = tok.doc
        start = tok.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = tok.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        ent = doc[start:end]
        if number is not None and start <= number.i < end:
            return False  # the number itself ("between 20 and 30" read as a date)
        words = {t.lower_ for t in ent}
        if "old" in words:
            return False  # an age ("an 8-year-old boy")
        if any(self.lemma(t) in self.period_nouns for t in ent) and (
            words & self.period_quantifiers or any(t.like_num for t in ent)
        ):
            return True  # "in six months", "this year", "the past week"
        if start > 0:
            words.add(doc[start - 1].lower_)
        if start > 1:
            words.add(f"{doc[start - 2].lower_} {doc[start - 1].lower_}")  # "as of"
        return bool(words & self.period_preps)

    def _share_scope(self, doc: Doc, found: list[dict[str, Any]]) -> None:
        """Numbers coordinated with a running total in one clause ("108
        killed and 75 injured since January"), and subsets of a total,
        are totals too."""
        by_sentence: dict[int, list[dict[str, Any]]] = {}
        for item in found:
            by_sentence.setdefault(doc[item["number"]].sent.start, []).append(item)
        for items in by_sentence.values():
            if len(items) < 2 or not any(i["cumulative"] for i in items):
                continue
            if all(i["cumulative"] for i in items):
                continue
            totals = [i for i in items if i["cumulative"]]
            totals = [t for t in totals if t["counts"] in CASUALTY]
            for item in items:
                if item["cumulative"] or item["counts"] not in CASUALTY:
                    continue
                tok = doc[item["number"]]
                if any(self._linked(tok, doc[t["number"]]) for t in totals):
                    item["cumulative"] = True

    def _linked(self, a, b) -> bool:
        """Two numbers in one clause: joined by "and", or one a subset of
        the other's phrase."""

        def clause(tok):
            node = tok
            while (
                node.dep_ not in ("ROOT", "ccomp", "advcl", "relcl")
                and node.head.i != node.i
            ):
                if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
                    node = node.head
                    continue
                node = node.head
            return node

        ca, cb = clause(a), clause(b)
        if ca.i == cb.i:
            return True
        return (ca.dep_ == "conj" and ca.head.i == cb.i) or (
            cb.dep_ == "conj" and cb.head.i == ca.i
        )
