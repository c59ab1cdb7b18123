"""Dashboard, document list (search, filters, pagination) and the annotator page."""

from __future__ import annotations

import datetime as dt
import json
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.services.annotations import annotation_create
from corpus.models import Assignment, Document, Source
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_progress_and_tag_counts(client, project, analyst, owner):
    document = cast(
        Document, DocumentFactory(project=project, title="Ministry statement")
    )
    DocumentFactory(project=project, title="Wire copy")
    annotation_create(
        document=document, author=analyst, start=0, end=6, tag_keys=["official_claim"]
    )
    Assignment.objects.create(document=document, annotator=analyst)
    client.force_login(owner)
    response = client.get(f"/p/{project.slug}/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["documents_total"] == 2
    assert figures["documents_annotated"] == 1
    by_status = {key: n for key, _, n in figures["documents_by_status"]}
    assert by_status["assigned"] == 1 and by_status["unassigned"] == 1
    tags = {t["key"]: t["n"] for t in figures["tag_counts"]}
    assert tags["official_claim"] == 1 and tags["casualty_figure"] == 0
    (row,) = figures["analysts"]
    assert row["username"] == "analyst" and row["annotations"] == 1
    assert row["assigned"] == 1
    html = response.content.decode()
    assert 'href="/p/strikes/documents/"' in html
    assert "Ministry statement" in html


def test_project_pages_hide_project_from_non_members(client, project, document):
    client.force_login(UserFactory(username="outsider"))
    assert client.get(f"/p/{project.slug}/").status_code == 404
    assert client.get(f"/p/{project.slug}/documents/").status_code == 404
    assert client.get(f"/p/{project.slug}/d/{document.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/p/{project.slug}/").status_code == 302


def test_nav_links_every_tab(client, project, owner):
    client.force_login(owner)
    html = client.get(f"/p/{project.slug}/").content.decode()
    assert 'aria-current="page" class="current">Dashboard</a>' in html
    assert '<a href="/p/strikes/documents/">Documents</a>' in html
    assert '<a href="/p/strikes/matrix/">Matrix</a>' in html
    # The triage queue, the learnt model and the API documentation are one
    # click away from every project page.
    assert '<a href="/p/strikes/suggestions/">Suggestions</a>' in html
    assert '<a href="/p/strikes/model/">Model</a>' in html
    assert 'href="/api/docs/"' in html
    triage = client.get(f"/p/{project.slug}/suggestions/").content.decode()
    assert 'aria-current="page" class="current">Suggestions</a>' in triage
    model = client.get(f"/p/{project.slug}/model/").content.decode()
    assert 'aria-current="page" class="current">Model</a>' in model


def test_nav_link_tag_fails_loudly_for_unknown_pages(rf, project):
    """A tab naming a URL that does not exist is a bug, not a hidden tab."""
    from django.template import Context, Template
    from django.urls import NoReverseMatch

    request = rf.get(f"/p/{project.slug}/")
    template = Template(
        "{% load project_nav %}{% project_nav_link 'no-such-page' project %}"
    )
    with pytest.raises(NoReverseMatch):
        template.render(Context({"project": project, "request": request}))


def test_document_list_filters_paginate_and_never_load_bodies(client, project, analyst):
    outlet = Source.objects.create(project=project, name="Harbour Times")
    when = timezone.make_aware(dt.datetime(2025, 9, 3, 12))
    for i in range(55):
        DocumentFactory(
            project=project,
            title=f"Report {i:02d}",
            kind="statement" if i % 5 == 0 else "article",
            source=outlet if i % 2 == 0 else None,
            published_at=when + dt.timedelta(days=i),
        )
    client.force_login(analyst)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/p/{project.slug}/documents/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 55
    assert len(response.context["rows"]) == 50
    document_selects = [
        q["sql"] for q in ctx.captured_queries if 'FROM "corpus_document"' in q["sql"]
    ]
    assert document_selects
    for sql in document_selects:
        assert '"corpus_document"."text"' not in sql
    page2 = client.get(f"/p/{project.slug}/documents/?page=2")
    assert len(page2.context["rows"]) == 5

    response = client.get(f"/p/{project.slug}/documents/?kind=statement")
    assert response.context["page"].paginator.count == 11
    response = client.get(f"/p/{project.slug}/documents/?source={outlet.pk}")
    assert response.context["page"].paginator.count == 28
    response = client.get(
        f"/p/{project.slug}/documents/?date_from=2025-09-05&date_to=2025-09-07"
    )
    assert response.context["page"].paginator.count == 3
    response = client.get(f"/p/{project.slug}/documents/?date_from=not-a-date")
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_document_list_tag_status_and_assignee_filters(client, project, analyst):
    tagged = cast(Document, DocumentFactory(project=project, title="Tagged one"))
    DocumentFactory(project=project, title="Plain one")
    annotation_create(
        document=tagged, author=analyst, start=0, end=6, tag_keys=["hedged_allegation"]
    )
    Assignment.objects.create(document=tagged, annotator=analyst, status="submitted")
    client.force_login(analyst)
    base = f"/p/{project.slug}/documents/"

    def titles(query):
        return [doc.title for doc, _ in client.get(base + query).context["rows"]]

    assert titles("?tag=hedged_allegation") == ["Tagged one"]
    assert titles("?status=submitted") == ["Tagged one"]
    assert titles("?status=unassigned") == ["Plain one"]
    assert titles(f"?assignee={analyst.pk}") == ["Tagged one"]


@pytest.mark.postgres
def test_full_text_search_ranks_title_matches(client, project, analyst):
    DocumentFactory(
        project=project,
        title="Port authority notice",
        text="The harbour was closed after the strike on the vessel.",
    )
    DocumentFactory(
        project=project,
        title="Vessel strike statement",
        text="The ministry confirmed one strike on a vessel near the coast.",
    )
    DocumentFactory(project=project, title="Unrelated", text="Budget figures only.")
    client.force_login(analyst)
    response = client.get(f"/p/{project.slug}/documents/?q=vessel+strikes")
    titles = [doc.title for doc, _ in response.context["rows"]]
    assert titles == ["Vessel strike statement", "Port authority notice"]
    response = client.get(f'/p/{project.slug}/documents/?q="budget figures"')
    assert [doc.title for doc, _ in response.context["rows"]] == ["Unrelated"]


def test_annotator_page_escapes_text_and_embeds_data(client, project, analyst):
    text = 'Statement <script>alert("x")</script> and <img src=x onerror=alert(1)>.'
    document = cast(
        Document, DocumentFactory(project=project, title="<b>Hostile</b>", text=text)
    )
    annotation_create(
        document=document, author=analyst, start=0, end=9, tag_keys=["official_claim"]
    )
    client.force_login(analyst)
    response = client.get(f"/p/{project.slug}/d/{document.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    assert "&lt;b&gt;Hostile&lt;/b&gt;" in html
    start = html.index('id="annotator-data"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    data = json.loads(payload)
    assert data["text"] == text
    assert data["canEdit"] is True
    assert [text[a["start"] : a["end"]] for a in data["annotations"]] == ["Statement"]
    assert data["tokens"][:2] == [0, 9]
    assert document.sha256 in html


def test_annotator_page_is_read_only_for_viewers(client, project, document, viewer):
    client.force_login(viewer)
    response = client.get(f"/p/{project.slug}/d/{document.pk}/")
    html = response.content.decode()
    assert response.context["can_edit"] is False
    assert 'class="tag-button"' not in html
    assert "Read only" in html


def test_annotator_refuses_a_foreign_slug(client, project, document, owner):
    from projects.services import project_create

    project_create(name="Other", slug="other", created_by=owner)
    client.force_login(owner)
    assert client.get(f"/p/other/d/{document.pk}/").status_code == 404


@pytest.mark.postgres
def test_database_built_payload_matches_python_payload(project, analyst, owner):
    from annotations.models import Annotation
    from annotations.selectors import annotations_payload, annotations_payload_json
    from annotations.services.comments import comment_create

    document = cast(Document, DocumentFactory(project=project))
    first = annotation_create(
        document=document,
        author=analyst,
        start=0,
        end=6,
        tag_keys=["official_claim", "casualty_figure"],
        note='Quote "this" <b>',
    )
    annotation_create(
        document=document, author=owner, start=3, end=9, tag_keys=["hedged_allegation"]
    )
    comment_create(annotation=first, author=owner, body="Check this")
    queryset = Annotation.objects.filter(document=document)
    python = annotations_payload(queryset)
    for row in python:
        del row["quote"], row["document"]
    assert json.loads(annotations_payload_json(queryset)) == python
    assert python[0]["tag_keys"] == ["official_claim", "casualty_figure"]
    assert python[0]["comment_count"] == 1
    # Claims come from the legal app's API, not from this payload.
    assert "claims" not in python[0]


def test_search_finds_words_on_any_database(client, project, analyst):
    """Full-text on PostgreSQL, icontains on SQLite: a plain word works on both."""
    DocumentFactory(project=project, title="Notice", text="The harbour was closed.")
    DocumentFactory(project=project, title="Other", text="Budget figures only.")
    client.force_login(analyst)
    response = client.get(f"/p/{project.slug}/documents/?q=harbour")
    assert [doc.title for doc, _ in response.context["rows"]] == ["Notice"]
    response = client.get(f"/p/{project.slug}/documents/?q=nowhere-to-be-found")
    assert response.context["rows"] == []
    assert "No documents match" in response.content.decode()


def test_nav_keeps_the_section_tab_current_on_its_sub_pages(
    client, project, owner, document
):
    client.force_login(owner)
    team = '<a href="/p/strikes/members/" aria-current="page" class="current">Team</a>'
    assert team in client.get(f"/p/{project.slug}/assignments/").content.decode()
    docs = (
        '<a href="/p/strikes/documents/" aria-current="page" class="current">'
        "Documents</a>"
    )
    html = client.get(f"/p/{project.slug}/d/{document.pk}/").content.decode()
    assert docs in html
    assert team not in html
