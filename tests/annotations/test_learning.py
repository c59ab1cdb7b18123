"""Learning from the analysts: training data, the Celery training job, the
artefacts, the merge with the rules, the model page, the API and the command.

Real PostgreSQL, the real spaCy pipeline (documents analysed as ingestion
does) and real training on a tiny set written for these tests.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import cast

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from annotations.learning.examples import sentences_of_span, training_snapshot
from annotations.learning.merge import loaded, merge_probabilities
from annotations.learning.services import training_request, training_run
from annotations.learning.storage import model_dir, version_dir
from annotations.models import (
    AnnotationStatus,
    LearnedModel,
    Suggestion,
    SuggestionStatus,
    Tag,
    TrainingStatus,
)
from annotations.services.suggestions import suggestions_create_for_document
from corpus.analysis import analyse_documents
from corpus.models import AssignmentStatus, Document
from corpus.nlp.learning import directory_sha256, textcat_load, textcat_predict
from projects.errors import ConflictError
from tests.factories import (
    AssignmentFactory,
    DocumentFactory,
    SuggestionFactory,
    make_annotation,
)

pytestmark = pytest.mark.postgres

CLAIMS = [
    "The ministry said the raid targeted only armed men.",
    "A navy spokesman said the boat ignored three warnings.",
    "The defence minister said the strike was lawful.",
    "Officials said the convoy carried weapons.",
    "The interior ministry said officers fired in self-defence.",
    "The army said its soldiers came under fire first.",
]
FIGURES = [
    "Eleven people were killed in the raid.",
    "Thirty passengers drowned when the boat sank.",
    "Four children were killed and nine were injured.",
    "Hospital staff counted twenty-two dead by the evening.",
    "Two fishermen died and five are missing.",
    "Rescuers recovered the bodies of seven migrants.",
]
NEITHER = [
    "The market reopened on Tuesday after the storm.",
    "Rain is expected along the coast this weekend.",
    "The football season starts next month.",
    "A new bridge over the river opened in spring.",
    "The library extended its opening hours.",
    "Tickets for the harbour concert sold out quickly.",
]


def texts() -> list[str]:
    """Three documents, each two claims, two figures and two plain lines."""
    return [
        " ".join(
            [
                CLAIMS[2 * i],
                FIGURES[2 * i],
                NEITHER[2 * i],
                CLAIMS[2 * i + 1],
                FIGURES[2 * i + 1],
                NEITHER[2 * i + 1],
            ]
        )
        for i in range(3)
    ]


def analysed(project, text: str) -> Document:
    document = cast(Document, DocumentFactory(project=project, text=text))
    analyse_documents([document.pk])
    document.refresh_from_db()
    return document


@pytest.fixture
def decided(project, analyst, media_root):
    """Three analysed documents whose claims and figures the analyst tagged
    and submitted; one rejected suggestion on a plain sentence."""
    documents = []
    for text in texts():
        document = analysed(project, text)
        for sentence in CLAIMS:
            if sentence in text:
                make_annotation(document, analyst, sentence, tags=["official_claim"])
        for sentence in FIGURES:
            if sentence in text:
                make_annotation(document, analyst, sentence, tags=["casualty_figure"])
        AssignmentFactory(
            document=document, annotator=analyst, status=AssignmentStatus.SUBMITTED
        )
        documents.append(document)
    plain = documents[0].text.index(NEITHER[0])
    SuggestionFactory(
        document=documents[0],
        tag=Tag.objects.get(project=project, key="denial_or_rebuttal"),
        start=plain,
        end=plain + len(NEITHER[0]),
        status=SuggestionStatus.REJECTED,
        decided_by=analyst,
    )
    return documents


@pytest.fixture
def train(django_capture_on_commit_callbacks):
    """Queue a run and let its Celery task run as the commit would start it."""

    def run(project, user) -> LearnedModel:
        with django_capture_on_commit_callbacks(execute=True):
            model = training_request(project=project, user=user)
        model.refresh_from_db()
        return model

    return run


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the queued task) of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sentence_row(snapshot, text: str) -> dict:
    return next(row for row in snapshot.sentences if row["text"].startswith(text))


# --- training data ----------------------------------------------------------------


def test_sentences_of_a_span():
    sentences = [{"start": 0, "end": 10}, {"start": 11, "end": 20}]
    assert sentences_of_span(sentences, 2, 5) == [0]
    assert sentences_of_span(sentences, 8, 19) == [1]
    assert sentences_of_span(sentences, 5, 19) == [0, 1]  # half of #0 too
    assert sentences_of_span(sentences, 30, 40) == []


def test_snapshot_positives_and_negatives(project, analyst, decided):
    snapshot = training_snapshot(project)
    claim = sentence_row(snapshot, CLAIMS[0])
    assert claim["cats"]["official_claim"] == 1.0
    assert claim["cats"]["casualty_figure"] == 0.0  # submitted: implicit negative
    figure = sentence_row(snapshot, FIGURES[0])
    assert figure["cats"]["casualty_figure"] == 1.0
    assert figure["cats"]["official_claim"] == 0.0
    plain = sentence_row(snapshot, NEITHER[0])
    assert plain["cats"]["denial_or_rebuttal"] == 0.0
    assert snapshot.positives() == {"casualty_figure": 6, "official_claim": 6}
    assert snapshot.labels() == ["casualty_figure", "official_claim"]
    assert any(f.startswith("claimant_") for f in claim["features"])
    # The rule that fired and the sentences around it are features too
    # (corpus.nlp.learning.features), computed as the merge computes them.
    if claim["rules"]:
        assert any(f.startswith("rid_") for f in claim["features"])
    assert any(
        f.startswith(("prev_", "next_", "shape_"))
        for row in snapshot.sentences
        for f in row["features"]
    )
    # Span level: every annotation, and the rejected suggestion as a negative.
    assert sum(1 for s in snapshot.spans if s["value"] == 1.0) == 12
    assert [s["tag"] for s in snapshot.spans if s["value"] == 0.0] == [
        "denial_or_rebuttal"
    ]
    assert training_snapshot(project).sha256() == snapshot.sha256()


def test_unsubmitted_documents_leave_other_tags_unknown(project, analyst, media_root):
    document = analysed(project, texts()[0])
    make_annotation(document, analyst, CLAIMS[0], tags=["official_claim"])
    rejected = make_annotation(document, analyst, FIGURES[0], tags=["casualty_figure"])
    rejected.status = AnnotationStatus.REJECTED
    rejected.save()
    snapshot = training_snapshot(project)
    assert [row["cats"] for row in snapshot.sentences] == [{"official_claim": 1.0}]
    assert snapshot.labels() == []


# --- the training job ---------------------------------------------------------------


def test_training_job_stores_a_versioned_hashed_model(
    project, reviewer, decided, train
):
    model = train(project, reviewer)  # the Celery task ran (eagerly) on commit
    assert model.status == TrainingStatus.DONE, model.error
    assert model.version == 1 and model.labels == ["casualty_figure", "official_claim"]
    assert model.done == model.total > 0
    assert model.data_size["sentences"] == 18
    assert model.decisions == 13  # 12 annotations, 1 rejection
    assert directory_sha256(model_dir(model)) == model.artefact_sha256
    snapshot = (version_dir(model) / "snapshot.jsonl").read_bytes()
    assert hashlib.sha256(snapshot).hexdigest() == model.snapshot_sha256
    assert model.snapshot_sha256 == training_snapshot(project).sha256()
    for tag in model.labels:
        assert set(model.metrics[tag]) >= {"f1_rules", "f1_model", "add", "veto"}
    # A second run is a new version beside the first, never over it.
    second = train(project, reviewer)
    assert second.version == 2 and second.status == TrainingStatus.DONE
    assert second.snapshot_sha256 == model.snapshot_sha256
    assert second.artefact_sha256 == model.artefact_sha256  # fixed seeds
    assert model_dir(model).is_dir() and model_dir(second).is_dir()


def test_the_downloaded_model_predicts_as_the_stored_one(
    project, reviewer, decided, tmp_path, train
):
    model = train(project, reviewer)
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.get(reverse("api-model-download", args=[model.pk]))
    assert response.status_code == 200
    assert response["X-Artefact-SHA256"] == model.artefact_sha256
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "model-v1/model/config.cfg",
        "model-v1/snapshot.jsonl",
        "model-v1/meta.json",
    } <= names
    archive.extractall(tmp_path)
    unpacked = textcat_load(tmp_path / "model-v1" / "model")
    sentences = ["The ministry said the raid was lawful.", "Nine people were killed."]
    assert textcat_predict(unpacked, sentences) == textcat_predict(
        loaded(model), sentences
    )


def test_one_run_at_a_time(project, reviewer, decided):
    LearnedModel.objects.create(
        project=project, version=1, status=TrainingStatus.RUNNING
    )
    with pytest.raises(ConflictError, match="v1 is already running"):
        training_request(project=project, user=reviewer)


def test_too_few_decisions_fail_with_the_reason(project, reviewer, media_root, train):
    model = train(project, reviewer)
    assert model.status == TrainingStatus.FAILED
    assert "Not enough decisions" in model.error and "none" in model.error
    assert training_run(model.pk) == {"already": TrainingStatus.FAILED}


# --- merged with the rules ---------------------------------------------------------


@pytest.fixture
def trained(project, reviewer, decided, train):
    model = train(project, reviewer)
    assert model.status == TrainingStatus.DONE, model.error
    return model


def test_model_suggestions_carry_version_and_probability(project, trained, media_root):
    # Thresholds an owner could never pick, to make the model speak for sure.
    trained.metrics["official_claim"]["add"] = 0.0
    trained.save()
    # Analysis stores suggestions (as ingestion does), the model merged in.
    document = analysed(project, NEITHER[3] + " " + NEITHER[4])
    created = list(Suggestion.objects.filter(document=document))
    assert suggestions_create_for_document(document=document) == []  # idempotent
    by_model = [s for s in created if s.rule == "model v1"]
    assert {s.tag.key for s in by_model} == {"official_claim"}
    for suggestion in by_model:
        assert suggestion.explanation.startswith("model v1, p = ")
        assert 0.0 <= suggestion.confidence <= 1.0
        assert f"{suggestion.confidence:.2f}" in suggestion.explanation


def test_blind_projects_keep_to_the_rules(project, trained, media_root):
    trained.metrics["official_claim"]["add"] = 0.0
    trained.save()
    project.blind_mode = True
    project.save()
    document = analysed(project, NEITHER[3] + " " + NEITHER[4])
    suggestions_create_for_document(document=document)
    assert not Suggestion.objects.filter(document=document, rule__startswith="model")


def test_merge_explains_rule_model_or_both(trained):
    trained.metrics = {
        "official_claim": {"add": 0.8, "veto": 0.1},
        "casualty_figure": {"add": None, "veto": None},
    }
    fired = {"rule": "official_claim:x", "confidence": 0.6, "explanation": "cue said"}
    predictions = [
        {
            "text": "a",
            "tags": ["official_claim"],
            "fired": {"official_claim": dict(fired)},
        },
        {
            "text": "b",
            "tags": ["official_claim"],
            "fired": {"official_claim": dict(fired)},
        },
        {"text": "c", "tags": [], "fired": {}, "claimant": "", "claimant_type": ""},
        {
            "text": "d",
            "tags": ["official_claim"],
            "fired": {"official_claim": dict(fired)},
        },
    ]
    probs = [
        {"official_claim": 0.9, "casualty_figure": 0.9},
        {"official_claim": 0.05, "casualty_figure": 0.0},
        {"official_claim": 0.85, "casualty_figure": 0.99},
        {"official_claim": 0.3, "casualty_figure": 0.0},
    ]
    both, vetoed, model_only, rule_only = merge_probabilities(
        trained, predictions, probs
    )
    assert both["fired"]["official_claim"]["explanation"] == (
        "cue said; model v1 agrees, p = 0.90"
    )
    assert vetoed["fired"] == {} and vetoed["tags"] == []
    assert model_only["tags"] == ["official_claim"]  # casualty_figure: add is off
    assert model_only["fired"]["official_claim"]["rule"] == "model v1"
    assert model_only["fired"]["official_claim"]["confidence"] == 0.85
    assert model_only["fired"]["official_claim"]["claimant_type"] == "reporter"
    assert (
        rule_only["fired"]["official_claim"]["explanation"]
        == "cue said; model v1, p = 0.30"
    )


# --- model page, API, command --------------------------------------------------------


def test_model_page_membership(
    client, project, viewer, reviewer, outsider, decided, committing
):
    url = reverse("learning-model", args=[project.slug])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("learning-train", args=[project.slug])).status_code == 404
    )
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200 and b"Train now" not in page.content
    assert (
        client.post(reverse("learning-train", args=[project.slug])).status_code == 403
    )
    assert not LearnedModel.objects.exists()
    client.force_login(reviewer)
    assert b"Train now" in client.get(url).content
    with committing():
        response = client.post(reverse("learning-train", args=[project.slug]))
    assert response.status_code == 302
    page = client.get(url)
    assert b"Model v1 (in use)" in page.content and b"Rules + model" in page.content
    download = reverse("learning-download", args=[project.slug, 1])
    assert client.get(download)["Content-Type"] == "application/zip"
    client.force_login(viewer)
    assert client.get(download).status_code == 403


def test_blind_mode_hides_the_figures_from_analysts(
    client, project, analyst, reviewer, trained
):
    project.blind_mode = True
    project.save()
    url = reverse("learning-model", args=[project.slug])
    client.force_login(analyst)
    page = client.get(url)
    assert b"Model v1 (in use)" in page.content and b"Rules + model" not in page.content
    api = APIClient()
    api.force_authenticate(analyst)
    body = api.get(reverse("api-model", args=[trained.pk])).json()
    assert body["metrics"] is None and body["data_size"] is None
    api.force_authenticate(reviewer)
    assert api.get(reverse("api-model", args=[trained.pk])).json()["metrics"]


def test_api_membership_and_training(
    project, analyst, reviewer, outsider, decided, committing
):
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get(reverse("api-models"), {"project": project.slug}).status_code == 404
    assert (
        api.post(reverse("api-models-train"), {"project": project.slug}).status_code
        == 404
    )
    api.force_authenticate(analyst)
    assert api.get(reverse("api-models")).status_code == 400
    assert (
        api.post(reverse("api-models-train"), {"project": project.slug}).status_code
        == 403
    )
    api.force_authenticate(reviewer)
    with committing():
        response = api.post(reverse("api-models-train"), {"project": project.slug})
    assert response.status_code == 202
    assert response.json()["status"] == "queued" and response.json()["version"] == 1
    pk = response.json()["id"]
    assert api.get(reverse("api-model", args=[pk])).json()["status"] == "done"
    listed = api.get(reverse("api-models"), {"project": project.slug}).json()
    assert [m["version"] for m in listed] == [1]
    api.force_authenticate(outsider)
    assert api.get(reverse("api-model", args=[pk])).status_code == 404
    assert api.get(reverse("api-model-download", args=[pk])).status_code == 404
    api.force_authenticate(analyst)
    assert api.get(reverse("api-model", args=[pk])).status_code == 200
    assert api.get(reverse("api-model-download", args=[pk])).status_code == 403


def test_train_command(project, decided, capsys, committing):
    with committing():
        call_command("train", project=project.slug)
    # Inside the test's transaction the job starts when the block "commits",
    # after the command answered (outside a test it runs before it answers).
    assert "Model v1 queued" in capsys.readouterr().out
    assert LearnedModel.objects.get(version=1).status == TrainingStatus.DONE
    with pytest.raises(CommandError, match="No project with slug 'nope'"):
        call_command("train", project="nope")
    LearnedModel.objects.create(
        project=project, version=9, status=TrainingStatus.QUEUED
    )
    with pytest.raises(CommandError, match="v9 is already queued"):
        call_command("train", project=project.slug)
