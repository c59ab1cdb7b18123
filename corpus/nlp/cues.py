"""The ``glossa_cues_v1`` component: cue spans from data-driven patterns.

The patterns are spaCy Matcher token patterns kept in
``patterns/cues.yaml``. A ``LEMMA`` in a pattern is matched on every
inflected form of the lemma, lower-cased (see ``corpus.nlp.lexicon``), so a
cue written once as ``{LEMMA: militant}`` also finds "Militants" in a
headline the tagger read as a proper noun, and "MILITANTS" in capitals.
Every word list the checks below use (act nouns, negations, the subjects
of a counter-denial...) is data in the same file; this module holds none.
"""

from __future__ import annotations

import itertools
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup

from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp.base import QUOTES, DataComponent
from corpus.nlp.lexicon import (
    Inflector,
    PatternDataError,
    require_mapping,
    require_words,
    token_lemma,
)

CUES_KEY = "glossa_cues"
# Single quotation marks used as scare quotes ('Crossfire' deaths); the
# closing one doubles as an apostrophe, so a pair needs an opening mark.
SINGLE_OPEN = ("\u2018", "'")
SINGLE_CLOSE = ("\u2019", "'")
# Word lists the component reads (all optional lists of words).
WORD_LISTS = (
    "act_nouns",
    "negations",
    "denial_not_objects",
    "organisation_nouns",
    "scare_quote_labels",
    "scare_quote_introducers",
    "scare_quote_what_introducers",
    "scare_quote_what_words",
    "compound_keeps",
    "party_subjects",
    "party_negated_not",
    "conditional_determiners",
    "generic_markers",
    "party_negated_objects",
    "anaphoric_determiners",
    "legal_process_verbs",
    "standard_openers",
    "denial_be_complements",
    "political_nouns",
)
# Attributes a cue pattern token may use: the Matcher's, minus those whose
# meaning changes with the model (ENT_*); LEMMA is rewritten to LOWER forms.
TOKEN_KEYS = frozenset(
    {
        "ORTH",
        "TEXT",
        "LOWER",
        "LEMMA",
        "POS",
        "TAG",
        "DEP",
        "OP",
        "IS_PUNCT",
        "IS_ALPHA",
        "IS_DIGIT",
        "LIKE_NUM",
        "IS_TITLE",
        "IS_UPPER",
        "IS_SENT_START",
    }
)


@Language.factory(
    "glossa_cues_v1",
    default_config={
        "data": {"@misc": "glossa.cue_patterns.v1"},
        "scare_quotes": True,
        "spans_key": CUES_KEY,
    },
)
def make_cues(
    nlp: Language,
    name: str,
    *,
    data: dict[str, Any],
    scare_quotes: bool,
    spans_key: str,
) -> CueMatcher:
    return CueMatcher(
        nlp, name, data=data, scare_quotes=scare_quotes, spans_key=spans_key
    )


