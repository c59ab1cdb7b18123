"""Suggestions stored after analysis: signal wiring, idempotence, rejections."""

from __future__ import annotations

from typing import cast

import pytest

from annotations.evaluation import claimant_type_normal
from annotations.models import Suggestion, SuggestionStatus
from annotations.services.suggestions import suggestions_create_for_document
from corpus.analysis import analyse_documents
from corpus.models import AnalysisStatus, Document
from corpus.nlp import PIPELINE_VERSION
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.spacy, pytest.mark.postgres, pytest.mark.django_db]

TEXT = (
    "The ministry said nine people were killed in the strike. "
    "The ministry has yet to provide evidence that the boat carried drugs."
)


def test_analysis_creates_explained_span_suggestions(project):
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    assert analyse_documents([document.pk]) == 1
    document.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.DONE
    rows = {s.tag.key: s for s in Suggestion.objects.filter(document=document)}
    assert {"official_claim", "casualty_figure", "no_evidence_provided"} <= set(rows)
    figure = rows["casualty_figure"]
    # The suggestion covers the figure's words; its sentence is the context.
    sentence = "The ministry said nine people were killed in the strike."
    assert TEXT[figure.context_start : figure.context_end] == sentence
    assert "nine" in figure.quote and figure.quote in sentence
    assert figure.context_start is not None and figure.context_end is not None
    assert figure.context_start <= figure.start < figure.end <= figure.context_end
    assert figure.rule == "casualty_figure:people-count"
    assert "nine" in figure.explanation
    assert claimant_type_normal(figure.claimant_type) == "acting_government"
    assert figure.pipeline_version == PIPELINE_VERSION
    evidence = rows["no_evidence_provided"]
    assert claimant_type_normal(evidence.claimant_type) == "reporter"
    assert evidence.context_start == TEXT.index("The ministry has")


def test_rerun_is_idempotent_and_keeps_rejections(project):
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    analyse_documents([document.pk])
    count = Suggestion.objects.filter(document=document).count()
    rejected = Suggestion.objects.filter(document=document).first()
    assert rejected is not None
    rejected.status = SuggestionStatus.REJECTED
    rejected.save()
    assert analyse_documents([document.pk], force=True) == 1
    assert Suggestion.objects.filter(document=document).count() == count
    assert suggestions_create_for_document(document=document) == []
    rejected.refresh_from_db()
    assert rejected.status == SuggestionStatus.REJECTED


def test_owner_edited_patterns_drive_suggestions(project):
    tag = project.tags.get(key="rescue_or_survivor")
    tag.patterns = [{"name": "strike-word", "lemma": ["strike"], "confidence": 0.4}]
    tag.save()
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    analyse_documents([document.pk])
    rescue = Suggestion.objects.get(document=document, tag=tag)
    assert rescue.rule == "rescue_or_survivor:strike-word"
    assert rescue.confidence == 0.4


def test_a_missing_model_marks_documents_failed(project, monkeypatch, settings):
    """A misconfigured model name fails loudly and leaves no document
    "running"."""
    import corpus.nlp

    monkeypatch.setattr(corpus.nlp, "_pipelines", {})  # restored after the test
    settings.GLOSSA_SPACY_MODEL = "no_such_model_installed"
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    with pytest.raises(RuntimeError, match="not installed"):
        analyse_documents([document.pk])
    document.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.FAILED
    assert "no_such_model_installed" in document.analysis_error


def test_a_broken_owner_rule_is_skipped_not_fatal(project, caplog):
    tag = project.tags.get(key="casualty_figure")
    tag.patterns = [{"quantity": "lots"}]
    tag.save()
    document = cast(Document, DocumentFactory(project=project, text=TEXT))
    assert analyse_documents([document.pk]) == 1
    keys = set(
        Suggestion.objects.filter(document=document).values_list("tag__key", flat=True)
    )
    assert "casualty_figure" not in keys
    assert "official_claim" in keys
    assert "casualty_figure" in caplog.text
