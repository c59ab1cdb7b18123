"""Real-browser fixtures: Debian's chromium driven by Playwright for Python.

Never ``playwright install``: the browser is the system ``chromium``. The
browser is started once per session; each test gets a fresh context (own
cookies) and page. Screenshots go to ``$GLOSSA_ARTIFACTS_DIR`` (default
``var/artifacts``), which is not committed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from corpus.models import Role
from corpus.services import document_create, membership_set, project_create
from tests.factories import UserFactory

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, so Django
    # refuses ORM calls as if they came from async code. The tests' ORM calls
    # are synchronous: allow them while the browser runs (browser tests run
    # last, see below; ``check --deploy`` refuses the variable).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop(ASYNC_UNSAFE, None)
    else:
        os.environ[ASYNC_UNSAFE] = previous


def pytest_collection_modifyitems(config, items) -> None:
    """Run browser tests last, so no other test sees the variable above."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1360, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(os.environ.get("GLOSSA_ARTIFACTS_DIR", "var/artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def team(transactional_db, settings, tmp_path):
    """A project with an owner, an analyst and a viewer (real passwords)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    owner = UserFactory(username="olena.owner")
    project = project_create(
        name="Maritime strikes inquiry",
        slug="maritime",
        created_by=owner,
        description="Statements and reports on lethal strikes against small boats.",
    )
    analyst = UserFactory(username="amara.analyst")
    viewer = UserFactory(username="victor.viewer")
    membership_set(project=project, user=analyst, role=Role.ANALYST)
    membership_set(project=project, user=viewer, role=Role.VIEWER)
    return {"project": project, "owner": owner, "analyst": analyst, "viewer": viewer}


def add_statement(project, user, text: str, title: str, **fields):
    """Stand-in for the ingest branch's paste form (``ingest_text``): the
    single write path for documents, with the pasted text as original bytes."""
    return document_create(
        project=project,
        original=text.encode("utf-8"),
        text=text,
        original_name="pasted.txt",
        captured_by=user,
        title=title,
        kind="statement",
        **fields,
    )


def login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


SELECT_JS = """
(phrase) => {
  const root = document.getElementById('doc-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let full = '';
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, full.length]);
    full += walker.currentNode.data;
  }
  const at = full.indexOf(phrase);
  if (at < 0) throw new Error('phrase not on the page: ' + phrase);
  const locate = (index) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i][1] <= index) return [nodes[i][0], index - nodes[i][1]];
    }
  };
  const [sn, so] = locate(at);
  const [en, eo] = locate(at + phrase.length - 1);
  const range = document.createRange();
  range.setStart(sn, so);
  range.setEnd(en, eo + 1);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}
"""


def select_text(page, phrase: str) -> None:
    """Select ``phrase`` in the document text as a user's drag would."""
    page.evaluate(SELECT_JS, phrase)
