"""The ``glossa_attribution_v2`` component: who said what, and their type.

v2 types claimants into the ten types of tags.md, splitting governments by
the acting states of ``doc._.glossa_context``; resolves "the statement
said" to the document's voice (``glossa_voice_v1`` runs first); skips
sources in page furniture; and writes one span per attribution (cue to
content) to ``doc.spans[spans_key]``, label = kind.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from corpus.nlp import claimants as ct
from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp import validation
from corpus.nlp.base import QUOTES, DataComponent
from corpus.nlp.syntax import (
    adjacent_quote,
    negated,
    noun_core,
    passive_agent,
    trim,
)

ATTRIBUTIONS_KEY = "glossa_attributions"


@Language.factory(
    "glossa_attribution_v2",
    default_config={
        "verbs": {"@misc": "glossa.reporting_verbs.v1"},
        "claimants": {"@misc": "glossa.claimant_lexicon.v2"},
        "voice": {"@misc": "glossa.voice_lexicon.v1"},
        "spans_key": ATTRIBUTIONS_KEY,
        "furniture_key": "glossa_furniture",
    },
)
def make_attribution(
    nlp: Language,
    name: str,
    *,
    verbs: dict[str, Any],
    claimants: dict[str, Any],
    voice: dict[str, Any],
    spans_key: str,
    furniture_key: str,
) -> AttributionFinder:
    return AttributionFinder(
        nlp,
        name,
        data={"verbs": verbs, "claimants": claimants, "voice": voice},
        spans_key=spans_key,
        furniture_key=furniture_key,
    )


class AttributionFinder(DataComponent):
    """Reporting verbs and "according to": source, cue, content, claimant.

    Sources that are pronouns or bare surnames are resolved to the last
    fuller mention ("Defence Minister Tomas Relk" ... "Relk said" ... "he
    said"), so every attribution names a claimant and its type.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        data: dict[str, Any],
        spans_key: str = ATTRIBUTIONS_KEY,
        furniture_key: str = "glossa_furniture",
    ) -> None:
        self.spans_key = spans_key
        self.furniture_key = furniture_key
        super().__init__(nlp, name, data=data)

    def _build(self) -> None:
        verbs = validation.reporting_verbs(self.data["verbs"])
        voice = validation.voice_lexicon(self.data["voice"])
        self.document_nouns = frozenset(voice.get("document_nouns") or [])
        self.family = {
            lemma: family
            for family in ("neutral", "factive", "distancing", "negative")
            for lemma in verbs.get(family) or []
        }
        self.speech_nouns = frozenset(verbs.get("speech_nouns") or [])
        self.speech = frozenset(verbs.get("speech") or [])
        self.withholding = frozenset(verbs.get("withholding_heads") or [])
        self.non_answer = frozenset(verbs.get("non_answer_heads") or [])
        self.no_object = frozenset(verbs.get("no_object_content") or [])
        self.pronouns = frozenset(verbs.get("pronouns") or [])
        self.outlet_verbs = frozenset(verbs.get("outlet_verbs") or [])
        self.directive = frozenset(verbs.get("directive_heads") or [])
        self.citing = frozenset(verbs.get("citing_verbs") or [])
        self.platforms: dict[str, str] = dict(verbs.get("platforms") or {})
        self.platform_hashes = frozenset(
            self.nlp.vocab.strings[word] for word in self.platforms
        )
        # Where the Doc being read has platform names and quote marks.
        self._doc_marks: _Marks | None = None
        self.typer = ct.ClaimantTyper(self.data["claimants"])
        self.matcher = Matcher(self.nlp.vocab)
        self.matcher.add(
            "VERB",
            [[{"LEMMA": {"IN": sorted(self.family)}, "POS": {"IN": ["VERB"]}}]],
        )
        self.matcher.add("ACCORDING", [[{"LOWER": "according"}, {"LOWER": "to"}]])
        # Phrases that mark their noun as the source ("según la ONG", "de
        # acuerdo con el Ejército"): the noun is their head, not their object.
        for phrase in verbs.get("according_phrases") or []:
            words = [{"LOWER": w} for w in str(phrase).lower().split()]
            self.matcher.add("ACCORDING_HEAD", [words])
        # Prepositions that mean "according to" only before a name heading
        # an oblique of the clause ("Para la PGR, hay evidencia ...").
        self.according_names = frozenset(
            str(w).lower() for w in verbs.get("according_name_words") or []
        )
        for word in self.according_names:
            self.matcher.add("ACCORDING_HEAD", [[{"LOWER": word}]])
        if self.citing:
            self.matcher.add(
                "CITING", [[{"LEMMA": {"IN": sorted(self.citing)}, "POS": "VERB"}]]
            )
        self.matcher.add(
            "VIOLENT",
            [[{"LEMMA": {"IN": sorted(self.typer.violent)}, "POS": "VERB"}]],
        )

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def acting_keys(self, doc: Doc, violent) -> set[str]:
        """The acting states: the project's (context), else inferred."""
        context = doc._.glossa_context
        if context is not None and context.acting_states:
            return self.typer.keys_of_names(context.acting_states)
        return self.typer.acting_state(violent)

    # Matching: reads the Doc, writes nothing to it.
    def match(self, doc: Doc) -> list[dict[str, Any]]:
        """Attributions (token indices and plain values), claimants named."""
        strings = self.nlp.vocab.strings
        matches = [(strings[m], s, e) for m, s, e in self.matcher(doc)]
        ents = list(doc.ents)  # doc.ents rebuilds its spans on each access
        violent = [doc[s] for label, s, _ in matches if label == "VIOLENT"]
        acting = self.acting_keys(doc, violent)
        furniture: set[int] = set()
        for span in doc.spans.get(self.furniture_key, []):
            furniture.update(range(span.start, span.end))
        memory: dict[str, tuple[str, str]] = {}
        last: dict[str, tuple[str, str]] = {}
        voice = doc._.glossa_voice
        if voice and voice.get("claimant"):
            # "Tidewatch condemns ..." in Tidewatch's own statement.
            for word in voice["claimant"].split():
                if word[:1].isupper() and word.lower() not in ("the", "of"):
                    memory.setdefault(
                        word.lower(), (voice["claimant"], voice["claimant_type"])
                    )
        state = _Resolution(acting, memory, last, ents, furniture, voice)
        found = []
        for label, start, end in matches:
            if label == "VIOLENT":
                continue
            if label == "ACCORDING":
                item = self._according(doc, start, end)
            elif label == "ACCORDING_HEAD":
                item = self._according_head(doc, start, end)
            elif label == "CITING":
                item = self._citing(doc[start])
            else:
                item = self._reported(doc[start])
            if item is None or item["source_token"] in furniture:
                continue
            self._name(doc, item, state)
            found.append(item)
        self._doc_marks = None  # keep no Doc alive
        return found

    def set_annotations(self, doc: Doc, found: list[dict[str, Any]]) -> None:
        doc._.glossa_attributions = found
        spans = []
        for item in found:
            lo = min(item["cue"][0], item["content"][0], item["source"][0])
            hi = max(item["cue"][1], item["content"][1], item["source"][1])
            spans.append(Span(doc, lo, hi, label=item["kind"]))
        doc.spans[self.spans_key] = spans

    def _according(self, doc: Doc, start: int, end: int) -> dict[str, Any] | None:
        to = doc[end - 1]
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:
            return None
        source = self._speaker_of(objects[0])
        noun = objects[0].lemma_.lower() if source is not objects[0] else ""
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
            "speech_noun": noun,
        }

    def _dropped_subject(self, verb) -> dict[str, Any] | None:
        """A verb of saying in a pro-drop language with no subject
        ("aseguró que ...", "se indicó"): the speaker is the one named last,
        as "he said" is in English (resolved in ``_name``)."""
        if self.nlp.lang not in PRO_DROP_LANGUAGES:
            return None
        finite = verb
        if "Ger" in verb.morph.get("VerbForm") and verb.head.i != verb.i:
            # "..., señalando que ...": the gerund says what its verb's
            # (dropped) subject said.
            finite = verb.head
            if any(c.dep_.startswith("nsubj") for c in finite.children):
                return None
        if "Fin" not in finite.morph.get("VerbForm") or "3" not in finite.morph.get(
            "Person"
        ):
            return None
        content = self._content(verb, verb)
        if content is None:
            return None
        return {
            "block": content[0] >= verb.sent.end,
            "kind": "indirect",
            "cue": (verb.i, verb.i + 1),
            "cue_lemma": verb.lemma_.lower(),
            "family": self.family.get(verb.lemma_.lower(), "neutral"),
            "source_token": verb.i,
            "source": (verb.i, verb.i),
            "source_full": (verb.i, verb.i),
            "content": content,
            "platform": self._platform(verb),
            "speech_noun": "",
            "dropped_subject": True,
        }

    def _according_head(self, doc: Doc, start: int, end: int) -> dict[str, Any] | None:
        """'según X' / 'de acuerdo con X' (Spanish): the phrase is a case
        marker of X; a speech noun ("según datos del Ministerio") gives way
        to the noun that names whose it is."""
        sent = doc[start].sent
        head = doc[end - 1].head
        if doc[start:end].text.lower() in self.according_names and not (
            head.pos_ == "PROPN" and head.dep_ == "obl" and head.i > start
        ):
            return None
        if (
            head.i < end
            or head.i >= sent.end
            or head.pos_ not in ("NOUN", "PROPN", "PRON")
        ):
            after = next(
                (
                    t
                    for t in doc[end : min(end + 4, sent.end)]
                    if t.pos_ in ("NOUN", "PROPN")
                ),
                None,
            )
            if after is None:
                return None
            head = after
        source = head
        if head.lemma_.lower() in self.speech_nouns:
            owner = [
                c for c in head.children if c.dep_ in ("nmod", "appos") and c.i > head.i
            ]
            if owner:
                source = owner[0]
        noun = head.lemma_.lower() if source is not head else ""
        phrase_end = max(t.i for t in source.subtree) + 1
        content = (phrase_end, sent.end) if start == sent.start else (sent.start, start)
        return {
            "kind": "according_to",
            "cue": (start, end),
            "cue_lemma": doc[start:end].text.lower(),
            "family": "neutral",
            "source_token": source.i,
            "source": noun_core(source),
            "source_full": (source.left_edge.i, source.right_edge.i + 1),
            "content": trim(doc, *content),
            "platform": "",
            "speech_noun": noun,
        }

    def _citing(self, verb) -> dict[str, Any] | None:
        """'..., the agency said, citing a coalition spokesman': the one
        cited is a source of what comes before, like "according to"."""
        if verb.tag_ != "VBG":
            return None
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if not objects:
            return None
        source = self._speaker_of(objects[0])
        sent = verb.sent
        content = trim(verb.doc, sent.start, verb.i)
        if content[1] <= content[0]:
            return None
        return {
            "kind": "according_to",
            "cue": (verb.i, verb.i + 1),
            "cue_lemma": verb.lemma_.lower(),
            "family": "neutral",
            "source_token": source.i,
            "source": noun_core(source),
            "source_full": (source.left_edge.i, source.right_edge.i + 1),
            "content": content,
            "platform": "",
            "speech_noun": "",
        }

    def _reported(self, verb) -> dict[str, Any] | None:
        if negated(verb):
            return None  # "did not say how": a non-answer, not an attribution
        if verb.dep_ == "xcomp" and (
            verb.head.lemma_.lower() in self.non_answer or negated(verb.head)
        ):
            return None  # "declined to say whether": a refusal
        for depth, ancestor in enumerate(verb.ancestors):
            if depth >= 3:
                break
            if ancestor.lemma_.lower() in self.withholding and negated(ancestor):
                return None  # "did not say how they determined that ..."
        subject = self._subject(verb)
        content: tuple[int, int] | None
        if subject is None:
            agent = passive_agent(verb)
            if agent is None:
                return self._dropped_subject(verb)
            # "The strikes were condemned as unlawful by UN experts."
            source = self._speaker_of(agent)
            noun = agent.lemma_.lower() if source is not agent else ""
            content = trim(verb.doc, verb.left_edge.i, agent.head.i)
            if content[1] <= content[0]:
                return None
        else:
            quoted_subject = _quoted_apart(subject, verb, self._marks(verb.doc).quotes)
            if quoted_subject:
                # The parser took a word of the quotation for the speaker
                # ('"... a staged killing," Sobak told VOA'): the speaker is
                # the name between the closing quote and the verb, if any.
                subject = _name_before(verb)
                if subject is None:
                    return None
            source = self._speaker_of(subject)
            noun = subject.lemma_.lower() if source is not subject else ""
            content = self._content(verb, subject)
        if content is None:
            return None
        doc = verb.doc
        lo, hi = content
        # A quote mark at the content's edges, or between it and the verb
        # ('"They are ..., the people of the country," said Mr Tun').
        near = range(max(min(lo, verb.i) - 2, 0), min(max(hi, verb.i) + 2, len(doc)))
        quoted = _has_quote(near, self._marks(doc).quotes)
        block = content[0] >= verb.sent.end
        return {
            "block": block,
            "kind": "direct" if quoted or block else "indirect",
            "cue": (verb.i, verb.i + 1),
            "cue_lemma": verb.lemma_.lower(),
            "family": self.family.get(verb.lemma_.lower(), "neutral"),
            "source_token": source.i,
            "source": noun_core(source),
            "source_full": (source.left_edge.i, source.right_edge.i + 1),
            "content": content,
            "platform": self._platform(verb),
            "speech_noun": noun,
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

    def _subject(self, verb):
        subject = self._find_subject(verb)
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

    def _find_subject(self, verb):
        node = verb
        for _ in range(3):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i != verb.i:
                    if child.dep_ == "nsubjpass" and node.i == verb.i:
                        return None  # "was told", "were described": no speaker
                    return child
            if node.dep_ == "xcomp" and node.head.lemma_.lower() in self.directive:
                # "asked leaders to consider", "X is urged to acknowledge":
                # the one asked is not saying anything.
                return None
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
        clause = self._clause_under_noun(verb)
        if clause is not None:
            return clause
        if verb.lemma_.lower() not in self.speech:
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
        block = self._block_after(verb)
        if block is not None:
            return block
        if verb.dep_ == "ROOT" and subject.i > verb.i and verb.i - sent.start >= 3:
            # '"...," said Ines Markova': the clause before the verb.
            return trim(doc, sent.start, verb.i)
        objects = [
            c
            for c in verb.children
            if c.dep_ in ("dobj", "obj", "oprd", "xcomp")
            or (c.dep_ == "prep" and c.lower_ == "as")
        ]
        if objects and verb.lemma_.lower() not in self.no_object:
            lo = min(o.left_edge.i for o in objects)
            hi = max(o.right_edge.i for o in objects) + 1
            return trim(doc, lo, hi)
        return None

    @staticmethod
    def _clause_under_noun(verb) -> tuple[int, int] | None:
        """'claimed in a statement that ...': the parser hangs the clause on
        the speech noun, not on the verb."""
        for noun in verb.children:
            # Spanish: the parser often hangs "que ..." on the verb's object
            # or oblique ("pidió a las autoridades que ordenen ...",
            # "concluye en su informe que hubo ...").
            if noun.dep_ not in ("obl", "iobj", "obj"):
                continue
            for clause in noun.children:
                if clause.dep_ in ("acl", "ccomp") and any(
                    m.lower_ == "que" and m.i < clause.i for m in clause.children
                ):
                    return trim(verb.doc, clause.left_edge.i, clause.right_edge.i + 1)
        for prep in verb.children:
            if prep.dep_ != "prep":
                continue
            for noun in prep.children:
                if noun.dep_ != "pobj":
                    continue
                for clause in noun.children:
                    if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                        m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
                    ):
                        return trim(
                            verb.doc, clause.left_edge.i, clause.right_edge.i + 1
                        )
        return None

    @staticmethod
    def _block_after(verb) -> tuple[int, int] | None:
        """'CENTCOM said in a statement:' closing its line: what was said is
        the paragraph that follows (to the next line break)."""
        doc = verb.doc
        sent = verb.sent
        last = sent.end - 1
        while last > sent.start and doc[last].is_space:
            last -= 1
        if doc[last].text != ":" or sent.end >= len(doc):
            return None
        start = sent.end
        while start < len(doc) and doc[start].is_space:
            start += 1
        end = start
        while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
            end += 1
        return (start, end) if end > start else None

    def _named_earlier(self, tok, state) -> tuple[str, str] | None:
        """An earlier organisation whose name ends in this noun."""
        lemma = tok.lemma_.lower()
        found = None
        for ent in state.ents:
            if ent.start >= tok.i:
                break
            if ent.label_ in ("ORG", "NORP", "FAC") and ent[-1].lemma_.lower() == lemma:
                found = (ent.text, self.typer.type_of(list(ent), state.acting))
        return found

    def _mentioned_earlier(self, tok, state) -> tuple[str, str] | None:
        """The nearest earlier mention of the same noun whose modifiers type
        it otherwise ("Independent UN experts" before "the experts said")."""
        doc = tok.doc
        lemma = tok.lemma_.lower()
        for i in range(tok.i - 1, max(-1, tok.i - 400), -1):
            other = doc[i]
            if other.pos_ != "NOUN" or other.lemma_.lower() != lemma:
                continue
            phrase = list(doc[other.left_edge.i : other.i + 1])
            kind = self.typer.type_of(phrase, state.acting)
            if kind and kind != ct.EXPERT:
                return doc[other.left_edge.i : other.i + 1].text.strip(), kind
        return None

    def _introduction(self, tok, state) -> tuple[str, str] | None:
        """An earlier mention of the same person with a title or role:
        "Defence Minister Ola Brant ordered ..." before "Brant said"."""
        for ent in state.ents:
            if ent.start >= tok.i:
                break
            if ent.label_ != "PERSON" or ent[-1].lower_ != tok.lower_:
                continue
            root = ent.root
            kind = self.typer.type_of(list(root.subtree), state.acting)
            if kind:
                lo, hi = noun_core(root)
                return tok.doc[lo:hi].text.strip(), kind
        return None

    def _antecedent(self, pronoun, state):
        """For "it" and "they": the nearest earlier subject that names a
        body ("it": a singular state or organisation; "they": a plural or
        collective noun the lexicon types, "police said ... they"), never a
        dateline or byline, within the sentence and the two before it."""
        doc = pronoun.doc
        plural = pronoun.lower_ != "it"
        lo = pronoun.sent.start
        for _ in range(2):
            if lo > 0:
                lo = doc[lo - 1].sent.start
        for i in range(pronoun.i - 1, lo - 1, -1):
            tok = doc[i]
            if tok.dep_ not in ("nsubj", "nsubjpass") or i in state.furniture:
                continue
            if tok.pos_ == "PRON":
                continue
            if plural:
                collective = tok.lemma_.lower() in self.typer.collective
                if (tok.tag_ in ("NNS", "NNPS") or collective) and self.typer.role_of(
                    list(tok.subtree), states=False
                ):
                    return tok
                continue
            if tok.pos_ == "PROPN" and (
                tok.ent_type_ in ("GPE", "ORG", "NORP") or i >= pronoun.sent.start
            ):
                return tok
            if tok.pos_ == "NOUN" and tok.tag_ == "NN" and self.typer.role_of([tok]):
                return tok
        return None

    def _person_before(self, pronoun, state) -> tuple[str, str] | None:
        doc = pronoun.doc
        lo = pronoun.sent.start
        for _ in range(3):
            if lo > 0:
                lo = doc[lo - 1].sent.start
        for ent in reversed(state.ents):
            if ent.start >= pronoun.i or ent.label_ != "PERSON":
                continue
            if ent.start < lo:
                break
            root = ent.root
            phrase = root.head if root.dep_ in ("appos", "compound") else root
            kind = self.typer.type_of(list(phrase.subtree), state.acting)
            return ent.text.strip(), kind
        return None

    def _marks(self, doc: Doc) -> _Marks:
        """Where ``doc``'s platform names and quote marks are (read once per
        Doc, from arrays)."""
        marks = self._doc_marks
        if marks is None or marks.doc is not doc:
            marks = self._doc_marks = _Marks(doc, self.platform_hashes)
        return marks

    def _platform(self, verb) -> str:
        # No platform's name between the edges of the verb's subtree: none
        # in it (its tokens are not read one by one).
        at = self._marks(verb.doc).platforms
        k = bisect_left(at, verb.left_edge.i)
        if k == len(at) or at[k] > verb.right_edge.i:
            return ""
        for tok in verb.subtree:
            if tok.dep_ == "pobj" and tok.head.lower_ == "on":
                name = self.platforms.get(tok.lower_)
                if name and (
                    tok.lower_ != "media" or (tok.i and tok.nbor(-1).lower_ == "social")
                ):
                    return name
        return ""

    def _name(self, doc, item, state: _Resolution) -> None:
        """Fill claimant and claimant_type, resolving pronouns, surnames,
        "the group" and "the statement"."""
        acting, memory, last = state.acting, state.memory, state.last
        if item.get("dropped_subject"):
            # The speaker named last, else the document's own voice.
            voice = state.voice or {}
            name, kind = last.get("any") or (
                voice.get("claimant", ""),
                voice.get("claimant_type", ""),
            )
            item["claimant"] = name
            item["claimant_type"] = kind or ct.UNKNOWN
            return
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
        if self.nlp.lang in PRO_DROP_LANGUAGES:
            # Spanish noun phrases run long ("el informe de las
            # investigaciones ... utilizada por el gobierno"): a role word
            # inside a clause of the phrase does not type its head.
            full = [t for t in full if not _inside_clause(t, tok)]
        kind = self.typer.type_of(full, acting)
        person = tok.ent_type_ == "PERSON"
        lemma = tok.lemma_.lower()
        definite = any(c.lower_ in DEFINITE_WORDS for c in tok.children)
        if tok.lower_ in self.pronouns and tok.pos_ == "PRON":
            key = "person" if tok.lower_ in ("he", "she", "him", "her") else "group"
            antecedent = (
                self._antecedent(tok, state)
                if tok.lower_ in ("it", "they", "them")
                else None
            )
            if antecedent is not None:
                name = doc[slice(*noun_core(antecedent))].text
                kind = self.typer.type_of(list(antecedent.subtree), acting) or kind
                remembered = memory.get(antecedent.lemma_.lower())
                if antecedent.pos_ == "NOUN" and remembered and remembered[1]:
                    name, kind = remembered  # "the experts" (UN) ... "they said"
            elif key in last:
                name, kind = last[key]
            elif key == "person":
                # "He said" before any quoted person: the nearest person
                # named shortly before ("coalition spokesman Turki al-Maliki").
                named_before = self._person_before(tok, state)
                if named_before is not None:
                    name, kind = named_before
            elif tok.lower_ in ("it", "they") and state.voice:
                # "It said" with nobody before it: the publisher.
                name, kind = state.voice["claimant"], state.voice["claimant_type"]
        elif (
            tok.pos_ == "NOUN"
            and lemma in self.document_nouns
            and definite
            and lemma not in memory
            and not kind
        ):
            # "the statement said": the document itself, unless the text
            # attributed a statement to someone earlier. A news report
            # issues no statements: there it is the last source's.
            news = state.voice and state.voice["claimant_type"] in (
                ct.REPORTER,
                ct.COLUMNIST,
                ct.MEDIA,
            )
            if news and last.get("any") and last["any"][1]:
                name, kind = last["any"]
            elif state.voice:
                name, kind = state.voice["claimant"], state.voice["claimant_type"]
        elif tok.pos_ == "NOUN" and lemma in memory and (not kind or definite):
            # "the group said", after "Citizens' Watch, a monitoring group".
            name, kind = memory[lemma]
        elif tok.pos_ == "NOUN" and definite:
            # "the network said", after "Harbour Rights Network documented".
            earlier = self._named_earlier(tok, state)
            if earlier is None and kind in (ct.UNKNOWN, ct.EXPERT):
                # "the experts said", after "UN human rights experts ...".
                earlier = self._mentioned_earlier(tok, state)
                if earlier is not None:
                    memory[lemma] = earlier
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
                introduced = self._introduction(tok, state)
                if introduced is not None:
                    name, kind = introduced
                    memory[surname] = introduced
                    person = True
        if (
            not kind
            and tok.ent_type_ == "ORG"
            and item["cue_lemma"] in self.outlet_verbs
        ):
            # "Rudaw first reported that ...": an organisation that reports
            # and that the lexicon does not know is another outlet.
            kind = ct.MEDIA
        if kind and tok.pos_ == "PROPN":
            # Remember descriptions for later "the group", "the agency".
            for child in tok.children:
                if child.dep_ == "appos":
                    memory.setdefault(child.lemma_.lower(), (name, kind))
        if kind and tok.pos_ == "NOUN" and name == core.text.strip():
            memory.setdefault(lemma, (name, kind))
        cue = doc[item["cue"][0]]
        for prep in cue.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "via", "through"):
                for noun in prep.children:
                    if kind and noun.lemma_.lower() in self.speech_nouns:
                        # "CENTCOM said in a statement" ... "the statement added".
                        memory[noun.lemma_.lower()] = (name, kind)
        if kind and item.get("speech_noun"):
            # "a statement from the ministry" ... later "the statement said".
            memory[item["speech_noun"]] = (name, kind)
        if kind:
            # "spokeswoman Ravina Shamdasani said" ... "Shamdasani added".
            for word in doc[lo:hi]:
                ends_name = word.i + 1 >= hi or doc[word.i + 1].ent_iob_ != "I"
                if word.ent_type_ == "PERSON" and ends_name:
                    memory.setdefault(word.lower_, (name, kind))
        if (
            person
            or tok.lower_ in ("he", "she")
            or (tok.tag_ == "NN" and lemma in self.typer.person_nouns)
        ):
            # "a coalition spokesman" ... "He said".
            last["person"] = last["any"] = (name, kind)
        elif tok.pos_ in ("PROPN", "NOUN"):
            last["group"] = last["any"] = (name, kind)
        item["claimant"] = name
        item["claimant_type"] = kind or ct.UNKNOWN


