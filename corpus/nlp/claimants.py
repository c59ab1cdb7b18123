"""Who is speaking: claimant types for attribution sources.

The strings match ``annotations.models.ClaimantType`` values; ``corpus``
never imports ``annotations``, so they are repeated here. Typing is lexical
(see ``patterns/claimants.yaml``): the first type in ``order`` whose lemma
or phrase occurs in the source's noun phrase wins. Officials of a state
other than the acting one (the state whose forces did the killing, found
by ``acting_state``) become ``other_government``.
"""

from __future__ import annotations

from typing import Any

OFFICIAL = "official"
MILITARY = "military"
OTHER_GOVERNMENT = "other_government"
EXPERT = "expert"
UN_BODY = "un_body"
NGO = "ngo"
JOURNALIST = "journalist"
LEGISLATOR = "legislator"
WITNESS = "witness"
UNATTRIBUTED = "unattributed"

CLAIMANT_TYPES = (
    OFFICIAL,
    MILITARY,
    OTHER_GOVERNMENT,
    EXPERT,
    UN_BODY,
    NGO,
    JOURNALIST,
    LEGISLATOR,
    WITNESS,
    UNATTRIBUTED,
)
STATE_TYPES = frozenset({OFFICIAL, MILITARY, OTHER_GOVERNMENT})
STATE_ENTITY_LABELS = frozenset({"GPE", "NORP"})
VIOLENT_LEMMAS = frozenset(
    {"kill", "strike", "attack", "destroy", "sink", "bomb", "shoot", "target", "hit"}
)


class ClaimantTyper:
    """Types a source span from the claimant lexicon."""

    def __init__(self, lexicon: dict[str, Any]) -> None:
        self.order: list[str] = list(lexicon["order"])
        self.lemmas = {
            kind: frozenset(lexicon[kind].get("lemmas") or []) for kind in self.order
        }
        self.phrases = {
            kind: tuple(lexicon[kind].get("phrases") or []) for kind in self.order
        }
        self.former = frozenset(lexicon.get("former_markers") or [])
        self.legal_roles = frozenset(lexicon.get("legal_roles") or [])
        self.aliases: dict[str, int] = {}
        for index, group in enumerate(lexicon.get("state_aliases") or []):
            for name in group:
                self.aliases[name.lower()] = index

    def type_of(self, tokens) -> str:
        """The claimant type of a sequence of tokens, or "" if none fits."""
        lemmas = {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}
        if lemmas & self.former and lemmas & self.legal_roles:
            return EXPERT
        text = " ".join(t.lower_ for t in tokens)
        for kind in self.order:
            if lemmas & self.lemmas[kind]:
                return kind
            if any(f" {p} " in f" {text} " for p in self.phrases[kind]):
                return kind
        if any(t.ent_type_ == "GPE" for t in tokens):
            # A state named as a speaker ("Venezuela said") is its government.
            return OFFICIAL
        return ""

    def state_key(self, name: str) -> str:
        """A comparable key for a state name, demonym or alias."""
        name = name.lower().strip()
        if name.startswith("the "):
            name = name[4:]
        if name in self.aliases:
            return f"alias:{self.aliases[name]}"
        # "Veridian"/"Veridia", "Mexican"/"Mexico": compare stems.
        return name[:5]

    def states_in(self, tokens) -> set[str]:
        """Keys of the states named (as GPE/NORP entities or aliases)."""
        keys: set[str] = set()
        seen: set[int] = set()
        for tok in tokens:
            if tok.ent_type_ in STATE_ENTITY_LABELS and tok.i not in seen:
                ent = _entity_of(tok)
                if ent is not None:
                    seen.update(range(ent.start, ent.end))
                    keys.add(self.state_key(ent.text))
            elif tok.lower_ in self.aliases:
                keys.add(self.state_key(tok.lower_))
            elif tok.is_title and _looks_like_state(tok):
                # Names the model does not know: "Oskarian jets",
                # "Marenna's foreign minister".
                keys.add(self.state_key(tok.text))
        return keys

    def acting_state(self, verbs) -> set[str]:
        """The state(s) whose forces used force: the states named in the
        subject of the first violent verb ("US forces killed ...").

        ``verbs`` are the candidate verb tokens in document order (found by
        a matcher, so the whole document is never walked in Python)."""
        for tok in verbs:
            if tok.lemma_ in VIOLENT_LEMMAS:
                for child in tok.children:
                    if child.dep_ in ("nsubj", "agent"):
                        states = self.states_in(list(child.subtree))
                        if states:
                            return states
        return set()


DEMONYM_ENDINGS = ("ian", "an", "ese", "ish", "i")


def _looks_like_state(tok) -> bool:
    if tok.pos_ == "ADJ" and tok.lower_.endswith(DEMONYM_ENDINGS):
        return True
    return tok.pos_ == "PROPN" and tok.dep_ == "poss"


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
