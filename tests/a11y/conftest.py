"""axe-core, vendored from the npm registry for the tests only
(``tests/a11y/package.json``, installed by ``make install-dev``)."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what the app promises.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
  }));
}"""


AXE_URL = "/__tests__/axe.min.js"


def axe_violations(page) -> list[dict]:
    """Inject axe-core into the page as it is now and return its violations.

    The script is served from the page's own origin by a Playwright route
    (the test server never sees the request), so the app's CSP, which allows
    scripts from 'self' only, stays in force while axe runs.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.context.route(
            f"**{AXE_URL}",
            lambda route: route.fulfill(
                path=str(AXE_JS), content_type="text/javascript"
            ),
        )
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(RUN_AXE, AXE_TAGS)


@pytest.fixture
def axe():
    if not AXE_JS.exists():
        pytest.fail(
            "axe-core is not installed: run make install-dev "
            "(npm ci --prefix tests/a11y)"
        )
    return axe_violations
