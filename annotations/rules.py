"""From the spaCy analysis of a document to suggested tags (Suggestions).

The analysis (``DocumentAnalysis.data``, see ``corpus.nlp``) lists sentences,
attributions, cues and quantities, each with its claimant. Each tag of a
project carries ``Tag.patterns``: rules an owner can edit. A tag is
suggested for a **sentence** (the span is the whole sentence, as the
labelling conventions in tags.md are per sentence) when any of its rules
fires there.

Rule format (``Tag.patterns`` is a list of these objects; every key given
must hold, keys left out are not checked)::

    {
      "name": "expert-illegal",          # shown as Suggestion.rule (optional)
      "cue": ["legal_illegal"],          # a cue of one of these labels
      "claimant_type": ["expert", "ngo"],# ... whose claimant has one of these
                                         #     types (without "cue": the
                                         #     sentence's claimant)
      "attributed": true,                # ... said by a named source (true)
                                         #     or in the reporter's voice
      "attribution": {                   # an attribution in the sentence with
        "claimant_type": ["official"],   #   these claimant types,
        "family": ["neutral"],           #   reporting-verb families,
        "min_content_words": 2,          #   at least this much content,
        "unless_content_cue": ["denial"],#   and no such cue in a content
        "bare_content_words": 6          #   this short (a bare rebuttal)
      },
      "sentence": {"via": ["voice"],     # the sentence's claimant came from
                   "claimant_type": [...]},  # the document's own voice
                                         #   ("voice"), a quotation spanning
                                         #   sentences ("quotation") or an
                                         #   attribution ("attribution")
      "quantity": {"counts": ["killed"], "min_value": 1, "cumulative": true},
      "lemma": ["survivor", "rescue"],   # a token with one of these lemmas
      "unless_cue": ["threat"],          # no cue of these labels in the sentence
      "claims_only": true,               # only sentences that assert (default)
      "confidence": 0.8                  # 0..1 (default 0.6)
    }

Cue labels: hedge, no_evidence, no_details, refusal, legal_illegal,
legal_official, official_account, denial, rescue, threat, intelligence,
evidence_offered, status_label, location, victim_identity,
call_for_investigation, unnamed_source, unverified. Claimant types (those
of tags.md): acting_government, other_government, un, rights_group, expert,
reporter, columnist, media, legislator, witness; older analyses used
official, military, un_body, ngo, journalist and unattributed, which are
read as their new names (``TYPE_ALIASES``) so rules name only the new ones.
``""`` is a source that could not be typed ("critics said").
Quantity counts: killed, injured, survivors, missing, aboard, vessels,
strikes (only the first five are counts of people).

A cue rule may also say ``"cue_quoted": true``: the cue counts only when
it is inside a scare quote or right after a hedge (an official's
term echoed: 'killed in "self-defence"', "the alleged terrorists").

Each fired tag carries ``span``: the characters of the words that carry it
(the cue, the figure with what it counts, the attribution), left out when
nothing narrower than the sentence exists.

``sentence_predictions`` is pure (no database): the CLI and the evaluation
use it with the default taxonomy. ``suggestions_create_for_document``
stores Suggestions idempotently and never re-creates one an analyst
rejected (any existing suggestion for the same document, tag and span is
left as it is).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from annotations.defaults import default_tags

logger = logging.getLogger(__name__)

DEFAULT_CONFIDENCE = 0.6
RULE_KEYS = frozenset(
    {
        "name",
        "cue",
        "claimant_type",
        "attribution",
        "sentence",
        "quantity",
        "lemma",
        "unless_cue",
        "attributed",
        "claims_only",
        "confidence",
        "cue_quoted",
    }
)
# Claimant type names of older analyses, read as the names of tags.md.
TYPE_ALIASES = {
    "official": "acting_government",
    "military": "acting_government",
    "un_body": "un",
    "ngo": "rights_group",
    "journalist": "media",
    "unattributed": "reporter",
}
CLOSING_QUOTES = "\"'\u201d\u2019)] "
CLAIMANT_WORDS = {
    "acting_government": "the acting government",
    "other_government": "another government",
    "un": "a UN body or official",
    "rights_group": "a rights group",
    "expert": "an expert",
    "reporter": "the reporter (the document's own voice)",
    "columnist": "the columnist",
    "media": "another outlet",
    "legislator": "a legislator",
    "witness": "a witness or relative",
}


def claimant_type(value: str | None) -> str:
    """The tags.md name of a claimant type (old names mapped). ``""`` is
    kept: a source the pipeline could not type ("critics said")."""
    value = value or ""
    return TYPE_ALIASES.get(value, value)


def patterns_validate(patterns: Any) -> list[str]:
    """Problems with a tag's patterns, in words an owner can act on."""
    if not isinstance(patterns, list):
        return ["Patterns must be a list of rules."]
    errors = []
    for index, rule in enumerate(patterns, start=1):
        if not isinstance(rule, dict):
            errors.append(f"Rule {index} must be an object.")
            continue
        unknown = set(rule) - RULE_KEYS
        if unknown:
            errors.append(
                f"Rule {index} has unknown keys: {', '.join(sorted(unknown))}."
            )
        if not set(rule) - {"name", "confidence", "claims_only", "unless_cue"}:
            errors.append(f"Rule {index} has no condition.")
        for key in ("attribution", "sentence", "quantity"):
            if key in rule and not isinstance(rule[key], dict):
                errors.append(f"Rule {index}: '{key}' must be an object.")
        for key in ("cue", "claimant_type", "lemma", "unless_cue"):
            value = rule.get(key)
            if value is not None and not (
                isinstance(value, str)
                or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            ):
                errors.append(
                    f"Rule {index}: '{key}' must be a word or a list of words."
                )
        confidence = rule.get("confidence", DEFAULT_CONFIDENCE)
        if not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
            errors.append(f"Rule {index}: confidence must be between 0 and 1.")
    return errors


