"""Helpers for the real-browser tests (fixtures are in ``tests/conftest.py``).

Plain functions, imported by browser tests in any folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's

#: The prefix of the screenshots of the workspace items (issue 14).
SCREENSHOT_PREFIX = "issue14"


def artifacts_path() -> Path:
    """Where screenshots go (not committed): ``GLOSSA_ARTIFACTS_DIR``, else
    ``var/artifacts``; made if missing."""
    path = Path(os.environ.get("GLOSSA_ARTIFACTS_DIR", "var/artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def screenshot(page, item: str, *, full_page: bool = True) -> Path:
    """Save what the page shows as ``<artifacts>/issue14-<item>.png``.

    ``item`` names what the picture shows (``job-progress``,
    ``undo-redo``): one name per item, so a later run replaces it.
    """
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", item):
        raise ValueError(f"Name the item in lower-case words and hyphens: {item!r}")
    path = artifacts_path() / f"{SCREENSHOT_PREFIX}-{item}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a user would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
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
    """Select ``phrase`` in the annotator's document text as a drag would."""
    page.evaluate(SELECT_JS, phrase)
