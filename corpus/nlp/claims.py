"""The ``glossa_claims_v1`` component: the claimant of every sentence, cue
and figure.

This is where the analysis decides who claims what, so that the stored
analysis is exactly what ``nlp(text)`` produced (``doc_to_data`` only
converts offsets). For each sentence, in order of precedence:

1. ``attribution``: an attribution whose cue is in the sentence (the one
   on the sentence's root, else the outermost);
2. ``quotation``: a sentence inside a quotation that runs over several
   sentences, or paragraphs, takes the speaker named anywhere in the run;
3. ``voice``: otherwise the document's own voice (``glossa_voice_v1``).

A source the lexicon cannot type keeps its name but takes the voice's type,
since a sentence always has one of the ten claimant types. Page furniture
(bylines, credits) is never a claim. Results: ``doc._.glossa_claims`` (token
indices and plain values) and one span per claim sentence in
``doc.spans[spans_key]``, label = claimant type.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from corpus.nlp import claimants as ct
from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp import validation
from corpus.nlp.base import DataComponent

CLAIMS_KEY = "glossa_claims"
OPENING = ("\u201c",)
CLOSING = ("\u201d",)
STRAIGHT = ('"',)
DEFAULT_VOICE: dict[str, Any] = {
    "claimant": "",
    "claimant_type": ct.REPORTER,
    "source_kind": "",
    "inferred": True,
    "evidence": "no voice component in the pipeline",
}

if not Doc.has_extension("glossa_claims"):
    Doc.set_extension("glossa_claims", default=None)


@Language.factory(
    "glossa_claims_v1",
    default_config={
        "rules": {"@misc": "glossa.claim_rules.v1"},
        "spans_key": CLAIMS_KEY,
        "cues_key": "glossa_cues",
        "furniture_key": "glossa_furniture",
    },
)
def make_claims(
    nlp: Language,
    name: str,
    *,
    rules: dict[str, Any],
    spans_key: str,
    cues_key: str,
    furniture_key: str,
) -> ClaimsComponent:
    return ClaimsComponent(
        nlp,
        name,
        data=rules,
        spans_key=spans_key,
        cues_key=cues_key,
        furniture_key=furniture_key,
    )


class ClaimsComponent(DataComponent):
    """Decides claimants from attributions, quotations and the voice."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        data: dict[str, Any],
        spans_key: str = CLAIMS_KEY,
        cues_key: str = "glossa_cues",
        furniture_key: str = "glossa_furniture",
    ) -> None:
        self.spans_key = spans_key
        self.cues_key = cues_key
        self.furniture_key = furniture_key
        super().__init__(nlp, name, data=data)

    def _build(self) -> None:
        rules = validation.claim_rules(self.data)
        self.demand_verbs = frozenset(rules.get("demand_verbs") or [])
        self.demand_preps = frozenset(rules.get("demand_preps") or [])
        self.min_chars = int(rules["min_chars"])

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def set_annotations(self, doc: Doc, claims: dict[str, Any]) -> None:
        doc._.glossa_claims = claims
        doc.spans[self.spans_key] = [
            Span(doc, s["start"], s["end"], label=s["claimant_type"])
            for s in claims["sentences"]
            if s["is_claim"]
        ]

    # Deciding: reads the Doc and the other components' results only.
    def match(self, doc: Doc) -> dict[str, Any]:
        sents = list(doc.sents)
        starts = [s.start for s in sents]

        def sentence_of(i: int) -> int:
            return max(0, bisect_right(starts, i) - 1)

        voice = doc._.glossa_voice or DEFAULT_VOICE
        attributions = doc._.glossa_attributions or []
        # An attribution belongs to its cue's sentence, except "X said:"
        # whose claim is the paragraph after it.
        where = [
            sentence_of(a["content"][0] if a.get("block") else a["cue"][0])
            for a in attributions
        ]
        by_sentence: dict[int, list[int]] = {}
        for index, sentence in enumerate(where):
            by_sentence.setdefault(sentence, []).append(index)
        furniture: set[int] = set()
        for span in doc.spans.get(self.furniture_key, []):
            furniture.update(range(span.start, span.end))
        quoted_by = quotation_speakers(sents, attributions, where)

        def typed(item: dict[str, Any]) -> str:
            return item["claimant_type"] or voice["claimant_type"]

        def owner(lo: int, hi: int) -> int | None:
            """The attribution a token span belongs to (innermost content)."""
            found: list[tuple[int, int]] = []
            for index in by_sentence.get(sentence_of(lo), ()):
                item = attributions[index]
                c_lo, c_hi = item["content"]
                f_lo, f_hi = item["source_full"]
                cue_lo, cue_hi = item["cue"]
                if (
                    (c_lo <= lo and hi <= c_hi)
                    or (f_lo <= lo and hi <= f_hi)
                    or (cue_lo <= lo and hi <= cue_hi + 1)
                ):
                    found.append((item["content"][1] - item["content"][0], index))
            if not found:
                return None
            found.sort()
            # The innermost speaker, unless nobody could type it and a
            # typed speaker encloses it ('X said: "the team found that
            # ..."'): then the one who said it.
            typed = [i for _, i in found if attributions[i]["claimant_type"]]
            return typed[0] if typed else found[0][1]

        def claimant_for(lo: int, hi: int) -> dict[str, Any]:
            index = owner(lo, hi)
            if index is None:
                index = quoted_by.get(sentence_of(lo))
            if index is not None:
                item = attributions[index]
                return {
                    "claimant": item["claimant"],
                    "claimant_type": item["claimant_type"],
                    "attribution": index,
                }
            return {
                "claimant": voice["claimant"],
                "claimant_type": voice["claimant_type"],
                "attribution": None,
            }

        sentences = []
        for index, sent in enumerate(sents):
            entry: dict[str, Any] = {
                "start": sent.start,
                "end": sent.end,
                "claimant": voice["claimant"],
                "claimant_type": voice["claimant_type"],
                "via": "voice",
                "attribution": None,
                "is_claim": is_claim(
                    sent,
                    demand_verbs=self.demand_verbs,
                    demand_preps=self.demand_preps,
                    min_chars=self.min_chars,
                )
                and not furniture.issuperset(t.i for t in sent if not t.is_space),
            }
            mine = by_sentence.get(index, [])
            chosen = _chosen(sent, mine, attributions)
            if chosen is not None:
                item = attributions[chosen]
                entry.update(
                    claimant=item["claimant"],
                    claimant_type=typed(item),
                    via="attribution",
                    attribution=chosen,
                )
            elif index in quoted_by:
                item = attributions[quoted_by[index]]
                entry.update(
                    claimant=item["claimant"],
                    claimant_type=typed(item),
                    via="quotation",
                    attribution=quoted_by[index],
                )
            sentences.append(entry)
        cues = [
            {
                "start": span.start,
                "end": span.end,
                "sentence": sentence_of(span.start),
                # A cue in a caption or other page furniture has no
                # claimant: nobody asserts it.
                **(
                    {"claimant": "", "claimant_type": "", "attribution": None}
                    if furniture.issuperset(range(span.start, span.end))
                    else claimant_for(span.start, span.end)
                ),
            }
            for span in doc.spans.get(self.cues_key, [])
        ]
        quantities = [
            {
                "number": item["number"],
                "sentence": sentence_of(item["number"]),
                # A figure in a caption or a link's headline is nobody's claim.
                "furniture": item["number"] in furniture,
                **claimant_for(item["number"], item["number"] + 1),
            }
            for item in doc._.glossa_quantities or []
        ]
        return {
            "voice": voice,
            "sentences": sentences,
            "attribution_sentences": where,
            "cues_key": self.cues_key,
            "furniture_key": self.furniture_key,
            "cues": cues,
            "quantities": quantities,
        }


