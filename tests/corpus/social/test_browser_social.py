"""In a real Chromium: register a ministry's account, upload its X archive
through the ingest page, and see the post's suggestions claimed by it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from corpus.models import SocialAccount, SocialPost
from tests.browser_support import login
from tests.corpus.social.conftest import zip_of

# The upload queues the analysis, which runs in process (no broker) once the
# live server commits, so this test loads spaCy too.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.spacy,
    pytest.mark.django_db(transaction=True),
]


def test_upload_x_archive_and_see_suggestions_of_the_registered_account(
    page, project, analyst
):
    project.acting_states = ["Norland"]
    project.save(update_fields=["acting_states"])
    login(page, "analyst")
    page.goto(f"/p/{project.slug}/social/accounts/")
    page.get_by_label("Platform").select_option("x")
    page.get_by_label("Handle").fill("@MinDefNorland")
    page.locator("#id_claimant").fill("Norland Ministry of Defence")
    page.locator("#id_claimant_type").select_option("acting_government")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#social-accounts")).to_contain_text(
        "Norland Ministry of Defence"
    )
    assert SocialAccount.objects.get().handle == "mindefnorland"

    page.goto(f"/p/{project.slug}/ingest/")
    page.set_input_files(
        "#id_upload-files",
        files=[
            {
                "name": "twitter-archive.zip",
                "mimeType": "application/zip",
                "buffer": zip_of("x"),
            }
        ],
    )
    page.click("text=Upload and ingest")
    page.wait_for_url("**/jobs/**")
    expect(page.locator("main")).to_contain_text("5 stored")

    post = SocialPost.objects.get(post_id="1800000000000000001")
    page.goto(f"/p/{project.slug}/d/{post.document_id}/")
    panel = page.locator("#social-post")
    expect(panel).to_contain_text("MinDefNorland")
    expect(panel).to_contain_text("registered as Norland Ministry of Defence")
    expect(page.locator("#voice-claimant")).to_have_text("Norland Ministry of Defence")
    expect(page.locator("#suggestions li").first).to_be_visible()
    assert page.locator("#suggestions li").count() >= 2
    assert not page.errors

    # A reply in the thread links back to the post it continues.
    reply = SocialPost.objects.get(post_id="1800000000000000002")
    page.goto(f"/p/{project.slug}/d/{reply.document_id}/")
    page.locator("#social-post").get_by_role(
        "link", name="post 1800000000000000001"
    ).first.click()
    page.wait_for_url(f"**/d/{post.document_id}/")