def validate_cue_data(data: Any, where: str = "cue data") -> dict[str, Any]:
    """Check the shape of the cue data; the error names the bad entry."""
    data = require_mapping(data, where)
    for key in WORD_LISTS:
        if key in data and data[key] is not None:
            require_words(data[key], f"{where}: {key}")
    irregular = require_mapping(
        data.get("irregular_forms") or {}, f"{where}: irregular_forms"
    )
    for lemma, forms in irregular.items():
        require_words(forms, f"{where}: irregular_forms: {lemma}")
    cues = data.get("cues")
    if not isinstance(cues, list):
        raise PatternDataError(f"{where}: 'cues' must be a list of cue entries.")
    seen: set[str] = set()
    for number, cue in enumerate(cues, start=1):
        if not isinstance(cue, dict):
            raise PatternDataError(f"{where}: cue {number} is not a mapping.")
        name = cue.get("id")
        label = f"{where}: cue {number} ({name or 'no id'})"
        if not isinstance(name, str) or not name:
            raise PatternDataError(f"{label}: needs an 'id'.")
        if name in seen:
            raise PatternDataError(f"{label}: the id is used twice.")
        seen.add(name)
        if not isinstance(cue.get("label"), str) or not cue["label"]:
            raise PatternDataError(f"{label}: needs a 'label'.")
        pattern = cue.get("pattern")
        if not isinstance(pattern, list) or not pattern:
            raise PatternDataError(f"{label}: 'pattern' must be a non-empty list.")
        for position, token in enumerate(pattern, start=1):
            if not isinstance(token, dict):
                raise PatternDataError(f"{label}: token {position} is not a mapping.")
            unknown = set(token) - TOKEN_KEYS
            if unknown:
                raise PatternDataError(
                    f"{label}: token {position} uses unknown keys "
                    f"{', '.join(sorted(unknown))}."
                )
            if "LEMMA" in token and ("LOWER" in token or "ORTH" in token):
                raise PatternDataError(
                    f"{label}: token {position} gives both LEMMA and LOWER/ORTH."
                )
    return data


