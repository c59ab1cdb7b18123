"""Apps import only downward (docs/architecture.md).

Each app may import the apps listed before it in ``settings.GLOSSA_APPS``
and never one after it (``review`` and ``legal`` sit side by side: neither imports the
other). Function-level imports count too: a lazy import is still an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LAYERS = tuple(settings.GLOSSA_APPS)


def allowed(app: str) -> set[str]:
    below = set(LAYERS[: LAYERS.index(app) + 1])
    return below - {"legal"} if app == "review" else below


def imported_apps(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in LAYERS]
    return found


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_the_apps_below_it(app):
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for line, name in imported_apps(path)
        if name.split(".")[0] not in allowed(app)
    ]
    assert upward == []


def test_the_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from legal.models import Claim\n")
    assert imported_apps(module) == [(2, "legal.models")]
