"""A document with no publication date reads "unknown" where claims cite it
(claim page, brief), never the capture date passed off as publication."""

from __future__ import annotations

from legal.reports import brief_html
from legal.services.claims import claim_create


def test_claim_page_and_brief_say_unknown(client, project, analyst, docs, mentions):
    claim = claim_create(
        project=project,
        user=analyst,
        proposition="Two survivors were rescued",
        annotation=mentions["rescue"],
    )
    dated = claim_create(
        project=project,
        user=analyst,
        proposition="Fourteen people were killed",
        annotation=mentions["minister"],
    )
    client.force_login(analyst)
    page = client.get(f"/p/{project.slug}/claims/{claim.pk}/").content.decode()
    assert "unknown" in page and "captured 5 Sep 2025" in page
    assert "5 Sep 2025" not in page.replace("captured 5 Sep 2025", "")
    html = brief_html(project=project, user=analyst)
    assert "publication date unknown (captured 5 Sep 2025)" in html
    assert "2 Sep 2025" in html
    assert dated.proposition in html
