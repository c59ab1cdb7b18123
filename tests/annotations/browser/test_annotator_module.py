"""The annotator module's offset conversion and token snapping, run in Chromium,
and the layout at 200% zoom."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.services.annotations import annotation_create
from tests.annotations.browser.conftest import add_statement
from tests.browser_support import login

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

MODULE_CHECKS = """
async () => {
  const m = await import('/static/js/annotator.js');
  const out = {};
  // Python: len("a🚤b") == 3; JS: "a🚤b".length == 4.
  const text = "a🚤b n\\u0308 🇨🇴x";
  const o = new m.Offsets(text);
  out.points = o.points;
  out.units = o.units;
  out.roundTrip = [...Array(o.points + 1).keys()].every(
    (cp) => o.toCodePoints(o.toUnits(cp)) === cp);
  out.unitsOfB = o.toUnits(2);
  out.pointOfX = o.toCodePoints(text.indexOf("x"));
  const plain = new m.Offsets("plain text");
  out.identity = plain.identity && plain.toUnits(5) === 5;
  const tokens = [0, 5, 6, 10, 11, 14];  // "alpha beta gam"
  out.snapInside = m.snapToTokens(tokens, 2, 8);
  out.snapSpace = m.snapToTokens(tokens, 5, 6);
  out.snapExact = m.snapToTokens(tokens, 6, 10);
  out.snapEnd = m.snapToTokens(tokens, 12, 14);
  return out;
}
"""


def test_offsets_and_snapping(page, team):
    page.goto("/login/")
    result = page.evaluate(MODULE_CHECKS)
    text = "a🚤b n\u0308 🇨🇴x"
    assert result["points"] == len(text)
    assert result["units"] == len(text.encode("utf-16-le")) // 2
    assert result["roundTrip"] is True
    assert result["unitsOfB"] == 3
    assert result["pointOfX"] == text.index("x")
    assert result["identity"] is True
    assert result["snapInside"] == [0, 10]
    assert result["snapSpace"] is None
    assert result["snapExact"] == [6, 10]
    assert result["snapEnd"] == [11, 14]


def test_usable_at_200_percent_zoom(page, team, artifacts_dir):
    project, analyst = team["project"], team["analyst"]
    document = add_statement(
        project,
        analyst,
        "The coast guard said two survivors were rescued. " * 30,
        "Coast guard statement",
    )
    annotation_create(
        document=document, author=analyst, start=4, end=15, tag_keys=["official_claim"]
    )
    # 200% zoom of a 1280x800 screen: the page gets 640x400 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 400})
    login(page, "amara.analyst")
    page.goto(f"/p/{project.slug}/d/{document.pk}/")
    expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
    overflow = page.evaluate(
        "() => document.scrollingElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0
    expect(page.get_by_role("button", name="? Shortcuts")).to_be_visible()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # skip link first: focus is visible
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle"
    )
    assert outline != "none"
    for path in (f"/p/{project.slug}/", f"/p/{project.slug}/documents/"):
        page.goto(path)
        assert page.evaluate(
            "() => document.scrollingElement.scrollWidth <= window.innerWidth"
        ), path
