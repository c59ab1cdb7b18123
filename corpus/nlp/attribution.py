"""The ``glossa_attribution_v1`` component: who said what, and their type."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from corpus.nlp import claimants as ct
from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp.base import QUOTES, DataComponent
from corpus.nlp.syntax import (
    adjacent_quote,
    heading_author,
    negated,
    noun_core,
    passive_agent,
    trim,
)


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
                    "claimant": heading_author(sent),
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
        content = trim(doc, *content)
        return {
            "kind": "according_to",
            "cue": (start, end),
            "cue_lemma": "according to",
            "family": "neutral",
            "source_token": source.i,
            "source": noun_core(source),
            "source_full": (source.left_edge.i, source.right_edge.i + 1),
            "content": content,
            "platform": "",
        }

    def _reported(self, verb) -> dict[str, Any] | None:
        if negated(verb):
            return None  # "did not say how": a non-answer, not an attribution
        if verb.dep_ == "xcomp" and (
            verb.head.lemma_.lower() in NON_ANSWER_HEADS or negated(verb.head)
        ):
            return None  # "declined to say whether": a refusal
        for depth, ancestor in enumerate(verb.ancestors):
            if depth >= 3:
                break
            if ancestor.lemma_.lower() in WITHHOLDING_HEADS and negated(ancestor):
                return None  # "did not say how they determined that ..."
        subject = self._subject(verb)
        content: tuple[int, int] | None
        if subject is None:
            agent = passive_agent(verb)
            if agent is None:
                return None
            # "The strikes were condemned as unlawful by UN experts."
            source = self._speaker_of(agent)
            content = trim(verb.doc, verb.left_edge.i, agent.head.i)
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
            "source": noun_core(source),
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
            return trim(doc, lo, hi)
        if verb.lemma_.lower() not in SPEECH_LEMMAS:
            return None  # factive verbs ("show", "establish") need a clause
        quote = adjacent_quote(verb)
        if quote is not None:
            return quote
        if verb.dep_ in ("conj", "parataxis", "ccomp") and verb.head.i < verb.i:
            # "X killed 14 people ..., Hegseth said": the clause before.
            head = verb.head
            lo = head.left_edge.i
            hi = min(verb.left_edge.i, subject.left_edge.i)
            if hi - lo >= 3:
                return trim(doc, lo, hi)
        if verb.dep_ == "ROOT" and subject.i > verb.i and verb.i - sent.start >= 3:
            # '"...," said Ines Markova': the clause before the verb.
            return trim(doc, sent.start, verb.i)
        objects = [
            c
            for c in verb.children
            if c.dep_ in ("dobj", "oprd", "xcomp")
            or (c.dep_ == "prep" and c.lower_ == "as")
        ]
        if objects and verb.lemma_.lower() not in {"show", "find", "note"}:
            lo = min(o.left_edge.i for o in objects)
            hi = max(o.right_edge.i for o in objects) + 1
            return trim(doc, lo, hi)
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
                lo, hi = noun_core(root)
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
            lo, hi = noun_core(named[0])
            name = f"{name}, {doc[lo:hi].text.strip()}"
        kind = self.typer.type_of(full)
        person = tok.ent_type_ == "PERSON"
        if tok.lower_ in PRONOUNS and tok.pos_ == "PRON":
            key = "person" if tok.lower_ in ("he", "she", "him", "her") else "group"
            antecedent = self._antecedent(tok) if tok.lower_ == "it" else None
            if antecedent is not None:
                name = doc[slice(*noun_core(antecedent))].text
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
            earlier = self._named_earlier(tok, ents)
            if earlier is not None and (earlier[1] or not kind):
                name, kind = earlier[0], earlier[1] or kind
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
