"""Where a model version's artefacts live, and the downloadable archive.

``MEDIA_ROOT/learning/<project id>/v<version>/``::

    model/          the spaCy pipeline (``nlp.to_disk``: config.cfg, weights)
    snapshot.jsonl  the training data, exactly (its SHA-256 is stored)
    meta.json       version, labels, thresholds, hashes, settings, figures

The artefact hash covers ``model/``; the snapshot hash covers the data. A
version is never overwritten: a new training run makes a new version.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings

from annotations.models import LearnedModel


def version_dir(model: LearnedModel) -> Path:
    return (
        Path(settings.MEDIA_ROOT)
        / "learning"
        / str(model.project_id)
        / (f"v{model.version}")
    )


def model_dir(model: LearnedModel) -> Path:
    return version_dir(model) / "model"


def archive_bytes(model: LearnedModel) -> bytes:
    """A zip of the version's directory (weights, config, data snapshot)."""
    root = version_dir(model)
    if not root.is_dir():
        raise FileNotFoundError(f"The files of model v{model.version} are missing.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = f"model-v{model.version}/{path.relative_to(root).as_posix()}"
            archive.write(path, name)
    return buffer.getvalue()
