"""The ``glossa_voice_v1`` component: whose voice a document speaks in.

A sentence nobody in the text is said to have said is the publisher's: an
NGO's release speaks as the NGO, a UN statement as that UN body, a
ministry's notice as that government, a news article as its reporter, an
op-ed as its columnist. The publisher comes from the caller
(``doc._.glossa_context``, set at ingestion and editable); without one the
voice is inferred from the text (press-release furniture and an
organisation named in the first lines), else a reporter is assumed. The
result says which (``inferred`` and ``evidence``) so that an analyst can
see and override it.

The component also marks page furniture (bylines, photo credits, "Read
more", datelines) in ``doc.spans[spans_key]``: such words are never
claimants and such lines are never claims.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc, Span

from corpus.nlp import claimants as ct
from corpus.nlp import patterns as _patterns  # noqa: F401  (registers the loaders)
from corpus.nlp import validation
from corpus.nlp.base import DataComponent
from corpus.nlp.syntax import heading_author

FURNITURE_KEY = "glossa_furniture"
# How a line that is a sentence (not a link's headline) ends.
LINE_ENDS = (".", "!", "?", "\u201d", '"', ":", ";")
# The most words a line of press-release furniture has (Spanish, see
# ``VoiceFinder._inferred``).
HEADING_WORDS = 30
# Publishers whose releases speak in their own voice.
VOICE_TYPES = frozenset(
    {
        ct.ACTING_GOVERNMENT,
        ct.OTHER_GOVERNMENT,
        ct.UN,
        ct.RIGHTS_GROUP,
        ct.EXPERT,
        ct.LEGISLATOR,
    }
)


@Language.factory(
    "glossa_voice_v1",
    default_config={
        "voice": {"@misc": "glossa.voice_lexicon.v1"},
        "claimants": {"@misc": "glossa.claimant_lexicon.v2"},
        "spans_key": FURNITURE_KEY,
    },
)
def make_voice(
    nlp: Language,
    name: str,
    *,
    voice: dict[str, Any],
    claimants: dict[str, Any],
    spans_key: str,
) -> VoiceFinder:
    return VoiceFinder(
        nlp, name, data={"voice": voice, "claimants": claimants}, spans_key=spans_key
    )


class VoiceFinder(DataComponent):
    """Sets ``doc._.glossa_voice`` and the page-furniture spans."""

    def __init__(
        self, nlp: Language, name: str, *, data: dict[str, Any], spans_key: str
    ) -> None:
        self.spans_key = spans_key
        super().__init__(nlp, name, data=data)

    def _build(self) -> None:
        self.lexicon = validation.voice_lexicon(self.data["voice"])
        self.typer = ct.ClaimantTyper(self.data["claimants"])
        self.furniture = tuple(w.lower() for w in self.lexicon.get("furniture") or [])
        page = self.lexicon["page_furniture"]
        self.prefixes = tuple(p.lower() for p in page.get("prefixes") or [])
        self.max_words = int(page["max_words"])
        self.dateline = re.compile(self.lexicon["dateline"])
        self.lines = [re.compile(p, re.IGNORECASE) for p in page.get("lines") or []]
        self.caption_credits = [
            re.compile(p) for p in page.get("caption_credits") or []
        ]
        self.credit_lines = [re.compile(p) for p in page.get("credit_lines") or []]
        self.link_heads = [re.compile(p) for p in page.get("link_list_heads") or []]

    def __call__(self, doc: Doc) -> Doc:
        voice, furniture = self.match(doc)
        self.set_annotations(doc, voice, furniture)
        return doc

    # Matching: nothing is written to the Doc here.
    def match(self, doc: Doc) -> tuple[dict[str, Any], list[tuple[int, int, str]]]:
        """The voice and the furniture spans ``(start, end, label)``."""
        furniture = self._furniture(doc)
        context = doc._.glossa_context
        acting = self.acting_keys(doc)
        if context is not None and context.voice_claimant_type:
            return self._registered(context), furniture
        if context is not None and context.source_kind:
            return self._from_context(context, acting), furniture
        inferred = self._inferred(doc, acting)
        if inferred is not None:
            return inferred, furniture
        kind = self.lexicon["default"]
        if context is not None and context.document_kind:
            kind = self.lexicon.get("document_kinds", {}).get(
                context.document_kind, kind
            )
        return (
            {
                "claimant": "",
                "claimant_type": kind,
                "source_kind": "",
                "inferred": True,
                "evidence": "no source given and none named in the first lines: "
                f"read as a {kind}'s own text",
            },
            furniture,
        )

    def set_annotations(self, doc: Doc, voice, furniture) -> None:
        speaker = getattr(doc._.glossa_context, "voice_claimant", "")
        if speaker and not voice["claimant"]:
            # An unregistered account's post: its display name speaks,
            # with the type inferred as for any text.
            voice = {**voice, "claimant": speaker}
        doc._.glossa_voice = voice
        doc.spans[self.spans_key] = [
            Span(doc, lo, hi, label=label) for lo, hi, label in furniture
        ]

    def acting_keys(self, doc: Doc) -> set[str]:
        context = doc._.glossa_context
        if context is None or not context.acting_states:
            return set()
        return self.typer.keys_of_names(context.acting_states)

    def _from_context(self, context, acting: set[str]) -> dict[str, Any]:
        kinds = self.lexicon["source_kinds"]
        kind = kinds.get(context.source_kind, self.lexicon["default"])
        override = (self.lexicon.get("document_kinds") or {}).get(context.document_kind)
        evidence = f"source kind {context.source_kind}"
        if override:
            kind = override
            evidence += f", document kind {context.document_kind}"
        name = re.sub(r"\s*\((?:via|from) [^)]*\)", "", context.source_name).strip()
        lowered = name.lower()
        if any(p in lowered for p in self.lexicon.get("expert_publishers") or []):
            kind = ct.EXPERT
            evidence += ", a legal-commentary publisher"
        if kind == ct.GOVERNMENT:
            kind = self._government_by_name(name, acting)
            evidence += (
                f" ({'an acting' if kind == ct.ACTING_GOVERNMENT else 'another'}"
            )
            evidence += " state)"
        return {
            "claimant": name,
            "claimant_type": kind,
            "source_kind": context.source_kind,
            "inferred": False,
            "evidence": evidence,
        }

    @staticmethod
    def _registered(context) -> dict[str, Any]:
        """The speaker the caller knows, e.g. a registered account's holder."""
        return {
            "claimant": context.voice_claimant,
            "claimant_type": context.voice_claimant_type,
            "source_kind": context.source_kind,
            "inferred": False,
            "evidence": "registered account of the post",
        }

    def _government_by_name(self, name: str, acting: set[str]) -> str:
        """A government publisher is of an acting state unless its name
        names only other states."""
        if not acting:
            return ct.ACTING_GOVERNMENT
        words = re.findall(r"[\w.'\u2019-]+", name)
        keys = {self.typer.state_key(w) for w in words}
        lowered = name.lower()
        keys |= {self.typer.state_key(a) for a in self.typer.aliases if a in lowered}
        if keys & acting:
            return ct.ACTING_GOVERNMENT
        foreign = [
            w
            for w in words
            if w.lower() in self.typer.aliases
            or (w[:1].isupper() and w.lower().endswith(ct.DEMONYM_ENDINGS))
        ]
        return ct.OTHER_GOVERNMENT if foreign else ct.ACTING_GOVERNMENT

    def _first_lines(self, doc: Doc) -> list[Span]:
        """The first lines of the text, as spans (lines are sentences'
        starts after a line break, see ``glossa_sentence_breaks``)."""
        limit = int(self.lexicon["first_lines"])
        lines: list[Span] = []
        start = 0
        for i in line_breaks(doc):
            if i > start:
                lines.append(doc[start:i])
            start = i + 1
            if len(lines) >= limit:
                break
        if len(lines) < limit and start < len(doc):
            lines.append(doc[start:])
        return lines[:limit]

    def _inferred(self, doc: Doc, acting: set[str]) -> dict[str, Any] | None:
        """Press-release furniture in the first lines and an organisation
        named there."""
        lines = self._first_lines(doc)
        if self.nlp.lang == "es":
            # Spanish prose names its sources' documents ("según el
            # comunicado"): furniture counts only in a heading-sized line,
            # not in a paragraph (a text with no line breaks is one line).
            lines = [line for line in lines if _words(line) <= HEADING_WORDS]
        head = " ".join(line.text.lower() for line in lines)
        marker = next((f for f in self.furniture if f in head), None)
        if marker is None:
            return None
        for line in lines:
            lowered = line.text.lower()
            kind = self.typer.type_of(list(line), acting)
            if any(f in lowered for f in self.furniture) and kind in VOICE_TYPES:
                # "Statement by the Ministry of Defence": the heading's author.
                return self._inference(heading_author(line), kind, marker, line.text)
        for line in lines:
            for ent in line.ents:
                if ent.label_ not in ("ORG", "GPE"):
                    continue
                kind = self.typer.type_of(list(ent), acting)
                if not kind and ent.label_ == "GPE":
                    kind = self.typer.government_type(list(ent), acting)
                if kind in VOICE_TYPES:
                    return self._inference(ent.text.strip(), kind, marker, ent.text)
        return None

    @staticmethod
    def _inference(claimant: str, kind: str, marker: str, seen: str) -> dict[str, Any]:
        return {
            "claimant": claimant,
            "claimant_type": kind,
            "source_kind": "",
            "inferred": True,
            "evidence": f"\u201c{marker}\u201d and \u201c{seen.strip()[:80]}\u201d "
            "in the first lines",
        }

    def _furniture(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Bylines, credits and other page furniture (whole lines), and
        datelines at the start of a line."""
        found: list[tuple[int, int, str]] = []
        lines: list[Span] = []
        start = 0
        for i in [*line_breaks(doc), len(doc)]:
            if i > start:
                lines.append(doc[start:i])
            start = i + 1
        in_links = False
        for index, line in enumerate(lines):
            text = line.text.strip()
            following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
            if any(p.match(text) for p in self.link_heads):
                in_links = True
                found.append((line.start, line.end, "furniture"))
                continue
            if in_links and len(text.split()) <= 16 and not text.endswith(LINE_ENDS):
                found.append((line.start, line.end, "link"))
                continue
            in_links = False
            furniture = self._line_furniture(line)
            if furniture:
                found.extend(furniture)  # a byline before a photo credit
            elif self._caption(text, following):
                found.append((line.start, line.end, "caption"))
        return found

    def _caption(self, text: str, following: str) -> bool:
        """A photo caption: the line ends with a photo credit ("[Reuters]",
        "(AP Photo/...)", "\u00a9 2023 ...") or the next line is one. A
        caption describes a picture; it is never a claim (tags.md)."""
        if not text or any(p.match(text) for p in self.credit_lines):
            return False  # the credit line itself is page furniture
        if any(p.search(text) for p in self.caption_credits):
            return True
        return bool(following) and any(p.match(following) for p in self.credit_lines)

    def _line_furniture(self, line: Span) -> list[tuple[int, int, str]]:
        text = line.text.strip()
        lowered = text.lower()
        if len(text.split()) <= self.max_words and (
            lowered.startswith(self.prefixes) or any(p.match(text) for p in self.lines)
        ):
            return [(line.start, line.end, "furniture")]
        match = self.dateline.match(text)
        if match and match.group(0).split()[0].isupper():
            end_char = line.start_char + (len(line.text) - len(line.text.lstrip()))
            end_char += match.end()
            span = line.doc.char_span(
                line.start_char, end_char, alignment_mode="contract"
            )
            if span is not None and len(span):
                return [(span.start, span.end, "dateline")]
        return []


def line_breaks(doc: Doc) -> list[int]:
    """The indices of the space tokens holding a line break, in order (read
    off one array of the Doc, not a Token object per word)."""
    spaces = doc.to_array(IS_SPACE).nonzero()[0].tolist()
    return [i for i in spaces if "\n" in doc[i].text]


def _words(line: Span) -> int:
    """The words of a line (punctuation and spaces left out)."""
    return sum(1 for tok in line if not (tok.is_punct or tok.is_space))
