"""The model page in a real Chromium, with a real Celery worker: an owner
presses "Train now", watches the run's progress (the page polls it), and
then sees the new version with its data size and, per tag, the
cross-validated F1 of the model against the rules alone."""

from __future__ import annotations

import re

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from annotations.models import LearnedModel, TrainingStatus
from corpus.models import AssignmentStatus
from tests.annotations.browser.conftest import team  # noqa: F401  (fixture)
from tests.annotations.test_learning import CLAIMS, FIGURES, analysed, texts
from tests.annotations.test_learning_worker import worker_app  # noqa: F401
from tests.browser_support import login
from tests.factories import AssignmentFactory, make_annotation

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

#: A bound on the wait for the run to finish (it ends as soon as the page
#: says so): training with cross-validation on a loaded 2-core machine.
TRAINING_BOUND_MS = 300_000


def test_owner_trains_now_and_sees_progress_then_the_version(
    page,
    team,  # noqa: F811
    worker_app,  # noqa: F811
):
    project, owner, analyst = team["project"], team["owner"], team["analyst"]
    for text in texts():
        document = analysed(project, text)
        for sentence in CLAIMS + FIGURES:
            if sentence in text:
                key = "official_claim" if sentence in CLAIMS else "casualty_figure"
                make_annotation(document, analyst, sentence, tags=[key])
        AssignmentFactory(
            document=document, annotator=analyst, status=AssignmentStatus.SUBMITTED
        )

    login(page, owner.username)
    page.goto(f"/p/{project.slug}/model/")
    expect(page.get_by_text("No model yet.")).to_be_visible()
    with start_worker(worker_app, pool="solo", perform_ping_check=False):
        page.get_by_role("button", name="Train now").click()
        expect(page.get_by_text("Training of model v1 queued.")).to_be_visible()
        progress = page.locator("#learning-progress")
        # The run shows its progress while the worker trains...
        expect(progress).to_contain_text(re.compile(r"Model v1: (Queued|Running)"))
        expect(page.get_by_role("button", name="Train now")).to_be_disabled()
        # ...and the polled status says when it is done.
        expect(progress).to_contain_text(
            "Last run: model v1, done", timeout=TRAINING_BOUND_MS
        )
    model = LearnedModel.objects.get(project=project)
    assert model.status == TrainingStatus.DONE, model.error

    page.reload()
    expect(page.get_by_role("heading", name="Model v1 (in use)")).to_be_visible()
    expect(page.get_by_text("18 judged sentences in 3 documents")).to_be_visible()
    table = page.get_by_role("table").filter(has_text="Rules alone")
    for tag in model.labels:
        row = table.locator("tbody tr").filter(has_text=tag)
        cells = row.locator("td")
        expect(cells).to_have_count(8)
        metric = model.metrics[tag]
        expect(cells.nth(3)).to_have_text(str(metric["f1_rules"]))
        expect(cells.nth(4)).to_have_text(str(metric["f1_model"]))
    expect(page.get_by_role("link", name="Download v1")).to_be_visible()
    assert page.errors == []