# Determiners that make "the statement", "el informe", "su comunicado" refer
# to one document (English and Spanish).
DEFINITE_WORDS = frozenset(
    {"the", "this", "its", "our", "el", "la", "este", "esta", "su", "dicho", "dicha"}
)
# Languages whose verbs often carry their subject in their ending ("aseguró
# que ...": "he/she/it said that ..."): a verb of saying with no subject
# there is the last speaker's.
PRO_DROP_LANGUAGES = frozenset({"es", "it", "pt"})


def _inside_clause(token, head) -> bool:
    """Whether ``token`` hangs under a clause (acl, relcl, advcl) of ``head``."""
    node = token
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ in ("acl", "relcl", "advcl", "acl:relcl"):
            return True
        if node.dep_ == "amod" and "Part" in node.morph.get("VerbForm"):
            return True  # "la medida utilizada por el gobierno"
        node = node.head
    return False


class _Resolution:
    """What naming the attributions of one document remembers as it goes."""

    def __init__(self, acting, memory, last, ents, furniture, voice) -> None:
        self.acting: set[str] = acting
        self.memory: dict[str, tuple[str, str]] = memory
        self.last: dict[str, tuple[str, str]] = last
        self.ents = ents
        self.furniture: set[int] = furniture
        self.voice: dict[str, Any] | None = voice


