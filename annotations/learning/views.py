"""The model page: version, data size, per-tag figures, train now, download.

Viewers see the versions and whether a run is going on; the figures and
the data size are hidden from analysts and viewers of a blind project (they
summarise everyone's decisions). Training and downloads (the snapshot holds
every analyst's decisions) need the reviewer role.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from annotations.learning.auto import (
    TRAIN_AFTER_MAX,
    TRAIN_AFTER_MIN,
    decisions_since_training,
    learning_settings_of,
    learning_settings_set,
)
from annotations.learning.selectors import learning_page
from annotations.learning.services import training_request
from annotations.learning.storage import archive_bytes
from annotations.models import LearnedModel, TrainingStatus
from projects.errors import ApplicationError, ConflictError
from projects.htmx import page_or_partial
from projects.models import Role
from projects.permissions import project_view


def figures_visible(request) -> bool:
    return not request.project.blind_mode or request.role_rank >= Role.rank(
        Role.REVIEWER
    )


@project_view(Role.VIEWER)
def model_page_view(request, slug: str):
    """The project's model: versions, figures, progress of a run."""
    context = {
        "project": request.project,
        **learning_page(request.project),
        "figures_visible": figures_visible(request),
        "can_train": request.role_rank >= Role.rank(Role.REVIEWER),
        "is_owner": request.role_rank >= Role.rank(Role.OWNER),
        "settings": learning_settings_of(request.project),
        "since_training": decisions_since_training(request.project),
        "train_after_min": TRAIN_AFTER_MIN,
        "train_after_max": TRAIN_AFTER_MAX,
    }
    return page_or_partial(
        request,
        page="annotations/learning/model.html",
        partial="annotations/learning/_progress.html",
        context=context,
    )


@require_POST
@project_view(Role.REVIEWER)
def model_train_view(request, slug: str):
    """Train now: queue the next version and go back to the page."""
    try:
        model = training_request(
            project=request.project, user=request.user, trigger="manual"
        )
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Training of model v{model.version} queued.")
    return redirect("learning-model", slug=slug)


class LearningSettingsForm(forms.Form):
    auto_train = forms.BooleanField(required=False)
    train_after = forms.IntegerField(
        min_value=TRAIN_AFTER_MIN, max_value=TRAIN_AFTER_MAX
    )


@require_POST
@project_view(Role.OWNER)
def model_settings_view(request, slug: str):
    """An owner turns training after N new decisions on or off."""
    form = LearningSettingsForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{field.replace('_', ' ')}: {' '.join(str(m) for m in e)}"
            for field, e in form.errors.items()
        )
        messages.error(request, f"Not saved: {errors}")
        return redirect("learning-model", slug=slug)
    try:
        saved = learning_settings_set(
            project=request.project,
            user=request.user,
            auto_train=form.cleaned_data["auto_train"],
            train_after=form.cleaned_data["train_after"],
        )
    except ApplicationError as exc:
        messages.error(request, f"Not saved: {exc.message}")
    else:
        messages.success(
            request,
            f"Training after {saved.train_after} new decisions is on."
            if saved.auto_train
            else "Training after new decisions is off.",
        )
    return redirect("learning-model", slug=slug)


@project_view(Role.REVIEWER)
def model_download_view(request, slug: str, version: int):
    """A finished version as a zip: weights, config, data snapshot, meta."""
    model = get_object_or_404(LearnedModel, project=request.project, version=version)
    if model.status != TrainingStatus.DONE:
        raise Http404("This version has no files (it did not finish).")
    try:
        data = archive_bytes(model)
    except FileNotFoundError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-model-v{model.version}.zip"'
    )
    response["X-Artefact-SHA256"] = model.artefact_sha256
    return response
