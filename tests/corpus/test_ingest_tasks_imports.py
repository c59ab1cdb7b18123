"""``corpus.tasks`` imports ``corpus.ingest``, never the other way round.

Ingestion queues its analysis through ``corpus.jobs``, by task name; an
import of ``corpus.tasks`` anywhere under ``corpus/ingest/`` (even inside a
function) would close the circle again.
"""

from __future__ import annotations

import ast
from pathlib import Path

import corpus
from corpus import jobs, tasks

CORPUS = Path(corpus.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any level of nesting."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_ingestion_never_imports_the_tasks():
    files = [*(CORPUS / "ingest").glob("*.py"), CORPUS / "jobs.py"]
    offenders = {
        path.name
        for path in files
        if any(m == "corpus.tasks" for m in imported_modules(path))
    }
    assert len(files) > 10
    assert offenders == set()


def test_the_tasks_import_ingestion():
    assert "corpus.ingest" in imported_modules(CORPUS / "tasks.py")


def test_the_analysis_task_is_registered_under_the_name_ingestion_queues():
    from celery import current_app

    # shared_task gives a proxy: compare what it stands for.
    assert current_app.tasks[jobs.ANALYSE_TASK] == tasks.analyse_documents_task