def _chosen(sent, mine: list[int], attributions) -> int | None:
    """The attribution that speaks for a sentence: the one whose cue is the
    sentence's root, else the outermost (its cue in nobody's content). An
    outlet citing someone ("CNN reported, according to a U.S. official")
    gives way to the source it cites: the claimant is the original source."""
    if not mine:
        return None
    chosen = _speaking(sent, mine, attributions)
    if attributions[chosen]["claimant_type"] == ct.MEDIA:
        cited = [
            i
            for i in mine
            if i != chosen and attributions[i]["claimant_type"] not in ("", ct.MEDIA)
        ]
        if cited:
            # "according to X", "citing X" name the source outright.
            cited.sort(key=lambda i: attributions[i]["kind"] != "according_to")
            return cited[0]
    return chosen


def _speaking(sent, mine: list[int], attributions) -> int:
    root = sent.root.i
    for index in mine:
        if attributions[index]["cue"][0] == root:
            return index
    outer = [
        index
        for index in mine
        if not any(
            other != index
            and attributions[other]["content"][0]
            <= attributions[index]["cue"][0]
            < attributions[other]["content"][1]
            for other in mine
        )
    ]
    return (outer or mine)[0]


_QUOTE_MARKS = re.compile(
    "|".join(re.escape(q) for q in (*OPENING, *CLOSING, *STRAIGHT))
)


