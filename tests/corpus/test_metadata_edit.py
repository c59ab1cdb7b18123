"""Correcting a document's metadata: the fields analysts may change, the
date at its stated precision, history, and "unknown" where nothing is known."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms import ValidationError as FormError

from audit.models import HistoryEntry
from corpus.edit_forms import parse_date_text
from corpus.metadata import document_metadata_update
from corpus.models import DatePrecision, Document, Source
from projects.models import Project
from projects.services import membership_set
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_parse_date_text_keeps_the_precision_it_was_given():
    assert parse_date_text("") == (None, DatePrecision.DAY)
    year, precision = parse_date_text("2025")
    assert year is not None
    assert (year.year, year.month, year.day, precision) == (2025, 1, 1, "year")
    month, precision = parse_date_text("2025-03")
    assert month is not None
    assert (month.month, month.day, precision) == (3, 1, "month")
    day, precision = parse_date_text("2025-03-04 14:30")
    assert day is not None
    assert (day.day, day.hour, day.minute, precision) == (4, 14, 30, "day")
    for bad in ("4 March", "2025-13", "2025-02-30", "yesterday"):
        with pytest.raises(FormError, match="as it is known"):
            parse_date_text(bad)


def test_update_records_only_changed_fields_and_never_the_text(document, analyst):
    text_before = document.text
    changed = document_metadata_update(
        document=document,
        user=analyst,
        title="Corrected title",
        published_at=datetime(2025, 3, 17, 9, 0, tzinfo=UTC),
        published_precision=DatePrecision.MONTH,
        author=document.author,
    )
    assert sorted(changed) == ["published_at", "published_precision", "title"]
    document.refresh_from_db()
    assert document.text == text_before
    assert document.published_at == datetime(2025, 3, 1, tzinfo=UTC)
    assert document.published_label == "March 2025"
    entry = HistoryEntry.objects.get(object_type="document", object_id=document.pk)
    assert entry.actor == analyst and entry.before is not None
    assert entry.before["title"].startswith("Document ")
    assert entry.after == {
        "title": "Corrected title",
        "published_at": "2025-03-01T00:00:00Z",
        "published_precision": "month",
    }
    assert (
        document_metadata_update(
            document=document, user=analyst, title="Corrected title"
        )
        == []
    )
    assert HistoryEntry.objects.filter(object_type="document").count() == 1
    with pytest.raises(ValidationError, match="cannot be changed"):
        document_metadata_update(document=document, user=analyst, text="new words")


def test_viewers_cannot_edit(document, viewer):
    with pytest.raises(Exception, match="analyst role"):
        document_metadata_update(document=document, user=viewer, title="No")


def test_unknown_date_reads_unknown(document):
    assert document.published_at is None
    assert document.published_label == "unknown"
    document.published_at = datetime(2024, 7, 9, tzinfo=UTC)
    document.published_precision = DatePrecision.YEAR
    assert document.published_label == "2024"
    document.published_precision = DatePrecision.DAY
    assert document.published_label == "9 Jul 2024"


def test_edit_page_saves_and_refuses(client, project, document, analyst, viewer):
    url = f"/p/{project.slug}/d/{document.pk}/edit/"
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    client.force_login(analyst)
    page = client.get(url)
    assert page.status_code == 200
    assert b"never changes" in page.content
    assert b'name="text"' not in page.content
    form = {
        "title": "Statement on the strike of 3 March",
        "published": "2025-03",
        "author": "Ministry spokesperson",
        "kind": "statement",
        "new_source": "Ministry of Defence",
        "new_source_kind": "government",
        "language": "en",
        "url": "https://example.org/statement",
    }
    bad = client.post(url, {**form, "published": "3rd of March", "language": "english"})
    assert bad.status_code == 400
    assert b"as it is known" in bad.content and b"language code" in bad.content
    response = client.post(url, form, follow=True)
    assert response.redirect_chain[-1][0] == f"/p/{project.slug}/d/{document.pk}/"
    document.refresh_from_db()
    assert (document.title, document.kind, document.published_precision) == (
        "Statement on the strike of 3 March",
        "statement",
        "month",
    )
    assert document.source == Source.objects.get(
        project=project, name="Ministry of Defence"
    )
    assert b"March 2025" in response.content
    assert (
        HistoryEntry.objects.filter(
            object_type="document", object_id=document.pk
        ).count()
        == 2
    )


def test_edit_page_is_hidden_from_outsiders(client, project, document, db):
    other = cast(Project, ProjectFactory(slug="other"))
    outsider = cast(User, UserFactory(username="outsider"))
    membership_set(project=other, user=outsider, role="owner")
    client.force_login(outsider)
    assert client.get(f"/p/{project.slug}/d/{document.pk}/edit/").status_code == 404
    assert client.get(f"/p/other/d/{document.pk}/edit/").status_code == 404
    assert Document.objects.get(pk=document.pk).title == document.title