def _has_quote(near: range, quotes: list[int]) -> bool:
    """Whether a token in ``near`` is a quote mark (``quotes``: the
    positions of the Doc's quote marks)."""
    k = bisect_left(quotes, near.start)
    return k < len(quotes) and quotes[k] < near.stop


class _Marks:
    """The positions of a Doc's platform names (lower-case forms in
    ``platforms``) and quote marks, from one array of the Doc, so that
    checks for them need not create a Token per word."""

    def __init__(self, doc: Doc, platforms: frozenset[int]) -> None:
        self.doc = doc
        rows = doc.to_array([LOWER, ORTH]).tolist() if len(doc) else []
        strings = doc.vocab.strings
        quotes = {strings[q] for q in QUOTES}
        self.platforms = [i for i, (lower, _) in enumerate(rows) if lower in platforms]
        self.quotes = [i for i, (_, orth) in enumerate(rows) if orth in quotes]


def _quoted_apart(token, verb, quotes: list[int] | None = None) -> bool:
    """Whether ``token`` is inside a quotation that ``verb`` is outside of,
    in their sentence (``quotes``: the positions of the Doc's quote marks,
    when known: a sentence without one is not read)."""
    sent = verb.sent
    if quotes is not None and not _has_quote(range(sent.start, sent.end), quotes):
        return False
    inside = False
    token_inside = verb_inside = False
    for tok in sent:
        if tok.text in QUOTES:
            inside = not inside
            continue
        if tok.i == token.i:
            token_inside = inside
        if tok.i == verb.i:
            verb_inside = inside
    return token_inside and not verb_inside


def _name_before(verb):
    """A proper name between the last closing quote and the verb."""
    doc = verb.doc
    i = verb.i - 1
    while i >= verb.sent.start and doc[i].text not in QUOTES:
        if doc[i].pos_ == "PROPN" and doc[i].dep_ in ("nsubj", "appos", "compound"):
            while doc[i].dep_ == "compound" and doc[i].head.pos_ == "PROPN":
                i = doc[i].head.i
            return doc[i]
        i -= 1
    return None
