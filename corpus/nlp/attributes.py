"""The model's ``attribute_ruler``, matched by table look-up instead of a Matcher.

spaCy's ``AttributeRuler`` runs a ``Matcher`` of every rule over every
token: in ``en_core_web_sm`` 179 rules, nearly all of one token
(``{"TAG": "NN"}``, ``{"LOWER": "n't", "TAG": "RB"}``), costing about a
seventh of the whole model's time. ``GlossaAttributeRuler`` is the same
component (a subclass, same patterns, same serialisation) whose ``match``
finds the one-token rules by looking each token's TAG and LOWER up in
tables and checking the rule's other exact values; only the few rules a
table cannot express (several tokens, REGEX, other operators) go through a
``Matcher``. It returns the very list the parent's ``match`` returns (the
same ``(rule, key, start, end)`` tuples, sorted the same way, so later
rules still win), and ``set_annotations`` is the parent's: the tokens'
POS, MORPH and LEMMA are what the model's own ruler gives
(``tests/corpus/nlp/test_attribute_ruler.py`` compares them).

``add_components`` swaps it in for the model's ruler under the same name.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "glossa_attribute_ruler_v1"

# Pattern keys a table can check, and the operators it knows (as the
# Matcher reads them: IN / NOT_IN over the values, REGEX with re.search).
SIMPLE_KEYS = {
    "TAG": TAG,
    "LOWER": LOWER,
    "DEP": DEP,
    "IS_SPACE": IS_SPACE,
    "ORTH": ORTH,
    "TEXT": ORTH,
    "POS": POS,
}
OPERATORS = ("IN", "NOT_IN", "REGEX")

# Distinct attribute combinations remembered (the rules each matches).
CACHE_SIZE = 100_000

# One check: (attribute, operator, values or compiled regex).
Check = tuple[int, str, Any]


class GlossaAttributeRuler(AttributeRuler):
    """``AttributeRuler`` with a table look-up for its one-token rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built = False

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._built = False  # rebuilt on the next call

    def clear(self) -> None:
        super().clear()
        self._built = False

    # -- compiling the rules -------------------------------------------------

    def _check(self, key: str, value: Any) -> Check | None:
        """One attribute's condition, or None when a table cannot check it."""
        attr = SIMPLE_KEYS.get(key)
        if attr is None:
            return None
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in OPERATORS:
                return None
            [(operator, operand)] = value.items()
            if operator == "REGEX":
                if attr == IS_SPACE or not isinstance(operand, str):
                    return None
                return (attr, operator, re.compile(operand))
            if not isinstance(operand, list):
                return None
            values = operand
        else:
            operator, values = "IN", [value]
        out = set()
        for item in values:
            if attr == IS_SPACE:
                if not isinstance(item, bool):
                    return None
                out.add(int(item))
            elif isinstance(item, str):
                out.add(self.vocab.strings.add(item))
            else:
                return None
        return (attr, operator, frozenset(out))

    def _checks(self, spec: Any) -> list[Check] | None:
        """The conditions of one token's pattern, or None if not all simple."""
        if not isinstance(spec, dict) or not spec:
            return None
        checks = []
        for key, value in spec.items():
            check = self._check(key, value)
            if check is None:
                return None
            checks.append(check)
        return checks

    def _build(self) -> None:
        simple: list[tuple[int, list[Check]]] = []
        starts: list[list[Check]] = []  # first tokens of the Matcher's rules
        always_run = False
        rest = Matcher(self.vocab, validate=False)
        for attr_id, rule in enumerate(self.patterns):
            complex_patterns: list[Any] = []
            patterns: Any = rule["patterns"]
            for pattern in patterns:
                first = pattern[0] if isinstance(pattern, list) and pattern else None
                checks = self._checks(first)
                if checks is not None and len(pattern) == 1:
                    simple.append((attr_id, checks))
                    continue
                complex_patterns.append(pattern)
                if checks is None or "OP" in (first or {}):
                    always_run = True
                else:
                    starts.append(checks)
            if complex_patterns:
                rest.add(self.vocab.strings.add(str(attr_id)), complex_patterns)
        # Only the attributes some check reads, in a fixed order; a check
        # names its column by position in that order.
        every = [c for _, checks in simple for c in checks] + [
            c for checks in starts for c in checks
        ]
        self._columns = sorted({attr for attr, _, _ in every}) or [TAG]
        position = {attr: i for i, attr in enumerate(self._columns)}

        def placed(checks: list[Check]) -> tuple[Check, ...]:
            return tuple((position[a], op, v) for a, op, v in checks)

        # One-token rules keyed by an exact TAG or LOWER value where they
        # have one (most do), so a token is checked against few of them.
        index: dict[tuple[int, int], list[tuple[int, tuple[Check, ...]]]] = {}
        unkeyed: list[tuple[int, tuple[Check, ...]]] = []
        for attr_id, checks in simple:
            entry = (attr_id, placed(checks))
            keyed = [c for c in checks if c[0] in (TAG, LOWER) and c[1] == "IN"]
            if keyed:
                attr, _, values = keyed[0]
                for value in values:
                    index.setdefault((position[attr], value), []).append(entry)
            else:
                unkeyed.append(entry)
        self._index = index
        self._unkeyed = unkeyed
        self._keyed_columns = [position[a] for a in (TAG, LOWER) if a in position]
        self._starts = None if always_run else [placed(c) for c in starts]
        self._rest = rest
        self._cache: dict[tuple[int, ...], tuple[tuple[int, ...], bool]] = {}
        self._keys = [self.vocab.strings.add(str(i)) for i in range(len(self.attrs))]
        self._built = True

    # -- matching ------------------------------------------------------------

    def _passes(self, row: tuple[int, ...], checks: tuple[Check, ...]) -> bool:
        for column, operator, operand in checks:
            value = row[column]
            if operator == "IN":
                if value not in operand:
                    return False
            elif operator == "NOT_IN":
                if value in operand:
                    return False
            elif not operand.search(self.vocab.strings[value]):
                return False
        return True

    def _look_up(self, row: tuple[int, ...]) -> tuple[tuple[int, ...], bool]:
        """The one-token rules a token with these attribute values matches,
        and whether it can start one of the Matcher's rules."""
        candidates = list(self._unkeyed)
        for column in self._keyed_columns:
            candidates += self._index.get((column, row[column]), [])
        rules = tuple(
            sorted(
                {attr_id for attr_id, checks in candidates if self._passes(row, checks)}
            )
        )
        starts = self._starts is None or any(
            self._passes(row, checks) for checks in self._starts
        )
        return rules, starts

    def match(self, doc):
        if not self._built:
            self._build()
        keys, cache = self._keys, self._cache
        found = []
        run_rest = self._starts is None
        if len(doc):
            rows = doc.to_array(self._columns).tolist()
            if len(self._columns) == 1:
                rows = [[row] for row in rows]
            for i, row in enumerate(map(tuple, rows)):
                hit = cache.get(row)
                if hit is None:
                    hit = self._look_up(row)
                    if len(cache) >= CACHE_SIZE:
                        cache.clear()
                    cache[row] = hit
                rules, starts = hit
                run_rest = run_rest or starts
                for attr_id in rules:
                    found.append((attr_id, keys[attr_id], i, i + 1))
        if run_rest and len(self._rest):
            found += [
                (int(self.vocab.strings[m_id]), m_id, s, e)
                for m_id, s, e in self._rest(doc, allow_missing=True, as_spans=False)
            ]
            # A token a rule matches through two of its patterns is one
            # match, as in the Matcher.
            found = list(set(found))
        found.sort()
        return found

    def set_annotations(self, doc, matches):
        """The parent's, without building a Span for a one-token match."""
        attrs, indices = self.attrs, self.indices
        for match in matches:
            attr_id, _, start, end = match
            if end - start == 1 and indices[attr_id] in (0, -1):
                set_token_attrs(doc[start], attrs[attr_id])
            else:
                super().set_annotations(doc, [match])


@Language.factory(
    FACTORY,
    default_config={
        "validate": False,
        "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"},
    },
)
def make_glossa_attribute_ruler(nlp: Language, name: str, validate: bool, scorer):
    return GlossaAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def speed_up_attribute_ruler(nlp: Language) -> None:
    """Swap the model's ``attribute_ruler`` for a ``GlossaAttributeRuler``
    holding the same rules, under the same name and at the same place."""
    name = "attribute_ruler"
    if name not in nlp.pipe_names:
        return
    old = nlp.get_pipe(name)
    if type(old) is not AttributeRuler:
        return
    patterns = old.patterns
    new = nlp.replace_pipe(name, FACTORY)
    assert isinstance(new, GlossaAttributeRuler)
    new.add_patterns(patterns)
