"""Training data from a project's decisions (a selector: reads only).

Every decision an analyst takes is a label about the project's own texts:

- **positives**: annotations (manual spans and accepted suggestions; not
  those a reviewer rejected), for each of their tags;
- **negatives**: rejected suggestions for their tag, and suggestions
  accepted with edits that dropped their tag;
- **implicit negatives**: once an analyst submitted a document (assignment
  submitted or adjudicated), every sentence of it they did not tag is a
  negative for every tag.

Two views of the same decisions: **span-level** examples (the spans as the
analysts drew them, with their tags and polarity) and **sentence-level**
multi-label examples (each judged sentence of the analysed text with the
tags known for it; a tag not judged there is left out, i.e. unknown, not
negative). A span belongs to the sentence it overlaps most, and to any
other sentence it covers at least half of. Sentence examples also carry
what the analysis found there (the rules that fired, casualty counts, the
claimant type) as features for the model.

The snapshot is deterministic (sorted, canonical JSON), so its SHA-256
identifies exactly what a model was trained on.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from annotations.models import (
    Annotation,
    AnnotationStatus,
    Suggestion,
    SuggestionStatus,
    Tag,
)
from annotations.rules import patterns_validate, sentence_predictions
from corpus.models import Assignment, AssignmentStatus, Document
from projects.models import Project

MIN_POSITIVES = 5  # a tag is learnt only with at least this many positives
DECIDED = (
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.EDITED,
    SuggestionStatus.REJECTED,
)


@dataclass
class Snapshot:
    """A project's training data at one moment."""

    sentences: list[dict[str, Any]] = field(default_factory=list)
    spans: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def positives(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.sentences:
            for tag, value in row["cats"].items():
                if value >= 0.5:
                    counts[tag] += 1
        return dict(sorted(counts.items()))

    def negatives(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.sentences:
            for tag, value in row["cats"].items():
                if value < 0.5:
                    counts[tag] += 1
        return dict(sorted(counts.items()))

    def labels(self, minimum: int = MIN_POSITIVES) -> list[str]:
        """Tags with enough positives and at least one negative to learn."""
        negatives = self.negatives()
        return [
            t for t, n in self.positives().items() if n >= minimum and negatives.get(t)
        ]

    def jsonl(self) -> bytes:
        lines = [
            json.dumps({"kind": "sentence", **row}, sort_keys=True, ensure_ascii=False)
            for row in self.sentences
        ] + [
            json.dumps({"kind": "span", **row}, sort_keys=True, ensure_ascii=False)
            for row in self.spans
        ]
        return ("\n".join(lines) + "\n").encode() if lines else b""

    def sha256(self) -> str:
        return hashlib.sha256(self.jsonl()).hexdigest()

    def size(self) -> dict[str, Any]:
        return {
            "documents": len({row["document"] for row in self.sentences}),
            "sentences": len(self.sentences),
            "spans": len(self.spans),
            "positives": self.positives(),
            "negatives": self.negatives(),
        }


def sentence_features(
    prediction: dict[str, Any],
    previous: dict[str, Any] | None = None,
    following: dict[str, Any] | None = None,
    *,
    first: bool = False,
) -> list[str]:
    """What the analysis found in a sentence (and around it), as model
    features (``corpus.nlp.learning.features``)."""
    from corpus.nlp.learning.features import unit_features

    return list(
        unit_features(
            fired={
                tag: str((detail or {}).get("rule", ""))
                for tag, detail in prediction.get("fired", {}).items()
            },
            counts=[n.get("counts", "") for n in prediction.get("numbers", [])],
            claimant_type=prediction.get("claimant_type") or "",
            text=prediction.get("text") or "",
            previous=list((previous or {}).get("fired", {})),
            following=list((following or {}).get("fired", {})),
            first=first,
        )
    )


def document_features(
    predictions: list[dict[str, Any]], text: str | None = None
) -> list[list[str]]:
    """``sentence_features`` of each of a document's predictions, in order,
    each with its neighbours as context."""
    from corpus.nlp.learning.features import predictions_features

    return [list(f) for f in predictions_features(predictions, text)]


def sentences_of_span(
    sentences: list[dict[str, Any]], start: int, end: int
) -> list[int]:
    """Indexes of the sentences a span belongs to (see the module doc)."""
    overlaps = [max(0, min(end, s["end"]) - max(start, s["start"])) for s in sentences]
    if not overlaps or max(overlaps) == 0:
        return []
    best = overlaps.index(max(overlaps))
    return sorted(
        {best}
        | {
            i
            for i, (s, o) in enumerate(zip(sentences, overlaps, strict=True))
            if o and 2 * o >= s["end"] - s["start"]
        }
    )


def project_rules(project: Project) -> list[tuple[str, list[dict]]]:
    """The project's active tags' rules (broken ones skipped, as suggesting does)."""
    return [
        (tag.key, list(tag.patterns or []))
        for tag in Tag.objects.filter(project=project, is_active=True)
        if not patterns_validate(tag.patterns or [])
    ]


def decisions_count(project: Project) -> int:
    """How many decisions the project holds (for retraining after N new)."""
    return (
        Annotation.objects.filter(project=project)
        .exclude(status=AnnotationStatus.REJECTED)
        .count()
        + Suggestion.objects.filter(
            project=project, status=SuggestionStatus.REJECTED
        ).count()
    )


def training_snapshot(project: Project) -> Snapshot:
    """The project's training data now (see the module doc)."""
    snapshot = Snapshot()
    rules = project_rules(project)
    positives: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    negatives: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    annotations = (
        Annotation.objects.filter(project=project)
        .exclude(status=AnnotationStatus.REJECTED)
        .prefetch_related("tags")
        .order_by("document_id", "start", "end", "pk")
    )
    for annotation in annotations:
        for tag in sorted(annotation.tags.all(), key=lambda t: t.key):
            positives[annotation.document_id].append(
                (annotation.start, annotation.end, tag.key)
            )
    decided = (
        Suggestion.objects.filter(project=project, status__in=DECIDED)
        .select_related("tag")
        .prefetch_related("annotation__tags")
        .order_by("document_id", "start", "end", "pk")
    )
    for suggestion in decided:
        dropped = suggestion.status == SuggestionStatus.REJECTED or (
            suggestion.status == SuggestionStatus.EDITED
            and suggestion.annotation is not None
            and suggestion.tag not in suggestion.annotation.tags.all()
        )
        if dropped:
            negatives[suggestion.document_id].append(
                (suggestion.start, suggestion.end, suggestion.tag.key)
            )
    submitted = set(
        Assignment.objects.filter(
            document__project=project,
            status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.ADJUDICATED],
        ).values_list("document_id", flat=True)
    )
    all_tags = sorted(key for key, _ in rules)
    ids = sorted(set(positives) | set(negatives) | submitted)
    documents = Document.objects.filter(pk__in=ids).select_related("analysis")
    for document in documents.order_by("pk"):
        for start, end, key in positives[document.pk]:
            snapshot.spans.append(
                {
                    "document": document.pk,
                    "start": start,
                    "end": end,
                    "tag": key,
                    "value": 1.0,
                }
            )
        for start, end, key in negatives[document.pk]:
            snapshot.spans.append(
                {
                    "document": document.pk,
                    "start": start,
                    "end": end,
                    "tag": key,
                    "value": 0.0,
                }
            )
        analysis = getattr(document, "analysis", None)
        if analysis is None or not analysis.data:
            snapshot.skipped.append(f"document {document.pk}: not analysed yet")
            continue
        predictions = sentence_predictions(analysis.data, document.text, rules)
        cats: list[dict[str, float]] = [{} for _ in predictions]
        if document.pk in submitted:
            for row in cats:
                row.update(dict.fromkeys(all_tags, 0.0))
        for start, end, key in negatives[document.pk]:
            for i in sentences_of_span(predictions, start, end):
                cats[i].setdefault(key, 0.0)
        for start, end, key in positives[document.pk]:
            for i in sentences_of_span(predictions, start, end):
                cats[i][key] = 1.0
        features = document_features(predictions, document.text)
        for prediction, row, found in zip(predictions, cats, features, strict=True):
            if not row:
                continue
            snapshot.sentences.append(
                {
                    "document": document.pk,
                    "start": prediction["start"],
                    "end": prediction["end"],
                    "text": document.text[prediction["start"] : prediction["end"]],
                    "cats": dict(sorted(row.items())),
                    "features": found,
                    "rules": sorted(prediction["fired"]),
                }
            )
    return snapshot
