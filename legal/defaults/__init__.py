"""The default legal framework every project starts with.

The data lives beside this module as YAML (``framework.yaml``), written from
``shared/guide/legal-criteria.md``, so that it can be reviewed without code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from legal.services.frameworks import framework_load
from projects.models import Project

DATA_DIR = Path(__file__).resolve().parent


@cache
def default_framework() -> dict[str, Any]:
    with open(DATA_DIR / "framework.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def framework_load_default(*, project: Project) -> None:
    """Load (or merge by key) the default framework into ``project``."""
    framework_load(project=project, data=default_framework())
