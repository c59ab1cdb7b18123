"""Glossa's spaCy components, registered with ``@Language.factory``.

Importing this module registers all four; each lives in its own module
(``sentence_breaks``, ``cues``, ``quantities``, ``attribution``).

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
- ``glossa_attribution_v1``: who said what (source, cue verb, content),
  claimant names and types, in ``doc._.glossa_attributions``; the document's
  own voice (an official or NGO statement) in ``doc._.glossa_voice``.

All results are token indices plus plain values, turned into character
offsets by ``corpus.nlp.doc_to_data``.
"""

from __future__ import annotations

from corpus.nlp.attribution import AttributionFinder
from corpus.nlp.base import QUOTES, DataComponent
from corpus.nlp.cues import CUES_KEY, CueMatcher
from corpus.nlp.quantities import QuantityFinder
from corpus.nlp.sentence_breaks import SentenceBreaks

__all__ = [
    "CUES_KEY",
    "QUOTES",
    "AttributionFinder",
    "CueMatcher",
    "DataComponent",
    "QuantityFinder",
    "SentenceBreaks",
]
