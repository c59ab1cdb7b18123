"""Fixtures for the NLP tests: the real pipeline, loaded once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from corpus.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def analyse(nlp):
    """Text -> (analysis data, per-sentence predictions with default tags)."""
    from annotations.rules import sentence_predictions
    from corpus.nlp import doc_to_data

    def run(text: str):
        data = doc_to_data(nlp(text))
        return data, sentence_predictions(data, text)

    return run
