"""Reads for the model page and the API: versions, the current run, figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, FloatField, QuerySet, Value, When
from django.db.models.functions import Abs

from annotations.models import LearnedModel, Suggestion, TrainingStatus
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


#: The queue orders: document order, or the model's most uncertain first.
QUEUE_ORDERS = {"": "Document order", "uncertainty": "Most uncertain first (model)"}


def by_uncertainty(queryset: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """``queryset`` with the model's least certain suggestions first, as
    Prodigy's ``teach`` recipe asks about the examples nearest its decision
    boundary: ``uncertainty`` = |p - threshold|, ascending, where p is a
    model suggestion's probability and the threshold the ``add`` threshold
    of its tag in the version that made it (cross-validated; 0.5 if none).
    Suggestions of the rules carry no probability and come after, in
    document order."""
    project_ids = queryset.order_by().values("project_id").distinct()
    whens = [
        When(
            project_id=model.project_id,
            rule=f"model v{model.version}",
            tag__key=tag,
            then=Value(float((metric or {}).get("add") or 0.5)),
        )
        for model in LearnedModel.objects.filter(
            project_id__in=project_ids, status=TrainingStatus.DONE
        ).only("project_id", "version", "metrics")
        for tag, metric in sorted(model.metrics.items())
    ]
    threshold = Case(
        *whens,
        When(rule__startswith="model v", then=Value(0.5)),
        default=None,
        output_field=FloatField(),
    )
    return queryset.annotate(uncertainty=Abs(F("confidence") - threshold)).order_by(
        F("uncertainty").asc(nulls_last=True), "document_id", "start", "end", "pk"
    )
