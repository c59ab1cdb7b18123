"""Turn a ``Doc`` processed by Glossa's components into plain JSON.

Token indices become code-point offsets; every cue, quantity and sentence
gets the claimant it belongs to: the attribution whose content (or source,
or cue) contains it, else the document's own voice, else nobody (the
reporter's own statement, ``unattributed``).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH

from corpus.nlp.claimants import UNATTRIBUTED
from corpus.nlp.components import CUES_KEY


def _chars(doc, lo: int, hi: int) -> dict[str, Any]:
    if hi <= lo:
        return {
            "start": doc[lo].idx if lo < len(doc) else len(doc.text),
            "end": doc[lo].idx if lo < len(doc) else len(doc.text),
            "text": "",
        }
    span = doc[lo:hi]
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def assemble(doc) -> dict[str, Any]:
    sents = list(doc.sents)
    starts = [s.start for s in sents]

    def sentence_of(i: int) -> int:
        return max(0, bisect_right(starts, i) - 1)

    voice = doc._.glossa_voice
    attributions_raw = doc._.glossa_attributions or []
    attributions = []
    for item in attributions_raw:
        cue_lo, cue_hi = item["cue"]
        c_lo, c_hi = item["content"]
        s_lo, s_hi = item["source"]
        lo = min(cue_lo, c_lo, s_lo)
        hi = max(cue_hi, c_hi, s_hi)
        attributions.append(
            {
                "start": doc[lo:hi].start_char,
                "end": doc[lo:hi].end_char,
                "kind": item["kind"],
                "source": _chars(doc, s_lo, s_hi),
                "cue": _chars(doc, cue_lo, cue_hi),
                "content": _chars(doc, c_lo, c_hi),
                "cue_lemma": item["cue_lemma"],
                "family": item["family"],
                "claimant": item["claimant"],
                "claimant_type": item["claimant_type"],
                "platform": item["platform"],
                "sentence": sentence_of(cue_lo),
            }
        )

    by_sentence: dict[int, list[int]] = {}
    for index, item in enumerate(attributions):
        by_sentence.setdefault(item["sentence"], []).append(index)

    def owner(lo: int, hi: int) -> int | None:
        """The attribution a token span belongs to (innermost content);
        only the span's own sentence is searched, so long documents stay
        linear."""
        best = None
        best_size = None
        for index in by_sentence.get(sentence_of(lo), ()):
            item = attributions_raw[index]
            c_lo, c_hi = item["content"]
            inside = c_lo <= lo and hi <= c_hi
            f_lo, f_hi = item["source_full"]
            in_source = f_lo <= lo and hi <= f_hi
            cue_lo, cue_hi = item["cue"]
            is_cue = cue_lo <= lo and hi <= cue_hi + 1
            if inside or in_source or is_cue:
                size = c_hi - c_lo
                if best is None or size < best_size:
                    best, best_size = index, size
        return best

    sentence_has_attr = {a["sentence"] for a in attributions}
    voice_sentence = sentence_of(voice["sentence_start"]) if voice else None
    quoted_by = _quotation_speakers(sents, attributions, attributions_raw)

    def claimant_for(lo: int, hi: int) -> tuple[str, str, int | None]:
        index = owner(lo, hi)
        if index is None:
            index = quoted_by.get(sentence_of(lo))
        if index is not None:
            item = attributions_raw[index]
            return item["claimant"], item["claimant_type"], index
        if voice and sentence_of(lo) != voice_sentence:
            return voice["claimant"], voice["claimant_type"], None
        return "", UNATTRIBUTED, None

    cues = []
    for span in doc.spans.get(CUES_KEY, []):
        claimant, kind, owner_index = claimant_for(span.start, span.end)
        cues.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "text": span.text,
                "label": span.label_,
                "rule": span.id_,
                "sentence": sentence_of(span.start),
                "claimant": claimant,
                "claimant_type": kind,
                "attribution": owner_index,
            }
        )

    quantities = []
    for item in doc._.glossa_quantities or []:
        span = doc[item["start"] : item["end"]]
        claimant, kind, _ = claimant_for(item["number"], item["number"] + 1)
        quantities.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "text": span.text,
                "value": item["value"],
                "counts": item["counts"],
                "bound": item["bound"],
                "cumulative": item["cumulative"],
                "sentence": sentence_of(item["number"]),
                "claimant": claimant,
                "claimant_type": kind,
            }
        )

    sentences: list[dict[str, Any]] = []
    renumber: dict[int, int] = {}
    for index, sent in enumerate(sents):
        text = sent.text
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        start = sent.start_char + lead
        end = sent.end_char - trail
        if end <= start:
            continue
        renumber[index] = len(sentences)
        claimant, kind, via = "", UNATTRIBUTED, ""
        if index in sentence_has_attr:
            mine = [
                (i, a)
                for i, a in enumerate(attributions_raw)
                if attributions[i]["sentence"] == index
            ]
            root = sent.root.i
            chosen = next((a for _, a in mine if a["cue"][0] == root), None)
            if chosen is None:
                # The outermost attribution: its cue is in nobody's content.
                outer = [
                    a
                    for _, a in mine
                    if not any(
                        b is not a and b["content"][0] <= a["cue"][0] < b["content"][1]
                        for _, b in mine
                    )
                ]
                chosen = (outer or [mine[0][1]])[0]
            claimant, kind, via = (
                chosen["claimant"],
                chosen["claimant_type"],
                "attribution",
            )
        elif index in quoted_by:
            chosen = attributions_raw[quoted_by[index]]
            claimant, kind = chosen["claimant"], chosen["claimant_type"]
            via = "quotation"
        elif voice and index != voice_sentence:
            claimant, kind, via = voice["claimant"], voice["claimant_type"], "voice"
        sentences.append(
            {
                "start": start,
                "end": end,
                "claimant": claimant,
                "claimant_type": kind,
                "claimant_via": via,
                "is_claim": _is_claim(sent),
            }
        )

    # Blank "sentences" (whitespace only) are dropped; keep references right.
    for item in (*attributions, *cues, *quantities):
        item["sentence"] = renumber.get(item["sentence"], 0)
    return {
        "sentences": sentences,
        "tokens": _tokens(doc),
        "entities": [
            {"start": ent.start_char, "end": ent.end_char, "label": ent.label_}
            for ent in doc.ents
        ],
        "attributions": attributions,
        "cues": cues,
        "quantities": quantities,
        "voice": (
            {"claimant": voice["claimant"], "claimant_type": voice["claimant_type"]}
            if voice
            else None
        ),
    }


def _tokens(doc) -> list[dict[str, Any]]:
    """Non-space tokens with offsets and lemmas, read from arrays rather
    than by creating a Token object per token."""
    strings = doc.vocab.strings
    rows = doc.to_array([IDX, LENGTH, LEMMA, IS_SPACE]).tolist()
    return [
        {"start": idx, "end": idx + length, "lemma": strings[lemma]}
        for idx, length, lemma, is_space in rows
        if not is_space
    ]


QUOTE_CHARS = ('"', "\u201c", "\u201d")


def _quotation_speakers(sents, attributions, attributions_raw) -> dict[int, int]:
    """Sentences inside a quotation that spans several sentences, mapped to
    the attribution of the speaker named in the run ('"We struck. We will
    strike again," the minister said.')."""
    speakers: dict[int, int] = {}
    run: list[int] = []
    open_quote = False
    for index, sent in enumerate(sents):
        text = sent.text
        marks = sum(text.count(q) for q in QUOTE_CHARS)
        if open_quote or marks:
            run.append(index)
        open_quote = (marks % 2 == 1) != open_quote
        if open_quote:
            continue
        if len(run) > 1:
            direct = [
                i
                for i, a in enumerate(attributions)
                if a["sentence"] in run and attributions_raw[i]["kind"] == "direct"
            ]
            if direct:
                for member in run:
                    if not any(attributions[i]["sentence"] == member for i in direct):
                        speakers[member] = direct[0]
        run = []
    return speakers


DEMAND_LEMMAS = frozenset({"call", "urge", "demand", "appeal", "implore", "press"})


def _is_demand(root) -> bool:
    """A bare demand ("We call on all states to ...", "They urged X to
    halt"): no claim of fact, per the labelling conventions."""
    if root.lemma_.lower() not in DEMAND_LEMMAS:
        return False
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "for", "upon"):
            return True
        if child.dep_ in ("xcomp", "ccomp") and any(
            g.lower_ == "to" for g in child.children
        ):
            return True
    return False


def _is_claim(sent) -> bool:
    """A sentence that asserts something: a clause, not a question or a
    heading without a verb."""
    text = sent.text.strip()
    if text.endswith("?") or len(text) < 12:
        return False
    root = sent.root
    if _is_demand(root):
        return False
    if root.pos_ in ("VERB", "AUX"):
        # "Issued in Port Alder, 4 March": a dateline, not a claim.
        has_subject = any(
            c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children
        )
        return has_subject or len(sent) > 8
    # Headlines drop the verb: "Dozens missing after boat capsizes".
    return any(t.pos_ in ("VERB", "AUX", "NUM") for t in sent)
