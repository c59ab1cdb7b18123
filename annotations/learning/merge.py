"""The project's model merged into the rules' predictions.

``suggestions_create_for_document`` hands every document's sentence
predictions (``annotations.rules.sentence_predictions``) to ``model_merge``
before storing suggestions. With a finished model, each sentence gets the
model's probability for each tag it learnt, and the per-tag thresholds
calibrated by cross-validation decide (``corpus.nlp.learning.merge_decision``):

- a rule fired and the model agrees: kept, the explanation adds
  "model v3 agrees, p = 0.83" (rule and model);
- a rule fired, the model disagrees but not strongly: kept, with the model's
  p in the explanation (rule);
- a rule fired and p is under the tag's veto threshold: dropped;
- no rule fired and p reaches the tag's add threshold: a suggestion by the
  model, ``rule`` = "model v3", ``confidence`` = p, explanation
  "model v3, p = 0.83" (model).

Blind projects are left to the rules: a model trained on every analyst's
decisions would show each annotator the others' judgements. A model whose
files are missing or unreadable is logged and skipped; suggestions never
fail because of it. Loaded models are cached per process.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

from annotations.learning.examples import document_features
from annotations.learning.storage import model_dir
from annotations.models import LearnedModel, Tag, TrainingStatus
from corpus.models import Document

logger = logging.getLogger(__name__)

CACHE_SIZE = 4
_cache: OrderedDict[tuple[int, str], Any] = OrderedDict()
_lock = threading.Lock()


def active_model(project_id: int) -> LearnedModel | None:
    """The newest finished version of the project's model, if any."""
    return (
        LearnedModel.objects.filter(project_id=project_id, status=TrainingStatus.DONE)
        .select_related("project")
        .order_by("-version")
        .first()
    )


def loaded(model: LearnedModel) -> Any:
    """The spaCy pipeline of ``model``, loaded once per process."""
    from corpus.nlp.learning import textcat_load

    key = (model.pk, model.artefact_sha256)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    nlp = textcat_load(model_dir(model))
    with _lock:
        _cache[key] = nlp
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return nlp


def model_name(model: LearnedModel) -> str:
    return f"model v{model.version}"


def model_merge(
    document: Document, predictions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``predictions`` with the project's model merged in (see module doc)."""
    if not predictions:
        return predictions
    # One query when the project has no model (most documents of most
    # projects); the project comes with the model for the blind check.
    model = active_model(document.project_id)
    if model is None or model.project.blind_mode:
        return predictions
    try:
        nlp = loaded(model)
    except (ValueError, OSError) as exc:
        logger.warning("Skipping %s of project %s: %s", model, model.project_id, exc)
        return predictions
    active = set(
        Tag.objects.filter(project_id=document.project_id, is_active=True).values_list(
            "key", flat=True
        )
    )
    return merge_probabilities(
        model, predictions, _probabilities(nlp, predictions), active
    )


def _probabilities(
    nlp: Any, predictions: list[dict[str, Any]]
) -> list[dict[str, float]]:
    from corpus.nlp.learning import TextExample, textcat_predict

    return textcat_predict(
        nlp,
        [
            TextExample(p["text"], {}, tuple(found))
            for p, found in zip(
                predictions, document_features(predictions), strict=True
            )
        ],
    )


def merge_probabilities(
    model: LearnedModel,
    predictions: list[dict[str, Any]],
    probabilities: list[dict[str, float]],
    active: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Apply the model's thresholds to each prediction's ``fired`` tags
    (only for ``active`` tags when given: a tag switched off since the
    model was trained suggests nothing)."""
    from corpus.nlp.learning import merge_decision

    name = model_name(model)
    order = [t for t in model.labels if active is None or t in active]
    for prediction, probs in zip(predictions, probabilities, strict=True):
        fired = dict(prediction["fired"])
        for tag in order:
            if tag not in probs:
                continue
            p = probs[tag]
            metric = model.metrics.get(tag) or {}
            add, veto = metric.get("add"), metric.get("veto")
            rule = tag in fired
            keep = merge_decision(rule, p, add, veto)
            if rule and not keep:
                del fired[tag]
            elif rule:
                agrees = p >= (add if add is not None else 0.5)
                fired[tag] = {
                    **fired[tag],
                    "explanation": f"{fired[tag]['explanation']}; {name}"
                    + (" agrees, " if agrees else ", ")
                    + f"p = {p:.2f}",
                    "model": {"version": model.version, "p": round(p, 4)},
                }
            elif keep:
                fired[tag] = {
                    "rule": name,
                    "confidence": round(p, 4),
                    "explanation": f"{name}, p = {p:.2f} (no rule fired)",
                    "claimant": prediction.get("claimant", ""),
                    "claimant_type": prediction.get("claimant_type", "")
                    or "reporter",  # the document's own voice (tags.md)
                    "model": {"version": model.version, "p": round(p, 4)},
                }
        prediction["fired"] = fired
        prediction["tags"] = [t for t in prediction.get("tags", []) if t in fired] + [
            t for t in fired if t not in prediction.get("tags", [])
        ]
    return predictions
