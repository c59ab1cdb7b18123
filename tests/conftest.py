"""Fixtures shared by the suite, including the one real browser.

Browser tests (marked ``browser``, in any folder) share one Chromium for the
session: Playwright's sync API allows one instance per thread. Helpers to
log in and select text are in ``tests/browser_support.py``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, cast

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Role
from projects.services import membership_set, project_create
from tests.browser_support import artifacts_path
from tests.factories import DocumentFactory, UserFactory


@pytest.fixture
def media_root(settings, tmp_path):
    """Store uploaded originals under a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def project(owner):
    """A project created the way users create one: with the default taxonomy."""
    return project_create(name="Strikes at sea", slug="strikes", created_by=owner)


@pytest.fixture
def analyst(project):
    user = cast(User, UserFactory(username="analyst"))
    membership_set(project=project, user=user, role=Role.ANALYST)
    return user


@pytest.fixture
def viewer(project):
    user = cast(User, UserFactory(username="viewer"))
    membership_set(project=project, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def reviewer(project):
    user = cast(User, UserFactory(username="reviewer"))
    membership_set(project=project, user=user, role=Role.REVIEWER)
    return user


@pytest.fixture
def document(project):
    return DocumentFactory(project=project)


# --- Query counts -----------------------------------------------------------------


class QueryCounts(NamedTuple):
    few: int
    many: int
    response: Any


@pytest.fixture
def assert_queries_flat(client, django_assert_max_num_queries):
    """Check that a page's query count does not grow with its rows.

    ``check(user, url, grow)`` calls ``grow(3)``, loads the page once to warm
    per-process caches, counts the queries of a second load, calls
    ``grow(27)`` (30 rows) and asserts the page then takes no more queries.
    ``grow(n)`` adds ``n`` more rows. Returns both counts and the last response.
    """

    def get(url: str):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response

    def check(user, url: str, grow: Callable[[int], Any]) -> QueryCounts:
        client.force_login(user)
        grow(3)
        get(url)
        with CaptureQueriesContext(connection) as few:
            get(url)
        grow(27)
        with django_assert_max_num_queries(len(few)) as many:
            response = get(url)
        print(f"queries of {url}: {len(few)} at 3 rows, {len(many)} at 30")
        return QueryCounts(len(few), len(many), response)

    return check


# --- Real browser ---------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def pytest_collection_modifyitems(config, items) -> None:
    """Run browser tests last, so no other test sees DJANGO_ALLOW_ASYNC_UNSAFE
    (``check --deploy`` subprocess tests refuse it)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium (never ``playwright install``), once per session."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium; "
            ".ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, so Django
    # refuses ORM calls as if they came from async code. The tests' ORM calls
    # are synchronous: allow them while the browser runs (browser tests run
    # last, see above).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def context(browser, live_server, nlp):
    """A fresh browser context (own cookies) on the live server.

    The spaCy pipeline (``nlp``) is loaded first: the live server shares this
    process, and pages that ingest or analyse would otherwise spend the
    pipeline's one-off loading inside a wait on what the page shows.
    """
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1360, "height": 900},
        accept_downloads=True,
    )
    # Waits end as soon as the page shows what they wait for; the bound only
    # decides how long a broken page takes to fail. Some steps (an upload that
    # ingests and analyses in process) do real work on the server, which on a
    # loaded CI machine can take well over ten seconds.
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page whose uncaught script errors are collected in ``page.errors``."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


@pytest.fixture
def artifacts_dir() -> Path:
    """Where screenshots go (not committed)."""
    return artifacts_path()
