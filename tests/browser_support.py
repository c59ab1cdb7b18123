"""Helpers for the real-browser tests (fixtures are in ``tests/conftest.py``).

Plain functions, imported by browser tests in any folder.
"""

from __future__ import annotations

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


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
