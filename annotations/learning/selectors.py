"""Reads for the model page and the API: versions, the current run, figures."""

from __future__ import annotations

from typing import Any

from annotations.models import LearnedModel, TrainingStatus
from projects.models import Project


def models_of(project: Project) -> list[LearnedModel]:
    return list(
        LearnedModel.objects.filter(project=project)
        .select_related("created_by")
        .order_by("-version")
    )


def model_figures(model: LearnedModel) -> list[dict[str, Any]]:
    """Per tag: cross-validated F1 of the rules alone, the model alone and
    both merged, the thresholds and the examples, for the model page."""
    rows = []
    for tag in model.labels:
        metric = model.metrics.get(tag) or {}
        rules, merged = metric.get("f1_rules"), metric.get("f1_merged")
        rows.append(
            {
                "tag": tag,
                "support": metric.get("support"),
                "positives": metric.get("positives"),
                "f1_rules": rules,
                "f1_model": metric.get("f1_model"),
                "f1_merged": merged,
                "gain": None
                if rules is None or merged is None
                else round(merged - rules, 3),
                "add": metric.get("add"),
                "veto": metric.get("veto"),
            }
        )
    return rows


def learning_page(project: Project) -> dict[str, Any]:
    models = models_of(project)
    done = [m for m in models if m.status == TrainingStatus.DONE]
    active = done[0] if done else None
    running = next((m for m in models if m.is_active), None)
    return {
        "models": models,
        "active": active,
        "running": running,
        "figures": model_figures(active) if active else [],
    }
