"""Long texts in pieces (corpus.nlp.chunks): the cuts, the join, and a
generated 3,000,000-character text analysed end to end with real spaCy."""

from __future__ import annotations

import itertools
import random

import pytest

from corpus.nlp.chunks import analyse_in_pieces, join, split


def test_pieces_cover_the_text_and_cut_at_paragraphs():
    paragraphs = [f"Paragraph {i} " + "word " * (i % 7 + 3) for i in range(200)]
    text = "\n\n".join(paragraphs)
    spans = split(text, 300)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(0 < end - start <= 300 for start, end in spans)
    for _, end in spans[:-1]:
        assert text[end - 2 : end] == "\n\n"


def test_a_text_without_breaks_is_cut_at_lines_then_spaces_then_anywhere():
    lines = "\n".join("x" * 40 for _ in range(30))
    assert all(lines[end - 1] == "\n" for _, end in split(lines, 100)[:-1])
    words = " ".join("y" * 9 for _ in range(100))
    assert all(words[end - 1] == " " for _, end in split(words, 100)[:-1])
    solid = "z" * 1000
    assert split(solid, 100) == [(i, i + 100) for i in range(0, 1000, 100)]


def test_join_shifts_offsets_and_renumbers_indexes():
    def part(n: int) -> dict:
        return {
            "sentences": [{"start": 0, "end": 4}, {"start": 5, "end": 9}],
            "attributions": [
                {
                    "start": 0,
                    "end": 4,
                    "source": {"start": 0, "end": 2, "text": "ab"},
                    "sentence": 1,
                }
            ],
            "cues": [{"start": 5, "end": 6, "sentence": 1, "attribution": 0}],
            "quantities": [{"start": 1, "end": 2, "sentence": 0, "value": n}],
            "furniture": [],
            "voice": {"claimant": f"voice {n}"},
        }

    joined = join([part(0), part(1)], [0, 100])
    assert [s["start"] for s in joined["sentences"]] == [0, 5, 100, 105]
    second = joined["attributions"][1]
    assert second["start"] == 100 and second["source"]["start"] == 100
    assert second["sentence"] == 3
    assert joined["cues"][1] == {
        "start": 105,
        "end": 106,
        "sentence": 3,
        "attribution": 1,
    }
    assert joined["quantities"][1]["value"] == 1  # values are not offsets
    assert joined["voice"] == {"claimant": "voice 0"}  # the opening's voice


def test_short_texts_go_through_whole_and_in_order():
    seen: list[list[str]] = []

    def analyse(texts, contexts=None, batch_size=None):
        seen.append(list(texts))
        assert batch_size is not None  # pieces go in small batches
        for text in texts:
            yield {"tokens": [{"start": 0, "end": len(text)}], "voice": {}}

    texts = ["short", "a\n\n" + "b" * 30, "tiny"]
    out = list(analyse_in_pieces(analyse, texts, limit=20, piece_chars=20))
    assert seen[0][0] == "short" and seen[0][-1] == "tiny"
    assert len(seen[0]) > 3  # the long one went in pieces
    assert out[0]["tokens"] == [{"start": 0, "end": 5}]
    assert out[1]["tokens"][-1]["end"] == len(texts[1])
    assert out[2]["tokens"] == [{"start": 0, "end": 4}]


SENTENCES = (
    "The Ministry of Defence of Veridia said its forces struck {n} vessels "
    "near Porto Lenta.",
    "The ministry did not provide evidence that the boats carried contraband.",
    "Professor Hana Ostrova, a maritime law scholar, said the strikes appeared "
    "to be unlawful killings.",
    "Relatives gathered at the harbour office of Isla Merino on {day}.",
    "At least {n} people were killed, local officials said.",
)


def _long_text(chars: int) -> str:
    """A fictional wire story repeated with variations to ``chars`` characters."""
    rng = random.Random(13)
    days = ("Monday", "Tuesday", "Friday")
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        picked = rng.sample(SENTENCES, 3)
        paragraph = " ".join(
            s.format(n=rng.randint(2, 40), day=rng.choice(days)) for s in picked
        )
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


@pytest.mark.spacy
@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db
def test_a_three_million_character_text_gets_its_suggestions(
    project, analyst, django_capture_on_commit_callbacks
):
    """Over three times spaCy's max_length: stored, analysed, suggested."""
    from annotations.models import Suggestion
    from corpus.jobs import queue_analysis
    from corpus.models import AnalysisStatus, JobStatus
    from corpus.nlp import get_nlp
    from corpus.services import document_create

    text = _long_text(3_000_000)
    assert len(text) >= 3 * get_nlp().max_length
    document = document_create(project=project, original=b"long", text=text)
    with django_capture_on_commit_callbacks(execute=True):
        job = queue_analysis(project=project, documents=[document], user=analyst)
    assert job is not None
    document.refresh_from_db()
    job.refresh_from_db()
    assert document.analysis_status == AnalysisStatus.DONE, document.analysis_error
    assert job.status == JobStatus.DONE
    data = document.analysis.data
    assert data["tokens"][-1]["end"] <= len(text)
    assert data["tokens"][-1]["end"] > len(text) - 20
    for cue in data["cues"][:: max(1, len(data["cues"]) // 500)]:
        assert text[cue["start"] : cue["end"]] == cue["text"]
    suggestions = Suggestion.objects.filter(document=document)
    assert suggestions.count() > 1000
    assert suggestions.filter(start__gt=2_500_000).exists()
    for suggestion in suggestions.order_by("?")[:200]:
        assert suggestion.quote == text[suggestion.start : suggestion.end]