def quotation_speakers(sents, attributions, where) -> dict[int, int]:
    """Sentences inside a quotation that spans several sentences, mapped to
    the attribution of the speaker named in the run ('"We struck. We will
    strike again," the minister said.'). Curly quotes say which way they
    face; a paragraph that ends inside a quotation and a next one opening
    with a quote mark continue it (the newspaper convention)."""
    speakers: dict[int, int] = {}
    run: list[int] = []
    inside = False
    marks = (*OPENING, *CLOSING, *STRAIGHT)
    for index, sent in enumerate(sents):
        text = sent.text
        quoted = any(q in text for q in marks)
        if inside or quoted:
            run.append(index)
        # Only the quote marks turn ``inside`` (a sentence without any is
        # not read character by character).
        for char in _QUOTE_MARKS.findall(text) if quoted else ():
            if char in OPENING:
                inside = True
            elif char in CLOSING:
                inside = False
            elif char in STRAIGHT:
                inside = not inside
        if inside and _ends_paragraph(sent):
            following = sents[index + 1].text.lstrip() if index + 1 < len(sents) else ""
            if following.startswith(STRAIGHT):
                inside = False  # its opening mark re-opens the quotation
                continue
            if not following.startswith(OPENING):
                inside = False  # an unclosed quotation ends with its paragraph
        if inside:
            continue
        direct = [
            i
            for i, a in enumerate(attributions)
            if where[i] in run and a["kind"] == "direct"
        ]
        if direct and len(run) > 1:
            for member in run:
                if not any(where[i] == member for i in direct):
                    speakers[member] = direct[0]
        elif run and not any(where[i] in run for i in range(len(attributions))):
            # A quotation with no speaker of its own, opening its sentence,
            # right after a quoted speaker: the same speaker goes on.
            first = sents[run[0]].text.lstrip()
            previous = _speaker_before(run[0], attributions, where, speakers)
            if first.startswith(marks) and previous is not None:
                for member in run:
                    speakers[member] = previous
        run = []
    for index, item in enumerate(attributions):
        # "CENTCOM said in a statement:" and the paragraph that follows.
        if item.get("block"):
            for member in range(where[index], len(sents)):
                if sents[member].start >= item["content"][1]:
                    break
                speakers.setdefault(member, index)
    return speakers


def _speaker_before(sentence: int, attributions, where, speakers) -> int | None:
    """The direct speaker of the sentence before, if it had one."""
    before = sentence - 1
    if before in speakers:
        return speakers[before]
    direct = [
        i
        for i, a in enumerate(attributions)
        if where[i] == before and a["kind"] == "direct"
    ]
    return direct[-1] if direct else None


def _ends_paragraph(sent) -> bool:
    """The sentence is the last of its line (a line break follows it)."""
    doc = sent.doc
    if sent.end >= len(doc):
        return True
    last = doc[sent.end - 1]
    return (
        "\n" in last.text_with_ws
        or (doc[sent.end].is_space and "\n" in doc[sent.end].text)
        or (last.is_space and "\n" in last.text)
    )


def _is_demand(root, verbs, preps) -> bool:
    """A bare demand ("We call on all states to ...", "They urged X to
    halt"): no claim of fact, per the labelling conventions."""
    if root.lemma_.lower() not in verbs:
        return False
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            return True
        if child.dep_ in ("xcomp", "ccomp") and any(
            g.lower_ == "to" for g in child.children
        ):
            return True
    return False


def is_claim(sent, *, demand_verbs, demand_preps, min_chars: int) -> bool:
    """A sentence that asserts something: a clause, not a question, a bare
    demand or a heading without a verb."""
    text = sent.text.strip()
    if text.endswith("?") or len(text) < min_chars:
        return False
    root = sent.root
    if _is_demand(root, demand_verbs, demand_preps):
        return False
    if root.pos_ in ("VERB", "AUX"):
        # "Issued in Port Alder, 4 March": a dateline, not a claim.
        has_subject = any(
            c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children
        )
        return has_subject or len(sent) > 8
    # Headlines drop the verb: "Dozens missing after boat capsizes".
    return any(t.pos_ in ("VERB", "AUX", "NUM") for t in sent)
