"""Training after N new decisions: off by default, an owner turns it on, and
the N-th decision since the last run queues one (Celery, eager in tests, as
the other learning tests run it), recorded with trigger ``auto``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.learning.auto import (
    decisions_since_training,
    learning_settings_of,
    learning_settings_set,
)
from annotations.models import LearnedModel, SuggestionStatus, Tag, TrainingStatus
from audit.models import HistoryEntry
from corpus.models import AssignmentStatus
from projects.errors import ApplicationError
from tests.annotations.test_learning import CLAIMS, FIGURES, NEITHER, analysed, texts
from tests.factories import AssignmentFactory, SuggestionFactory, make_annotation

pytestmark = pytest.mark.postgres


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the checks, the queued task) of a block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def decide(project, analyst):
    """Three analysed documents, their claims and figures tagged (12
    annotations), submitted, and one rejected suggestion: 13 decisions."""
    documents = []
    for text in texts():
        document = analysed(project, text)
        for sentence in CLAIMS + FIGURES:
            if sentence in text:
                key = "official_claim" if sentence in CLAIMS else "casualty_figure"
                make_annotation(document, analyst, sentence, tags=[key])
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


def test_off_by_default_no_run_however_many_decisions(
    project, analyst, media_root, committing
):
    assert learning_settings_of(project).auto_train is False
    with committing():
        decide(project, analyst)
    assert not LearnedModel.objects.filter(project=project).exists()
    assert decisions_since_training(project) == 13


def test_the_nth_new_decision_queues_a_run_and_the_next_n_another(
    project, owner, analyst, media_root, committing
):
    with committing():
        learning_settings_set(
            project=project, user=owner, auto_train=True, train_after=13
        )
    assert not LearnedModel.objects.filter(project=project).exists()
    with committing():
        documents = decide(project, analyst)
    [model] = LearnedModel.objects.filter(project=project)
    assert model.trigger == "auto" and model.created_by is None
    assert model.status == TrainingStatus.DONE, model.error
    assert model.decisions == 13 and decisions_since_training(project) == 0
    # Fewer than 13 new decisions: no new run.
    extra = NEITHER[1]
    with committing():
        make_annotation(documents[0], analyst, extra, tags=["official_claim"])
    assert LearnedModel.objects.filter(project=project).count() == 1
    assert decisions_since_training(project) == 1
    # Turned off: nothing more, even past the count.
    with committing():
        learning_settings_set(
            project=project, user=owner, auto_train=False, train_after=5
        )
        for sentence in NEITHER[2:4] + CLAIMS[2:5]:
            if sentence in documents[1].text:
                make_annotation(
                    documents[1], analyst, sentence, tags=["official_claim"]
                )
            elif sentence in documents[0].text:
                make_annotation(
                    documents[0], analyst, sentence, tags=["hedged_allegation"]
                )
    assert LearnedModel.objects.filter(project=project).count() == 1
    # On again with 5: the decisions already there start the next version.
    assert decisions_since_training(project) >= 5
    with committing():
        learning_settings_set(
            project=project, user=owner, auto_train=True, train_after=5
        )
    second = LearnedModel.objects.filter(project=project).order_by("-version").first()
    assert second is not None and second.version == 2 and second.trigger == "auto"
    assert second.status == TrainingStatus.DONE, second.error


def test_settings_are_an_owners_validated_and_recorded(
    client, project, owner, reviewer
):
    url = reverse("learning-settings", args=[project.slug])
    client.force_login(reviewer)
    response = client.post(url, {"auto_train": "on", "train_after": "20"})
    assert response.status_code in (403, 404)
    assert learning_settings_of(project).pk is None
    client.force_login(owner)
    page = client.get(reverse("learning-model", args=[project.slug]))
    assert "Off: the model is trained only on demand." in page.content.decode()
    client.post(url, {"auto_train": "on", "train_after": "20"})
    saved = learning_settings_of(project)
    assert saved.auto_train and saved.train_after == 20 and saved.updated_by == owner
    entry = HistoryEntry.objects.filter(
        project=project, object_type="learningsettings"
    ).get()
    assert entry.actor == owner and (entry.after or {})["train_after"] == 20
    page = client.get(reverse("learning-model", args=[project.slug]))
    assert "a run starts when 20 new decisions" in page.content.decode()
    for bad in ("0", "-3", "abc", "1000001", ""):
        response = client.post(
            url, {"auto_train": "on", "train_after": bad}, follow=True
        )
        assert "Not saved: train after" in response.content.decode()
    assert learning_settings_of(project).train_after == 20
    with pytest.raises(ApplicationError):
        learning_settings_set(
            project=project, user=owner, auto_train=True, train_after=1
        )


def test_a_silent_run_counts_as_interrupted_and_a_new_one_may_start(project, reviewer):
    """A run whose worker died would otherwise block every later run: one
    silent for longer than the bound is failed with the reason instead."""
    from datetime import timedelta

    from django.utils import timezone

    from annotations.learning.services import stale_after, training_request
    from projects.errors import ConflictError

    silent = LearnedModel.objects.create(
        project=project,
        version=1,
        status=TrainingStatus.RUNNING,
        heartbeat_at=timezone.now() - stale_after() - timedelta(minutes=1),
    )
    model = training_request(project=project, user=reviewer)
    silent.refresh_from_db()
    assert silent.status == TrainingStatus.FAILED
    assert silent.error.startswith("Interrupted: no sign of life since")
    assert model.version == 2 and model.heartbeat_at is not None
    # A run with a recent sign of life still blocks a second one.
    with pytest.raises(ConflictError):
        training_request(project=project, user=reviewer)
