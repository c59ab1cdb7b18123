"""Glossa's spaCy components, registered with ``@Language.factory``.

Importing this module registers all six; each lives in its own module
(``sentence_breaks``, ``cues``, ``quantities``, ``voice``, ``attribution``,
``claims``). Components separate matching (``match(doc)``, which writes
nothing) from ``set_annotations(doc, ...)``, as spaCy's ``span_ruler``
does; span results go to a configurable ``spans_key``; pattern data is
validated when a component is built (``PatternError`` names the entry).

Factory names carry a version (``glossa_cues_v1``): a change in behaviour
means a new factory, never an edit that silently changes old results. The
pattern data comes from versioned ``misc`` loaders (``corpus.nlp.patterns``)
and can be replaced with ``initialize(data=...)``.

- ``glossa_sentence_breaks_v1`` (before the parser): a line break always
  ends a sentence; a closing quote never starts one.
- ``glossa_cues_v1``: cue spans (hedges, evidence absence, refusals, legal
  characterisations, denials, rescue...) in ``doc.spans["glossa_cues"]``,
  label = cue family, ``span.id_`` = the rule that matched.
- ``glossa_quantities_v1``: numbers with what they count, bound and scope,
  in ``doc._.glossa_quantities``.
- ``glossa_voice_v1``: the document's own voice (from
  ``doc._.glossa_context``, else inferred from the text) in
  ``doc._.glossa_voice``; page furniture (bylines, datelines) in
  ``doc.spans["glossa_furniture"]``.
- ``glossa_attribution_v2`` (v1 typed into the old claimant types): who
  said what (source, cue verb, content), claimant names and the ten claimant
  types of tags.md, in ``doc._.glossa_attributions`` and
  ``doc.spans["glossa_attributions"]``.
- ``glossa_claims_v1``: the claimant of every sentence, cue and figure
  (attribution, quotation continuation or voice) and whether a sentence is
  a claim, in ``doc._.glossa_claims`` and ``doc.spans["glossa_claims"]``.

All results are token indices plus plain values, turned into character
offsets by ``corpus.nlp.doc_to_data``.
"""

from __future__ import annotations

from corpus.nlp.attribution import ATTRIBUTIONS_KEY, AttributionFinder
from corpus.nlp.base import QUOTES, DataComponent
from corpus.nlp.claims import CLAIMS_KEY, ClaimsComponent
from corpus.nlp.cues import CUES_KEY, CueMatcher
from corpus.nlp.quantities import QuantityFinder
from corpus.nlp.sentence_breaks import SentenceBreaks
from corpus.nlp.validation import PatternError
from corpus.nlp.voice import FURNITURE_KEY, VoiceFinder

__all__ = [
    "ATTRIBUTIONS_KEY",
    "CLAIMS_KEY",
    "CUES_KEY",
    "FURNITURE_KEY",
    "QUOTES",
    "AttributionFinder",
    "ClaimsComponent",
    "CueMatcher",
    "DataComponent",
    "PatternError",
    "QuantityFinder",
    "SentenceBreaks",
    "VoiceFinder",
]
