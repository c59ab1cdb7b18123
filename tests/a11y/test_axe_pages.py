"""axe-core on every page, in a real Chromium: no WCAG 2.x A or AA
violation, the annotator (with an annotation open) included.

The pages show the demo project (``load_demo`` and ``load_demo_incidents``:
documents with analysis and suggestions, claims with figures, assessments,
incidents), so each has its real content to check, not an empty state.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Annotation
from legal.models import Claim, Incident
from projects.models import Project
from tests.browser_support import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def demo(transactional_db, settings, tmp_path, nlp):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", username="demo", password=PASSWORD)
    call_command("load_demo_incidents")
    project = Project.objects.get(slug="strikes-at-sea-demo")
    return project


def pages(project: Project) -> list[tuple[str, str]]:
    """(name, path) of every page an analyst opens, with real ids."""
    slug = project.slug
    annotation = Annotation.objects.filter(project=project).order_by("pk").first()
    assert annotation is not None, "the demo has annotations"
    document = annotation.document_id
    claim = Claim.objects.filter(project=project).order_by("pk").first()
    incident = Incident.objects.filter(project=project).order_by("pk").first()
    assert claim is not None and incident is not None
    p = f"/p/{slug}"
    return [
        ("projects", "/"),
        ("new project", "/projects/new/"),
        ("project home", f"{p}/"),
        ("documents", f"{p}/documents/"),
        ("document metadata", f"{p}/d/{document}/edit/"),
        ("annotator", f"{p}/d/{document}/"),
        ("ingest", f"{p}/ingest/"),
        ("my queue", f"{p}/queue/"),
        ("triage", f"{p}/suggestions/"),
        ("tags", f"{p}/tags/"),
        ("claims", f"{p}/claims/"),
        ("claim", f"{p}/claims/{claim.pk}/"),
        ("framework", f"{p}/framework/"),
        ("matrix", f"{p}/matrix/"),
        ("timeline", f"{p}/timeline/"),
        ("brief", f"{p}/reports/"),
        ("brief in HTML", f"{p}/reports/brief.html"),
        ("incidents register", f"{p}/incidents/"),
        ("incident", f"{p}/incidents/{incident.pk}/"),
        ("campaign tallies", f"{p}/incidents/tallies/"),
        ("incident proposals", f"{p}/incidents/proposals/"),
        ("exchange", f"{p}/export/"),
        ("members", f"{p}/members/"),
        ("invite", f"{p}/members/invite/"),
        ("assignments", f"{p}/assignments/"),
        ("agreement", f"{p}/agreement/"),
        ("adjudication", f"{p}/adjudicate/"),
        ("model", f"{p}/model/"),
        ("history", f"{p}/history/"),
        ("profile", "/account/"),
    ]


def test_every_page_has_no_axe_violation(page, demo, axe, artifacts_dir):
    found: dict[str, list[dict]] = {}
    # Signed out: the login and password-reset pages.
    for name, path in (
        ("login", "/login/"),
        ("password reset", "/account/password/reset/"),
    ):
        page.goto(path)
        found[name] = axe(page)
    login(page, "demo")
    for name, path in pages(demo):
        response = page.goto(path)
        assert response is not None and response.status == 200, (name, path)
        if name == "annotator":
            expect(page.locator("#annotator[data-ready=true]")).to_be_attached()
            found[name] = axe(page)
            # With an annotation open (its panel: tags, claims, comments)
            # and the keyboard caret in the text.
            page.locator("#doc-text span.hl").first.click()
            expect(page.locator("#detail")).to_be_visible()
            expect(page.locator("#detail .claim-list")).not_to_have_attribute(
                "aria-busy", "true"
            )
            found["annotator, annotation open"] = axe(page)
            page.screenshot(
                path=str(artifacts_dir / "a11y-annotator.png"), full_page=True
            )
            continue
        found[name] = axe(page)
        page.screenshot(path=str(artifacts_dir / f"a11y-{name.replace(' ', '-')}.png"))
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(
        f"{name}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}"
        for name, violations in problems.items()
        for v in violations
    )