class CueMatcher(DataComponent):
    """Cue spans from token patterns, plus scare quotes around labels."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        data: dict[str, Any],
        scare_quotes: bool = True,
        spans_key: str = CUES_KEY,
    ) -> None:
        self.scare_quotes = scare_quotes
        self.spans_key = spans_key
        super().__init__(nlp, name, data=data)

    def _build(self) -> None:
        data = validate_cue_data(self.data)
        self.inflector = Inflector(data.get("irregular_forms"), lang=self.nlp.lang)
        # Single-word cues go to a hash-based PhraseMatcher. Each multi-word
        # pattern gets its own Matcher and an anchor (its rarest required
        # token): a Matcher tests every word list of its patterns at every
        # token it is given, in Python, so it is only given short windows
        # around the anchor's words (see ``_matches``).
        vocab = self.nlp.vocab
        self.phrase_matcher = PhraseMatcher(vocab, attr="LOWER")
        self.anchored: list[tuple[str, Matcher, _Anchor | None]] = []
        self.pos_filter: dict[str, set[str]] = {}
        self.labels: dict[str, str] = {}
        for cue in data["cues"]:
            self.labels[cue["id"]] = cue["label"]
            pattern = [self._compile(token) for token in cue["pattern"]]
            single = _single_word(pattern)
            if single is None:
                matcher = Matcher(vocab, validate=True)
                try:
                    matcher.add(cue["id"], [pattern])
                except (MatchPatternError, ValueError) as exc:
                    raise PatternDataError(
                        f"cue data: cue {cue['id']}: invalid pattern ({exc})"
                    ) from exc
                self.anchored.append((cue["id"], matcher, _anchor(vocab, pattern)))
                continue
            words, pos = single
            # make_doc: "so-called" and "self-defence" are three tokens
            self.phrase_matcher.add(cue["id"], [self.nlp.make_doc(w) for w in words])
            if pos:
                self.pos_filter[cue["id"]] = pos
        # Quote marks, as hashes of their forms (``_scare_quotes``).
        self.quote_marks = frozenset(
            vocab.strings[q] for q in QUOTES + list(SINGLE_OPEN + SINGLE_CLOSE)
        )
        lists = {key: data.get(key) or [] for key in WORD_LISTS}
        self.forms = self.inflector.form_index(
            itertools.chain.from_iterable(lists.values())
        )
        self.act_nouns = frozenset(lists["act_nouns"])
        self.negations = frozenset(w.lower() for w in lists["negations"])
        self.negation_hashes = frozenset(vocab.strings[w] for w in self.negations)
        self.quote_labels = frozenset(lists["scare_quote_labels"])
        self.quote_introducers = frozenset(lists["scare_quote_introducers"])
        self.quote_what_introducers = frozenset(lists["scare_quote_what_introducers"])
        self.quote_what_words = frozenset(lists["scare_quote_what_words"])
        self.organisation_nouns = frozenset(lists["organisation_nouns"])
        self.denial_not_objects = frozenset(lists["denial_not_objects"])
        self.compound_keeps = frozenset(lists["compound_keeps"])
        self.party_subjects = frozenset(w.lower() for w in lists["party_subjects"])
        self.party_negated_not = frozenset(lists["party_negated_not"])
        self.party_negated_objects = frozenset(lists["party_negated_objects"])
        self.conditional = frozenset(
            w.lower() for w in lists["conditional_determiners"]
        )
        self.generic_markers = frozenset(lists["generic_markers"])
        self.anaphoric = frozenset(w.lower() for w in lists["anaphoric_determiners"])
        self.legal_process = frozenset(lists["legal_process_verbs"])
        self.standard_openers = frozenset(w.lower() for w in lists["standard_openers"])
        self.be_complements = frozenset(lists["denial_be_complements"])
        self.political_nouns = frozenset(lists["political_nouns"])

    def _compile(self, token: dict[str, Any]) -> dict[str, Any]:
        """A pattern token with LEMMA rewritten as the lower-cased forms."""
        if "LEMMA" not in token:
            return token
        token = dict(token)
        value = token.pop("LEMMA")
        if isinstance(value, str):
            lemmas = [value]
        elif isinstance(value, dict) and set(value) == {"IN"}:
            lemmas = list(value["IN"])
        else:
            raise PatternDataError(
                f"cue data: LEMMA must be a word or {{IN: [...]}}, got {value!r}."
            )
        forms = set()
        for lemma in lemmas:
            forms |= self.inflector.forms(str(lemma))
        token["LOWER"] = {"IN": sorted(forms)}
        return token

    def lemma(self, token) -> str:
        return token_lemma(token, self.forms)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        seen: set[tuple[int, int, str]] = set()
        strings = self.nlp.vocab.strings
        matches = self._matches(doc)
        if len(self.phrase_matcher):
            matches.extend(self.phrase_matcher(doc))
        for match_id, start, end in matches:
            rule = strings[match_id]
            label = self.labels[rule]
            pos = self.pos_filter.get(rule)
            if pos and doc[start].pos_ not in pos:
                continue
            if not self._keeps(label, rule, doc[start:end]):
                continue
            key = (start, end, label)
            if key not in seen:
                seen.add(key)
                spans.append(Span(doc, start, end, label=label, span_id=rule))
        if self.scare_quotes:
            spans.extend(self._scare_quotes(doc))
        spans.extend(self._party_denials(doc))
        spans.sort(key=lambda s: (s.start, s.end))
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=spans)
        return doc

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matches of the multi-word patterns, each run only on windows
        around its anchor words (never across a sentence boundary)."""
        if not self.anchored or not len(doc):
            return []
        where: dict[int, list[int]] = {}
        for i, word in enumerate(doc.to_array(LOWER).tolist()):
            where.setdefault(word, []).append(i)
        sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        starts = [0] * len(doc)
        for index, sent in enumerate(sents):
            starts[sent.start : sent.end] = [index] * len(sent)
        found: list[tuple[int, int, int]] = []
        for _rule, matcher, anchor in self.anchored:
            if anchor is None:
                found.extend(matcher(doc))
                continue
            words = anchor.hashes.intersection(where)
            if not words:
                continue
            # Windows around each anchor word, as wide as the pattern can
            # reach on either side, clipped to the sentence and merged.
            windows: list[list[int]] = []
            positions = sorted(i for word in words for i in where[word])
            for i in positions:
                sent = sents[starts[i]]
                lo = (
                    sent.start
                    if anchor.before is None
                    else max(sent.start, i - anchor.before)
                )
                hi = (
                    sent.end
                    if anchor.after is None
                    else min(sent.end, i + anchor.after + 1)
                )
                if windows and lo <= windows[-1][1]:
                    windows[-1][1] = max(windows[-1][1], hi)
                else:
                    windows.append([lo, hi])
            for lo, hi in windows:
                found.extend(
                    (match_id, lo + a, lo + b) for match_id, a, b in matcher(doc[lo:hi])
                )
        return found

    def _keeps(self, label: str, rule: str, span: Span) -> bool:
        if label == "legal_illegal":
            return self._characterises_act(span)
        if label == "rescue":
            return not self._names_organisation(span)
        if label == "denial":
            # "a fiercely contested area" describes, it rebuts nothing
            return not self._rejects_a_demand(span) and span.root.dep_ != "amod"
        if label == "non_assertion":
            return span.root.pos_ in ("NOUN", "PROPN") or self._main_clause(span)
        if label == "official_account":
            return not self._negated(span.root)  # "did not trigger any crossfire"
        if label == "legal_official" and len(span) == 1:
            # "the legitimate government", "legitimate concerns": no legal
            # frame of an act.
            return self.lemma(span.root.head) not in self.political_nouns
        return True

    def _negated(self, tok) -> bool:
        """The word or the verb it belongs to is negated. Spanish models
        (UD labels) attach "no" as ``advmod``, not ``neg``: "y no en un
        enfrentamiento" rebuts the account, it does not give it."""
        spanish = self.nlp.lang == "es"
        if spanish and tok.head.lower_ in self.negations:
            return True  # "no" heading the phrase: "y no en un enfrentamiento"
        for node in (tok, tok.head):
            for c in node.children:
                if c.dep_ == "neg" or (
                    spanish and c.dep_ == "advmod" and c.lower_ in self.negations
                ):
                    return True
        return False

    def _characterises_act(self, span: Span) -> bool:
        """Keep "the strikes are illegal", drop "illegal fishing" and
        "not unlawful"."""
        tok = span.root
        if any(c.lower_ in self.negations for c in tok.children) or any(
            c.lower_ in self.negations and c.dep_ == "neg" for c in tok.head.children
        ):
            return False
        if (tok.ent_type_ == "ORG" and not tok.is_upper) or self._conditional(tok):
            return False  # a name (in capitals the tagger sees names everywhere)
        if self._anaphoric(span) or self._legal_process(tok) or self._standard(tok):
            return False
        if len(span) > 1:
            return True  # a phrase ("war crimes", "summary executions")
        if self._in_a_name(tok):
            return False  # "Monitoring Violations"
        if self._generic(tok):
            return False  # "An extrajudicial killing is the killing of ..."
        if tok.dep_ in ("amod", "compound") and tok.head.pos_ in ("NOUN", "PROPN"):
            if self.lemma(tok.head) in self.act_nouns:
                return True  # "extrajudicial killings", "EXTRAJUDICIAL KILLINGS"
            if tok.dep_ == "amod":
                return False  # "illegal fishing"
        return not (
            tok.dep_ == "compound" and self.lemma(tok) not in self.compound_keeps
        )

    def _anaphoric(self, span: Span) -> bool:
        """ "such crimes", "these killings": a word pointing back at acts
        named elsewhere judges nothing in its own sentence."""
        nouns = {span.root, span.root.head} if span.root.dep_ == "amod" else {span.root}
        return any(
            c.lower_ in self.anaphoric and c.dep_ in ("amod", "det", "predet")
            for noun in nouns
            for c in noun.children
        )

    def _legal_process(self, tok) -> bool:
        """ "charged with murder", "convicted of war crimes", "arrested for
        murder": the charge in a legal process, not a judgement of an act."""
        node = tok
        for _ in range(3):
            if node.dep_ == "pobj" and node.head.lower_ in ("with", "of", "for"):
                return self.lemma(node.head.head) in self.legal_process
            if node.dep_ not in ("compound", "amod", "conj") or node.head.i == node.i:
                return False
            node = node.head
        return False

    def _standard(self, tok) -> bool:
        """ "Under international law, indiscriminate attacks amount to war
        crimes": a statement of the law, not a finding about an act."""
        sent = tok.sent
        words = [t for t in sent if not t.is_punct and not t.is_space][:6]
        return (
            bool(words)
            and words[0].lower_ in self.standard_openers
            and any(self.lemma(t) == "law" for t in words)
        )

    def _conditional(self, tok) -> bool:
        """The word sits in a phrase under "any" ("any breaches", "any
        officer found responsible for unlawful force"): a condition."""
        node = tok

        def under_any(word) -> bool:
            return any(
                c.dep_ == "det" and c.lower_ in self.conditional for c in word.children
            )

        for _ in range(6):
            if under_any(node) or any(
                c.dep_ in ("nsubj", "nsubjpass") and under_any(c) for c in node.children
            ):
                return True
            if node.head.i == node.i or node.dep_ in ("ROOT", "ccomp", "conj"):
                return False
            node = node.head
        return False

    def _main_clause(self, span: Span) -> bool:
        """The verb of ``span`` heads the sentence or a reported clause
        ("we would be saddened", "said it was considering"), not a
        subordinate one ("if they would agree")."""
        verb = span.root
        if verb.dep_ in ("aux", "auxpass"):
            verb = verb.head
        if verb.dep_ == "conj":
            verb = verb.head
        return verb.dep_ in ("ROOT", "ccomp")

    def _in_a_name(self, tok) -> bool:
        """A capitalised word next to another, in a sentence that is not a
        title-case headline (three words or more in lower case), is part of
        a name ("Roots for Rights and Monitoring Violations")."""
        if not tok.is_title or tok.i == tok.sent.start:
            return False
        doc = tok.doc
        neighbours = [
            doc[i]
            for i in (tok.i - 1, tok.i + 1)
            if tok.sent.start < i < tok.sent.end and doc[i].is_alpha
        ]
        if not any(t.is_title for t in neighbours):
            return False
        lower = sum(1 for t in tok.sent if t.is_alpha and t.is_lower and len(t) > 3)
        return lower >= 3

    def _generic(self, tok) -> bool:
        """A definition or a habit, not a finding: the word is in the
        subject of a present-tense sentence whose subject has no definite
        determiner, and the sentence defines ("An X is ...") or generalises
        ("often", "mostly": ``generic_markers``)."""
        sent = tok.sent
        root = sent.root
        if root.tag_ not in ("VBZ", "VBP"):
            return False
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        subject = next(
            (s for s in subjects if s.left_edge.i <= tok.i <= s.right_edge.i), None
        )
        if subject is None:
            return False
        dets = {c.lower_ for c in subject.children if c.dep_ == "det"}
        if dets - {"a", "an"}:
            return False
        if dets and self.lemma(root) == "be":
            return True
        return any(self.lemma(t) in self.generic_markers for t in sent)

    def _rejects_a_demand(self, span: Span) -> bool:
        """ "rejected calls for an inquiry" rejects a demand, and "deny
        Daesh any space" withholds something: neither rebuts a claim."""
        root = span.root
        objects = [c for c in root.children if c.dep_ in ("dobj", "dative")]
        if sum(1 for c in root.children if c.dep_ in ("dobj", "dative")) >= 2:
            return True
        return bool(objects) and all(
            self.lemma(o) in self.denial_not_objects for o in objects
        )

    def _names_organisation(self, span: Span) -> bool:
        tok = span.root
        if tok.dep_ not in ("compound", "amod"):
            return False
        # "the rescue charity", "the rescue charity Blue Line"
        near = {self.lemma(tok.head)} | {
            self.lemma(c) for c in tok.head.children if c.dep_ == "compound"
        }
        return bool(near & self.organisation_nouns)

    def _party_denials(self, doc: Doc) -> list[Span]:
        """A party negating what it is said to have done: "police were not
        responsible", "our forces did not target civilians", "the army had
        no missions there". The clause's subject is one of the
        ``party_subjects`` (a force, an authority, "we"); the verb is not
        one of saying or knowing (those are refusals)."""
        found = []
        # Only the negation words are read as Tokens (one array of the
        # whole Doc's lower-case hashes, not a Python object per token).
        negations = self.negation_hashes
        for i, lower in enumerate(doc.to_array(LOWER).tolist()):
            if lower not in negations:
                continue
            tok = doc[i]
            if tok.dep_ == "neg":
                verb = tok.head
            elif tok.dep_ == "det" and tok.head.dep_ in ("dobj", "attr"):
                verb = tok.head.head  # "had no missions"
            else:
                continue
            if self.lemma(verb) in self.party_negated_not:
                continue
            if self.lemma(verb) == "be" and not self._denied_state(verb):
                continue  # "it was not possible", "it is not clear"
            if tok.dep_ == "det" and self.lemma(tok.head) in self.party_negated_objects:
                continue  # "we have no indications", "no comment"
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subjects and verb.dep_ in ("acomp", "xcomp"):
                subjects = [
                    c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")
                ]
            if any(self._is_party(s) for s in subjects):
                lo, hi = min(tok.i, verb.i), max(tok.i, verb.i) + 1
                found.append(
                    Span(
                        doc,
                        lo,
                        hi,
                        label="counter_denial",
                        span_id="denial.party_negation",
                    )
                )
        return found

    def _denied_state(self, verb) -> bool:
        """ "was not responsible", "were not there": a party's own role in
        the act, not any plain negative."""
        complements = [
            c for c in verb.children if c.dep_ in ("acomp", "attr", "prep", "advmod")
        ]
        return any(self.lemma(c) in self.be_complements for c in complements)

    def _is_party(self, subject) -> bool:
        if subject.lower_ in self.party_subjects:
            return True
        if subject.ent_type_ in ("GPE", "NORP") and subject.pos_ == "PROPN":
            return True  # "Ethiopia did not target civilians"
        words = {self.lemma(t) for t in subject.subtree if t.pos_ in ("NOUN", "PROPN")}
        return bool(words & self.party_subjects) and subject.pos_ in ("NOUN", "PROPN")

    def _scare_quotes(self, doc: Doc) -> list[Span]:
        """Short quoted labels: a quoted noun phrase naming people
        ("narco-terrorists"), or one that a source calls something by
        ("what police are calling a 'medical incident'")."""
        found = []
        # The quote marks' positions, read off one array of the Doc's forms.
        marks = self.quote_marks
        positions = [
            i for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in marks
        ]
        for open_i, close_i in itertools.pairwise(positions):
            opening, closing = doc[open_i], doc[close_i]
            if opening.text in SINGLE_CLOSE and opening.text not in SINGLE_OPEN:
                continue
            if closing.text in SINGLE_OPEN and closing.text not in SINGLE_CLOSE:
                continue
            inner = doc[open_i + 1 : close_i]
            if not 1 <= len(inner) <= 6 or opening.sent != closing.sent:
                continue
            if opening.text in SINGLE_OPEN and (
                opening.text == "'" and open_i > 0 and not doc[open_i - 1].whitespace_
            ):
                continue  # an apostrophe, not an opening mark
            if any(
                t.pos_ in ("AUX", "PRON")
                or (t.pos_ == "VERB" and t.dep_ not in ("amod", "compound"))
                for t in inner
            ):
                continue  # a quoted clause, not a label
            words = {self.lemma(t) for t in inner} | {t.lower_ for t in inner}
            before = doc[max(opening.sent.start, open_i - 4) : open_i]
            # "a so-called 'clean' strike", "what police are calling a
            # 'medical incident'"; not "called it a 'righteous' strike"
            lemmas_before = [self.lemma(t) for t in before]
            introduced = any(w in self.quote_introducers for w in lemmas_before) or (
                any(w in self.quote_what_words for w in lemmas_before)
                and any(w in self.quote_what_introducers for w in lemmas_before)
                and any(t.pos_ == "NOUN" for t in inner)
            )
            # "any 'rocket attack'": a short quoted noun phrase used as a
            # label
            labelled = (
                len(inner) <= 3
                and open_i > 0
                and doc[open_i - 1].dep_ == "det"
                and any(t.pos_ in ("NOUN", "PROPN") for t in inner)
                # "was a 'tragic mistake'": the speaker's own predicate
                and inner.root.dep_ not in ("attr", "acomp")
            )
            if words & self.quote_labels or introduced or labelled:
                found.append(
                    Span(
                        doc, open_i, close_i + 1, label="hedge", span_id="hedge.quotes"
                    )
                )
        return found


