"""Who is speaking: the claimant type of a source's noun phrase.

The types are the ten of ``shared/guide/tags.md`` (``CLAIMANT_TYPES``).
Typing is lexical (``patterns/claimants.yaml``): the first role in
``order`` whose lemma or phrase occurs in the source's noun phrase wins.
The ``government`` role is then split by state, because "the ministry
said" is the acting government in one project and another government in
the next: a phrase naming a state that is not one of the acting states
(``DocumentContext.acting_states``, else the states the text says used
force) is ``other_government``; otherwise ``acting_government``.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.nlp import validation
from corpus.nlp.validation import CLAIMANT_TYPES

ACTING_GOVERNMENT = "acting_government"
OTHER_GOVERNMENT = "other_government"
UN = "un"
RIGHTS_GROUP = "rights_group"
EXPERT = "expert"
REPORTER = "reporter"
COLUMNIST = "columnist"
MEDIA = "media"
LEGISLATOR = "legislator"
WITNESS = "witness"
GOVERNMENT = "government"  # a role, split into the two government types
UNKNOWN = ""  # a source nothing in the lexicon types ("critics said")

GOVERNMENT_TYPES = frozenset({ACTING_GOVERNMENT, OTHER_GOVERNMENT})
STATE_ENTITY_LABELS = frozenset({"GPE", "NORP"})
__all__ = ["CLAIMANT_TYPES", "ClaimantTyper"]


class ClaimantTyper:
    """Types a source span from the claimant lexicon (validated on build)."""

    def __init__(self, lexicon: dict[str, Any]) -> None:
        lexicon = validation.claimant_lexicon(lexicon)
        roles = lexicon["roles"]
        self.order: list[str] = list(lexicon["order"])
        self.lemmas = {
            role: frozenset(w.lower() for w in roles[role].get("lemmas") or [])
            for role in self.order
        }
        # Lemmas that spaCy splits into several tokens ("cjtf-oir") are
        # matched as phrases too.
        self.phrases = {
            role: _phrase_regex(
                [*(roles[role].get("phrases") or []), *_split_words(self.lemmas[role])]
            )
            for role in self.order
        }
        self.armed = frozenset(w.lower() for w in lexicon.get("armed_groups") or [])
        self.violent = frozenset(lexicon.get("violent_verbs") or [])
        self.collective = frozenset(lexicon.get("collective_nouns") or [])
        self.person_nouns = frozenset(lexicon.get("person_nouns") or [])
        self.local = frozenset(w.lower() for w in lexicon.get("local_roles") or [])
        self.representatives = frozenset(
            w.lower() for w in lexicon.get("state_representatives") or []
        )
        self.former = frozenset(lexicon.get("former_markers") or [])
        self.legal_roles = frozenset(lexicon.get("legal_roles") or [])
        self.aliases: dict[str, int] = {}
        self.alias_stems: dict[str, int] = {}
        for index, group in enumerate(lexicon.get("state_aliases") or []):
            for name in group:
                self.aliases[name.lower()] = index
                if len(name) >= 5 and name.isalpha():
                    self.alias_stems.setdefault(name[:5].lower(), index)
        self.alias_phrases = _phrase_regex([a for a in self.aliases if " " in a])

    def role_of(self, tokens, *, states: bool = True) -> str:
        """The role of a sequence of tokens (a claimant type or
        ``government``), or "" if none fits."""
        tokens = list(tokens)
        if not tokens:
            return UNKNOWN
        lemmas = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
        if lemmas & self.former and lemmas & self.legal_roles:
            return EXPERT
        text = _text(tokens)
        for role in self.order:
            pattern = self.phrases[role]
            if lemmas & self.lemmas[role] or (
                pattern is not None and pattern.search(text)
            ):
                if (
                    role == UN
                    and lemmas & self.representatives
                    and self.states_in(tokens)
                ):
                    # "Russia's U.N. ambassador" speaks for Russia.
                    return GOVERNMENT
                if role == WITNESS and self._with_a_party(tokens, lemmas, text):
                    # "Aid workers and the TPLF said": the party named
                    # beside the witnesses is the one a claim is weighed by.
                    return GOVERNMENT
                return role
        if states and any(t.ent_type_ == "GPE" for t in tokens):
            # A state named as a speaker ("Venezuela said") is its government.
            return GOVERNMENT
        return UNKNOWN

    def _with_a_party(self, tokens, lemmas: set[str], text: str) -> bool:
        """Coordinated sources ("X and Y") one of which is a government or
        armed party."""
        if not any(t.dep_ == "cc" for t in tokens):
            return False
        pattern = self.phrases.get(GOVERNMENT)
        return bool(lemmas & self.lemmas.get(GOVERNMENT, frozenset())) or bool(
            pattern is not None and pattern.search(text)
        )

    def type_of(self, tokens, acting: set[str] | frozenset[str] = frozenset()) -> str:
        """The claimant type of a source phrase given the acting states'
        keys, or "" if nothing types it."""
        tokens = list(tokens)
        role = self.role_of(tokens)
        if role == GOVERNMENT:
            return self.government_type(tokens, acting)
        return role

    def government_type(self, tokens, acting) -> str:
        """Acting or other government, by the states (or armed group) the
        phrase names."""
        if not acting:
            return ACTING_GOVERNMENT
        words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}
        # A city's police or a province's governor: only a demonym or an
        # alias names their state ("Minneapolis police" are domestic).
        local = bool(words & self.local)
        states = self.states_in(tokens, cities=not local)
        if states & acting:
            return ACTING_GOVERNMENT
        groups = words & self.armed
        if groups:
            # "Houthi officials", "the RSF": an armed group is another party
            # unless it is itself acting.
            keys = {self.state_key(g) for g in groups}
            return ACTING_GOVERNMENT if keys & acting else OTHER_GOVERNMENT
        if states:
            return OTHER_GOVERNMENT
        return ACTING_GOVERNMENT

    def state_key(self, name: str) -> str:
        """A comparable key for a state name, demonym or alias."""
        name = name.lower().strip()
        if name.startswith("the "):
            name = name[4:]
        if name.endswith("'s") or name.endswith("\u2019s"):
            name = name[:-2]
        if name in self.aliases:
            return f"alias:{self.aliases[name]}"
        # "Veridian"/"Veridia", "Mexican"/"Mexico", "Saudi-led": compare
        # stems (an alias's stem stands for its group).
        stem = name[:5]
        if stem in self.alias_stems:
            return f"alias:{self.alias_stems[stem]}"
        return stem

    def keys_of_names(self, names) -> set[str]:
        """Keys of the acting states named by a project ("Sudan (Rapid
        Support Forces)" names both the state and the force)."""
        keys: set[str] = set()
        for name in names:
            for part in re.split(r"[()/,;]| and ", name):
                part = part.strip()
                if part:
                    keys.add(self.state_key(part))
        return keys

    def states_in(self, tokens, *, cities: bool = True) -> set[str]:
        """Keys of the states named (as GPE/NORP entities or aliases);
        without ``cities``, GPE entities (which may be a city or province)
        do not count, only demonyms (NORP) and aliases."""
        tokens = list(tokens)
        keys: set[str] = set()
        seen: set[int] = set()
        text = _text(tokens)
        if self.alias_phrases is not None:
            for match in self.alias_phrases.finditer(text):
                keys.add(self.state_key(match.group(0)))
        for tok in tokens:
            if not cities and (
                tok.ent_type_ == "GPE"
                or (
                    tok.ent_type_ == "NORP"
                    and tok.lower_ not in self.aliases
                    and not tok.lower_.endswith(DEMONYM_ENDINGS)
                )
            ):
                continue
            if tok.ent_type_ in STATE_ENTITY_LABELS and tok.i not in seen:
                ent = _entity_of(tok)
                if ent is not None:
                    seen.update(range(ent.start, ent.end))
                    keys.add(self.state_key(ent.text))
            elif tok.lower_ in self.aliases:
                keys.add(self.state_key(tok.lower_))
            elif tok.is_title and _looks_like_state(tok, cities):
                # Names the model does not know: "Oskarian jets",
                # "Marenna's foreign minister".
                keys.add(self.state_key(tok.text))
        return keys

    def acting_state(self, verbs) -> set[str]:
        """The state(s) whose forces used force, when nobody said: the
        states named in the subject of the first violent verb ("US forces
        killed ...").

        ``verbs`` are the candidate verb tokens in document order (found by
        a matcher, so the whole document is never walked in Python)."""
        for tok in verbs:
            if tok.lemma_ in self.violent:
                for child in tok.children:
                    if child.dep_ in ("nsubj", "agent"):
                        states = self.states_in(list(child.subtree))
                        if states:
                            return states
        return set()


def _text(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).lower()


def _split_words(words) -> list[str]:
    return [w for w in words if not w.replace(".", "").isalnum()]


def _phrase_regex(phrases) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = "|".join(
        re.escape(p.lower()) for p in sorted(phrases, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w.-])(?:{alternatives})(?!\w)")


DEMONYM_ENDINGS = ("ian", "an", "ese", "ish", "i")


def _looks_like_state(tok, cities: bool = True) -> bool:
    if tok.pos_ == "ADJ" and tok.lower_.endswith(DEMONYM_ENDINGS):
        return True
    return cities and tok.pos_ == "PROPN" and tok.dep_ == "poss"


def _entity_of(token):
    """The entity span around ``token`` from its IOB tags (no scan of
    ``doc.ents``, which rebuilds every entity span on each access)."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
