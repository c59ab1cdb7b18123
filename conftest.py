"""Suite-wide pytest hooks: PostgreSQL-only tests and the no-skip rule.

Tests marked ``postgres`` are skipped on SQLite. With
``GLOSSA_REQUIRE_POSTGRES=1`` (set by ``.ci/run``) a skipped test that is
marked ``postgres`` or ``browser`` fails instead, so CI cannot pass while
silently leaving out the tests that matter most.
"""

from __future__ import annotations

import os

import pytest

STRICT_MARKERS = ("postgres", "browser")

# Fixtures shared by several apps' tests (pytest loads plugins only from the
# root conftest).
pytest_plugins = ["tests.fixtures_team", "tests.fixtures_nlp"]


def _strict() -> bool:
    return os.environ.get("GLOSSA_REQUIRE_POSTGRES", "").lower() in {"1", "true", "yes"}


def pytest_report_header(config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    name = settings.DATABASES["default"].get("NAME")
    lines = [f"glossa: database {engine} ({name})"]
    if _strict():
        lines.append("glossa: strict mode, skipped postgres/browser tests fail")
    return lines


def pytest_collection_modifyitems(config, items) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (_strict() and report.skipped):
        return
    marked = [m for m in STRICT_MARKERS if item.get_closest_marker(m)]
    if marked:
        report.outcome = "failed"
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
        report.longrepr = (
            f"{item.nodeid} is marked {', '.join(marked)} and must not be skipped "
            f"in CI (GLOSSA_REQUIRE_POSTGRES=1); it was skipped: {reason}"
        )
