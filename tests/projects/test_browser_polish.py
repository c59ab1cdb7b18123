"""In a real browser: an unknown page in the app's look with the way home,
the API docs one click away, and an ingest form that cannot be sent twice."""

from __future__ import annotations

import pytest

from corpus.models import Document
from tests.browser_support import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT_SUBMISSIONS_JS = """() => {
  window.sentForms = 0;
  document.addEventListener('submit', (event) => {
    if (!event.defaultPrevented) window.sentForms += 1;
    event.preventDefault();
  });
}"""
RESUBMIT_JS = "() => document.getElementById('id_paste-text').form.requestSubmit()"


def test_not_found_page_in_the_apps_look_and_api_docs_link(page, project, analyst):
    login(page, "analyst")
    response = page.goto("/p/no-such-project/")
    assert response is not None and response.status == 404
    page.get_by_role("heading", name="Not found").wait_for()
    screenshot(page, "error-pages")
    page.get_by_role("link", name="Your projects").click()
    page.get_by_role("heading", name="Projects").wait_for()

    page.get_by_role("link", name="API documentation").click()
    page.wait_for_selector(".swagger-ui .info", timeout=30_000)


def test_an_ingest_form_is_sent_once(page, project, analyst):
    login(page, "analyst")
    page.goto(f"/p/{project.slug}/ingest/")
    page.locator("#id_paste-text").fill(
        "The ministry said on Monday that two vessels were stopped."
    )
    # Count the submissions that would leave the page, and keep the page
    # here so a second attempt can be made (a listener added after the
    # page's own scripts sees what they decided).
    page.evaluate(COUNT_SUBMISSIONS_JS)
    button = page.get_by_role("button", name="Add statement")
    button.click()
    sending = page.get_by_role("button", name="Sending…")
    assert sending.is_disabled()
    page.evaluate(RESUBMIT_JS)
    page.locator("#id_paste-text").press("Control+Enter")
    page.evaluate(RESUBMIT_JS)
    assert page.evaluate("() => window.sentForms") == 1
    assert Document.objects.filter(project=project).count() == 0
    assert page.errors == []