def _types(value) -> set[str] | None:
    """A rule's claimant types under their tags.md names."""
    kinds = _as_set(value)
    return None if kinds is None else {claimant_type(k) for k in kinds}


def _as_set(value) -> set[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {value}
    return set(value)


class SentenceView:
    """What one sentence of the analysis holds, grouped for rule checks.

    Claimant types are read under their tags.md names (``claimant_type``).
    """

    def __init__(self, index: int, sentence: dict, text: str) -> None:
        self.index = index
        self.sentence = {
            **sentence,
            "claimant_type": claimant_type(sentence.get("claimant_type")),
        }
        self.text = text
        self.cues: list[dict] = []
        self.attributions: list[dict] = []
        self.quantities: list[dict] = []
        self.lemmas: set[str] = set()
        self.tokens: list[dict] = []

    @cached_property
    def labels(self) -> set[str]:
        """The labels of the sentence's cues."""
        return {c["label"] for c in self.cues}

    @cached_property
    def is_claim(self) -> bool:
        """The analysis's verdict, and never a question (a question mark
        before closing quotes: '"Will the police just watch?"')."""
        if not self.sentence.get("is_claim", True):
            return False
        return not self.text.rstrip(CLOSING_QUOTES).endswith("?")

    def quoted(self, start: int, end: int) -> bool:
        """Whether the characters ``start:end`` stand inside a scare quote
        (a short quoted label found by the cue component)."""
        return any(
            c["rule"] == "hedge.quotes" and c["start"] <= start and end <= c["end"]
            for c in self.cues
        )

    def hedged(self, start: int, end: int) -> bool:
        """A hedge cue right before the cue ("the alleged terrorists")."""
        return any(
            c["label"] == "hedge" and c["end"] <= start and start - c["end"] <= 12
            for c in self.cues
        )


def _views(data: dict[str, Any], text: str) -> list[SentenceView]:
    sentences = data.get("sentences", [])
    views = [
        SentenceView(i, s, text[s["start"] : s["end"]]) for i, s in enumerate(sentences)
    ]
    for key, attr in (
        ("cues", "cues"),
        ("attributions", "attributions"),
        ("quantities", "quantities"),
    ):
        for item in data.get(key, []):
            index = item.get("sentence", 0)
            if 0 <= index < len(views):
                if "claimant_type" in item:
                    item = {
                        **item,
                        "claimant_type": claimant_type(item["claimant_type"]),
                    }
                getattr(views[index], attr).append(item)
    # Token lemmas, assigned to sentences by offset (both lists are sorted).
    i = 0
    for token in data.get("tokens", []):
        while i < len(views) and token["start"] >= views[i].sentence["end"]:
            i += 1
        if i == len(views):
            break
        if token["start"] >= views[i].sentence["start"]:
            views[i].lemmas.add(token.get("lemma", "").lower())
            views[i].tokens.append(token)
    return views


def _span(view: SentenceView, item: dict[str, Any]) -> dict[str, int] | None:
    """The characters of an evidence item (a cue, quantity, attribution or
    token), or None when they are unknown or the whole sentence."""
    start, end = item.get("start"), item.get("end")
    if start is None or end is None:
        return None
    s_start, s_end = view.sentence["start"], view.sentence["end"]
    start, end = max(start, s_start), min(end, s_end)
    if end <= start or (start == s_start and end == s_end):
        return None
    return {"start": start, "end": end}


def rule_fires(rule: dict, view: SentenceView) -> dict[str, Any] | None:
    """None, or what fired: ``explanation`` in words, the ``claimant`` and
    ``claimant_type`` of the evidence the rule used (the cue's or the
    attribution's claimant, else the sentence's), and ``span`` (the
    characters of that evidence, or None)."""
    sentence = view.sentence
    who_said = (sentence.get("claimant", ""), sentence.get("claimant_type", ""))
    if rule.get("claims_only", True) and not view.is_claim:
        return None
    unless = _as_set(rule.get("unless_cue"))
    if unless and any(c["label"] in unless for c in view.cues):
        return None
    reasons = []
    span: dict[str, int] | None = None
    kinds = _types(rule.get("claimant_type"))
    labels = _as_set(rule.get("cue"))
    if labels is not None:
        cues = [c for c in view.cues if c["label"] in labels]
        if rule.get("cue_quoted"):
            # An official's term echoed in quotation marks or under a hedge.
            cues = [
                c
                for c in cues
                if "start" in c
                and (
                    view.quoted(c["start"], c["end"])
                    or view.hedged(c["start"], c["end"])
                )
            ]
        if kinds is not None:
            cues = [c for c in cues if c.get("claimant_type") in kinds]
        if rule.get("attributed") is not None:
            wanted = bool(rule["attributed"])
            cues = [c for c in cues if (c.get("attribution") is not None) == wanted]
        if not cues:
            return None
        cue = cues[0]
        span = _span(view, cue)
        who_said = (cue.get("claimant", ""), cue.get("claimant_type", ""))
        who: str | None = CLAIMANT_WORDS.get(cue.get("claimant_type", ""), "someone")
        named = f" ({cue['claimant']})" if cue.get("claimant") else ""
        reasons.append(
            f"cue \u201c{cue['text']}\u201d ({cue['label']}, rule {cue['rule']}) "
            f"in a statement by {who}{named}"
        )
    elif kinds is not None:
        if sentence.get("claimant_type") not in kinds:
            return None
        who = CLAIMANT_WORDS.get(sentence["claimant_type"])
        reasons.append(f"the sentence's claimant is {who}")
    attribution = rule.get("attribution")
    if attribution is not None:
        a_kinds = _types(attribution.get("claimant_type"))
        families = _as_set(attribution.get("family"))
        min_words = int(attribution.get("min_content_words", 0))
        barred = _as_set(attribution.get("unless_content_cue")) or set()

        bare_words = int(attribution.get("bare_content_words", 6))

        def content_barred(a: dict) -> bool:
            """A short content that is mostly a denial or threat ("calling
            it fake news") asserts no fact of its own."""
            if not barred or len(a["content"]["text"].split()) > bare_words:
                return False
            lo, hi = a["content"].get("start", 0), a["content"].get("end", 0)
            return any(
                c["label"] in barred and lo <= c["start"] and c["end"] <= hi
                for c in view.cues
            )

        found = [
            a
            for a in view.attributions
            if (a_kinds is None or a["claimant_type"] in a_kinds)
            and (families is None or a["family"] in families)
            and len(a["content"]["text"].split()) >= min_words
            and not content_barred(a)
        ]
        if not found:
            return None
        a = found[0]
        who_said = (a["claimant"], a["claimant_type"])
        span = span or _span(view, a)
        reasons.append(
            f"{a['claimant'] or a['source']['text']} "
            f"({CLAIMANT_WORDS.get(a['claimant_type'], a['claimant_type'])}) "
            f"\u201c{a['cue']['text']}\u201d"
            + (f" on {a['platform']}" if a.get("platform") else "")
        )
    sentence_rule = rule.get("sentence")
    if sentence_rule is not None:
        via = _as_set(sentence_rule.get("via"))
        s_kinds = _types(sentence_rule.get("claimant_type"))
        if via is not None and sentence.get("claimant_via") not in via:
            return None
        if s_kinds is not None and sentence.get("claimant_type") not in s_kinds:
            return None
        speaker = sentence.get("claimant") or "its author"
        if sentence.get("claimant_via") == "quotation":
            reasons.append(f"inside a quotation of {speaker}")
        else:
            reasons.append(f"the document is a statement by {speaker}")
    quantity = rule.get("quantity")
    if quantity is not None:
        counts = _as_set(quantity.get("counts"))
        min_value = quantity.get("min_value", 1)
        cumulative = quantity.get("cumulative")
        found = [
            q
            for q in view.quantities
            if (counts is None or q["counts"] in counts)
            and q["value"] >= min_value
            and (cumulative is None or q["cumulative"] == cumulative)
        ]
        if not found:
            return None
        span = span or _span(view, found[0])
        reasons.append(
            "figure "
            + ", ".join(
                f"\u201c{q['text']}\u201d = {q['value']} {q['counts']}"
                + (" (cumulative)" if q["cumulative"] else "")
                for q in found
            )
        )
    lemmas = _as_set(rule.get("lemma"))
    if lemmas is not None:
        wanted_lemmas = {w.lower() for w in lemmas}
        hits = sorted(view.lemmas & wanted_lemmas)
        if not hits:
            return None
        token = next(
            (t for t in view.tokens if t.get("lemma", "").lower() in wanted_lemmas),
            None,
        )
        if token is not None:
            span = span or _span(view, token)
        reasons.append(f"word {', '.join(hits)}")
    if not reasons:
        return None
    return {
        "explanation": "; ".join(reasons),
        "claimant": who_said[0],
        "claimant_type": claimant_type(who_said[1]),
        "span": span,
    }


Screen = tuple[bool, set[str] | None, set[str] | None, set[str] | None]


def _screen(rule: dict) -> Screen:
    """What ``_may_fire`` checks of ``rule``, read once per document rather
    than once per sentence: claims only, cue labels, barring cue labels,
    lemmas."""
    lemmas = _as_set(rule.get("lemma"))
    return (
        bool(rule.get("claims_only", True)),
        _as_set(rule.get("cue")),
        _as_set(rule.get("unless_cue")),
        None if lemmas is None else {w.lower() for w in lemmas},
    )


def _may_fire(screen: Screen, view: SentenceView) -> bool:
    """False only where ``rule_fires`` would return None at once: a claims
    rule on a sentence that claims nothing, a cue rule without any cue of
    its labels, a barring cue present, none of its lemmas. (Most rules fail
    on most sentences; this spares building their explanations.)"""
    claims_only, labels, unless, lemmas = screen
    if claims_only and not view.is_claim:
        return False
    if labels is not None and not labels & view.labels:
        return False
    if unless and unless & view.labels:
        return False
    return lemmas is None or bool(lemmas & view.lemmas)


def tag_rules(tags: Iterable[dict]) -> list[tuple[str, list[dict]]]:
    return [(t["key"], list(t.get("patterns") or [])) for t in tags]


def default_tag_rules() -> list[tuple[str, list[dict]]]:
    return tag_rules(default_tags())


def sentence_predictions(
    data: dict[str, Any], text: str, rules: list[tuple[str, list[dict]]] | None = None
) -> list[dict[str, Any]]:
    """Per-sentence predictions from analysis data; touches no database.

    Each item: ``start``, ``end``, ``text``, ``tags`` (keys), ``claimant``,
    ``claimant_type`` (a tags.md name), ``numbers`` (``value``, ``counts``,
    ``cumulative``, ``bound``, ``text``; tags.md records counts of strikes
    and vessels too, but only people counts make a casualty figure) and
    ``fired``: {tag key: {rule, confidence, explanation, claimant,
    claimant_type, span}} (the claimant of the evidence that fired, which
    for a cue may differ from the sentence's; ``span`` = {start, end}, the
    characters of the words that carry the tag, omitted when nothing
    narrower than the sentence carries it).
    """
    rules = default_tag_rules() if rules is None else rules
    screens = [[_screen(rule) for rule in patterns] for _, patterns in rules]
    out = []
    for view in _views(data, text):
        fired: dict[str, dict[str, Any]] = {}
        for (key, patterns), screened in zip(rules, screens, strict=True):
            for index, rule in enumerate(patterns):
                if not _may_fire(screened[index], view):
                    continue
                hit = rule_fires(rule, view)
                if hit is None:
                    continue
                confidence = float(rule.get("confidence", DEFAULT_CONFIDENCE))
                if key not in fired or confidence > fired[key]["confidence"]:
                    span = hit.pop("span", None)
                    fired[key] = {
                        "rule": f"{key}:{rule.get('name') or index + 1}",
                        "confidence": confidence,
                        **hit,
                    }
                    if span is not None:
                        fired[key]["span"] = span
        sentence = view.sentence
        out.append(
            {
                "start": sentence["start"],
                "end": sentence["end"],
                "text": view.text,
                "tags": [key for key, _ in rules if key in fired],
                "claimant": sentence.get("claimant", ""),
                "claimant_type": sentence["claimant_type"],
                "numbers": [
                    {
                        "value": q["value"],
                        "counts": q["counts"],
                        "cumulative": q["cumulative"],
                        "bound": q["bound"],
                        "text": q["text"],
                    }
                    for q in view.quantities
                ],
                "fired": fired,
            }
        )
    return out


def text_predictions(text: str, context=None) -> list[dict[str, Any]]:
    """Analyse ``text`` with the pipeline and predict with the defaults.

    ``context``: a ``corpus.nlp.context.DocumentContext`` or ``None``.
    """
    from corpus.nlp import analyse_texts

    data = next(analyse_texts([text], contexts=None if context is None else [context]))
    return sentence_predictions(data, text)
