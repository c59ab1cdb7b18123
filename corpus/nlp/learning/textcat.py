"""A sentence-level multi-label classifier (spaCy ``textcat_multilabel``).

Built from a config string through spaCy's config system, so every setting
(architecture, n-gram size, optimiser, seed) is written down in the
artefact's ``config.cfg`` and a model can be rebuilt from it. The default
architecture is the bag-of-words model (``spacy.TextCatBOW.v3``): it trains
on a few thousand sentences in seconds on two cores, which is what a
project learning in place needs (``benchmarks/learning.py`` compares it
with the ensemble and with ``spancat``).

Labels may be partial: a sentence an analyst judged only for
``official_claim`` says nothing about ``casualty_figure``. spaCy treats a
label missing from ``Example.reference.cats`` as unknown (its loss weight is
zero), so ``TextExample.cats`` holds only the judged tags.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, load_config_from_str, load_model_from_config

MODEL_KIND = "textcat_multilabel"
COMPONENT = "textcat_multilabel"

ARCHITECTURES = {
    # Hashed unigrams and bigrams with a linear layer: fast and strong on
    # small data.
    "bow": """
[components.textcat_multilabel.model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = false
length = 262144
ngram_size = 2
no_output_layer = false
""",
    # BOW plus a CNN over hashed embeddings with attention (slower).
    "ensemble": """
[components.textcat_multilabel.model]
@architectures = "spacy.TextCatEnsemble.v2"
nO = null

[components.textcat_multilabel.model.linear_model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = false
length = 262144
ngram_size = 2
no_output_layer = false

[components.textcat_multilabel.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.textcat_multilabel.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
rows = [2000, 2000, 1000, 1000]
attrs = ["NORM", "LOWER", "PREFIX", "SUFFIX"]
include_static_vectors = false

[components.textcat_multilabel.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
window_size = 1
maxout_pieces = 3
depth = 2
""",
}

CONFIG = """
[nlp]
lang = "{lang}"
pipeline = ["textcat_multilabel"]
batch_size = 256

[components]

[components.textcat_multilabel]
factory = "textcat_multilabel"
threshold = 0.5
{architecture}
[training]
seed = {seed}
dropout = {dropout}
epochs = {epochs}

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = {learn_rate}
"""


FEATURE_PREFIX = "glossafeat_"


@dataclass(frozen=True)
class TextExample:
    """One sentence and the tags judged on it: ``{tag: 1.0 or 0.0}``.

    Tags absent from ``cats`` are unknown for this sentence, not negative.
    ``features`` are what the analysis found there (``rule_<tag>`` for each
    tag a rule fired, ``count_killed``, ``claimant_expert``...): they are
    appended as tokens, so the model learns from the analysts' decisions
    when the rules are right, on top of the words.
    """

    text: str
    cats: dict[str, float] = field(default_factory=dict)
    features: tuple[str, ...] = ()

    def model_text(self) -> str:
        if not self.features:
            return self.text
        return self.text + " " + " ".join(FEATURE_PREFIX + f for f in self.features)


@dataclass(frozen=True)
class TrainSettings:
    lang: str = "en"
    architecture: str = "bow"
    epochs: int = 12
    dropout: float = 0.1
    learn_rate: float = 0.002
    batch_size: int = 32
    seed: int = 0


def textcat_config(labels: Sequence[str], settings: TrainSettings) -> str:
    """The config string of a model with ``labels`` (checked by spaCy)."""
    if settings.architecture not in ARCHITECTURES:
        raise ValueError(
            f"Unknown architecture {settings.architecture!r}; "
            f"use one of {', '.join(ARCHITECTURES)}."
        )
    if not labels:
        raise ValueError("A model needs at least one label.")
    return CONFIG.format(
        lang=settings.lang,
        architecture=ARCHITECTURES[settings.architecture],
        seed=settings.seed,
        dropout=settings.dropout,
        epochs=settings.epochs,
        learn_rate=settings.learn_rate,
    )


def _examples(nlp: Language, data: Iterable[TextExample]) -> list[Example]:
    return [
        Example.from_dict(nlp.make_doc(item.model_text()), {"cats": dict(item.cats)})
        for item in data
    ]


def textcat_train(
    data: Sequence[TextExample],
    labels: Sequence[str],
    settings: TrainSettings | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Language:
    """Train a blank pipeline with one ``textcat_multilabel`` on ``data``.

    Deterministic for the same data, labels and settings: the seed fixes
    spaCy's, Thinc's and NumPy's generators and the order of the batches.
    ``progress(done, total)`` is called after each epoch.
    """
    settings = settings or TrainSettings()
    if not data:
        raise ValueError("No training examples.")
    fix_random_seed(settings.seed)
    config = load_config_from_str(textcat_config(sorted(labels), settings))
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    component = nlp.get_pipe(COMPONENT)
    for label in sorted(labels):
        component.add_label(label)  # type: ignore[attr-defined]
    examples = _examples(nlp, data)
    optimizer = nlp.initialize(lambda: examples)
    order = random.Random(settings.seed)  # noqa: S311 (batch order)
    for epoch in range(settings.epochs):
        order.shuffle(examples)
        for start in range(0, len(examples), settings.batch_size):
            nlp.update(
                examples[start : start + settings.batch_size],
                sgd=optimizer,
                drop=settings.dropout,
            )
        if progress is not None:
            progress(epoch + 1, settings.epochs)
    return nlp


def textcat_predict(
    nlp: Language, items: Sequence[TextExample | str], *, batch_size: int = 256
) -> list[dict[str, float]]:
    """Per item (an example, whose labels are ignored, or a bare text), the
    probability of each label."""
    texts = [i if isinstance(i, str) else i.model_text() for i in items]
    return [
        {label: float(p) for label, p in doc.cats.items()}
        for doc in nlp.pipe(texts, batch_size=batch_size)
    ]


def textcat_labels(nlp: Language) -> list[str]:
    return list(nlp.get_pipe(COMPONENT).labels)  # type: ignore[attr-defined]


def textcat_save(nlp: Language, path: Path) -> str:
    """Write the pipeline (``config.cfg``, weights) and return its hash."""
    path.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return directory_sha256(path)


def textcat_load(path: Path) -> Language:
    """Load a saved model; a missing or broken directory raises ValueError."""
    if not (Path(path) / "config.cfg").is_file():
        raise ValueError(f"No model at {path} (config.cfg missing).")
    try:
        return spacy.load(path)
    except (OSError, ValueError, KeyError) as exc:
        raise ValueError(f"The model at {path} cannot be loaded: {exc}") from exc


def directory_sha256(path: Path) -> str:
    """SHA-256 over every file under ``path`` (relative name and bytes), in
    sorted order: the same model always hashes the same."""
    digest = hashlib.sha256()
    for item in sorted(p for p in Path(path).rglob("*") if p.is_file()):
        digest.update(item.relative_to(path).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(item.read_bytes()).digest())
    return digest.hexdigest()


def folds_by_group(groups: Sequence[str], folds: int, seed: int = 0) -> list[int]:
    """A fold number per item, keeping each group (document) in one fold so
    that sentences of a text the model trained on never score it."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)  # noqa: S311 (fold assignment)
    fold_of = {name: i % folds for i, name in enumerate(names)}
    return [fold_of[g] for g in groups]


def oof_folds(groups: Sequence[str], folds: int = 3, seed: int = 0) -> list[int]:
    """The fold of each example in ``textcat_out_of_fold`` (same arguments)."""
    folds = max(2, min(folds, len(set(groups))))
    return folds_by_group(groups, folds, seed)


def textcat_out_of_fold(
    data: Sequence[TextExample],
    groups: Sequence[str],
    labels: Sequence[str],
    settings: TrainSettings | None = None,
    *,
    folds: int = 3,
    progress: Callable[[int, int], None] | None = None,
    extra: Sequence[TextExample] = (),
) -> list[dict[str, float]]:
    """Probabilities for every example from a model trained without its
    fold (k-fold by group). With fewer groups than folds, fewer folds.
    ``extra`` examples join every fold's training and are never scored (a
    base set other than the data being calibrated; the benchmark's
    ``--base``)."""
    settings = settings or TrainSettings()
    fold = oof_folds(groups, folds, settings.seed)
    folds = max(2, min(folds, len(set(groups))))
    out: list[dict[str, float]] = [{} for _ in data]
    for k in range(folds):
        train = list(extra) + [x for x, f in zip(data, fold, strict=True) if f != k]
        test = [i for i, f in enumerate(fold) if f == k]
        if not train or not test:
            continue
        nlp = textcat_train(train, labels, settings)
        for i, probs in zip(
            test, textcat_predict(nlp, [data[i] for i in test]), strict=True
        ):
            out[i] = probs
        if progress is not None:
            progress(k + 1, folds)
    return out
