"""Turn a ``Doc`` processed by Glossa's components into plain JSON.

Nothing is decided here: who claims each sentence, cue and figure was
decided by ``glossa_claims_v1`` (``doc._.glossa_claims``); this module only
turns token indices into code-point offsets and drops whitespace-only
sentences, so the stored analysis is what ``nlp(text)`` produced.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import IDX, IS_SPACE, LEMMA, LENGTH


def _chars(doc, lo: int, hi: int) -> dict[str, Any]:
    if hi <= lo:
        at = doc[lo].idx if lo < len(doc) else len(doc.text)
        return {"start": at, "end": at, "text": ""}
    span = doc[lo:hi]
    return {"start": span.start_char, "end": span.end_char, "text": span.text}


def assemble(doc) -> dict[str, Any]:
    claims = doc._.glossa_claims
    if claims is None:
        raise RuntimeError(
            "The Doc has no glossa_claims: the pipeline lacks the glossa_claims "
            "component (corpus.nlp.add_components adds it)."
        )
    where = claims["attribution_sentences"]
    sentences: list[dict[str, Any]] = []
    renumber: dict[int, int] = {}
    for index, item in enumerate(claims["sentences"]):
        span = doc[item["start"] : item["end"]]
        text = span.text
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        start = span.start_char + lead
        end = span.end_char - trail
        if end <= start:
            continue
        renumber[index] = len(sentences)
        sentences.append(
            {
                "start": start,
                "end": end,
                "claimant": item["claimant"],
                "claimant_type": item["claimant_type"],
                "claimant_via": item["via"],
                "is_claim": item["is_claim"],
            }
        )

    def sentence(index: int) -> int:
        return renumber.get(index, 0)

    attributions = []
    for item, at in zip(doc._.glossa_attributions or [], where, strict=True):
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
                "sentence": sentence(at),
            }
        )
    owners = {(c["start"], c["end"]): c for c in claims["cues"]}
    cues = []
    for span in doc.spans.get(claims["cues_key"], []):
        who = owners[(span.start, span.end)]
        cues.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "text": span.text,
                "label": span.label_,
                "rule": span.id_,
                "sentence": sentence(who["sentence"]),
                "claimant": who["claimant"],
                "claimant_type": who["claimant_type"],
                "attribution": who["attribution"],
            }
        )
    quantities = []
    for item, who in zip(
        doc._.glossa_quantities or [], claims["quantities"], strict=True
    ):
        if who.get("furniture"):
            continue  # a figure in a caption or link list
        span = doc[item["start"] : item["end"]]
        quantities.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "text": span.text,
                "value": item["value"],
                "counts": item["counts"],
                "bound": item["bound"],
                "cumulative": item["cumulative"],
                "sentence": sentence(who["sentence"]),
                "claimant": who["claimant"],
                "claimant_type": who["claimant_type"],
            }
        )
    voice = claims["voice"]
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
        "voice": {
            "claimant": voice["claimant"],
            "claimant_type": voice["claimant_type"],
            "source_kind": voice["source_kind"],
            "inferred": voice["inferred"],
            "evidence": voice["evidence"],
        },
        "furniture": [
            {"start": span.start_char, "end": span.end_char, "label": span.label_}
            for span in doc.spans.get(claims["furniture_key"], [])
        ],
    }


def _tokens(doc) -> list[dict[str, Any]]:
    """Non-space tokens with offsets and lemmas, read from arrays rather
    than by creating a Token object per token."""
    strings = doc.vocab.strings
    rows = doc.to_array([IDX, LENGTH, LEMMA, IS_SPACE]).tolist()
    # One str per distinct lemma, not one per token (a long text's
    # analysis holds hundreds of thousands of tokens).
    lemmas: dict[int, str] = {}
    out = []
    for idx, length, lemma, is_space in rows:
        if is_space:
            continue
        text = lemmas.get(lemma)
        if text is None:
            text = lemmas[lemma] = strings[lemma]
        out.append({"start": idx, "end": idx + length, "lemma": text})
    return out