class _Anchor:
    """Where a multi-word pattern can match: the hashes of the words of its
    anchor token (a required token with the fewest words), and how many
    tokens the pattern can reach before and after it (None: no limit)."""

    def __init__(self, hashes: list[int], before: int | None, after: int | None):
        self.hashes = frozenset(hashes)
        self.before = before
        self.after = after


def _reach(token: dict[str, Any]) -> int | None:
    """The most tokens one pattern token can take (None: no limit)."""
    op = token.get("OP")
    if op in (None, "?", "!"):
        return 0 if op == "!" else 1
    if op in ("*", "+"):
        return None
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        bounds = op[1:-1].split(",")
        top = bounds[-1].strip()
        return int(top) if top else None
    return None


def _anchor(vocab, pattern: list[dict[str, Any]]) -> _Anchor | None:
    """The anchor of a pattern (see ``_Anchor``), or None when every token
    is optional or has no word list (then the whole text is searched)."""
    best: tuple[tuple[bool, int], int, list[str]] | None = None
    for position, token in enumerate(pattern):
        if token.get("OP") not in (None, "+"):
            continue
        for key in ("LOWER", "ORTH"):
            value = token.get(key)
            words = None
            if isinstance(value, str):
                words = [value]
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words = [str(w) for w in value["IN"]]
            if words is None:
                continue
            if key == "ORTH":
                words = [w.lower() for w in words]
            # Rare words make good anchors: a list with a stop word ("of",
            # "to", "not") ranks after every list without one.
            rank = (any(vocab[w].is_stop or not w.isalpha() for w in words), len(words))
            if best is None or rank < best[0]:
                best = (rank, position, words)
    if best is None:
        return None
    _rank, position, words = best
    reaches = [_reach(t) for t in pattern]
    before_parts = reaches[:position]
    after_parts = reaches[position + 1 :]
    before = None if None in before_parts else sum(before_parts)  # type: ignore[arg-type]
    after = None if None in after_parts else sum(after_parts)  # type: ignore[arg-type]
    if reaches[position] is None:
        before = after = None  # "+": the anchor itself repeats
    return _Anchor([vocab.strings.add(w) for w in words], before, after)


def _single_word(pattern) -> tuple[list[str], set[str]] | None:
    """(words, allowed POS) for a one-token LOWER pattern without
    operators, else None."""
    if len(pattern) != 1:
        return None
    token = dict(pattern[0])
    pos = token.pop("POS", None)
    if set(token) != {"LOWER"}:
        return None
    value = token["LOWER"]
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        words = list(value["IN"])
    else:
        return None
    if any(not isinstance(w, str) or " " in w or not w for w in words):
        return None  # the Matcher checks (and rejects) what is left
    if isinstance(pos, str):
        pos = {pos}
    elif isinstance(pos, dict) and set(pos) == {"IN"}:
        pos = set(pos["IN"])
    elif pos is not None:
        return None
    return [w.lower() for w in words], pos or set()
