"""Exact duplicates are reported, near-duplicates linked, recaptures versioned."""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User

from corpus.ingest import ingest_file, ingest_text
from corpus.ingest.dedup import signature, similarity
from corpus.models import Document, DocumentFingerprint
from tests.corpus.ingest.conftest import ARTICLE, ARTICLE_REWRITE, OTHER_ARTICLE
from tests.factories import UserFactory

pytestmark = pytest.mark.postgres


def test_exact_duplicate_is_reported_not_stored(project, analyst, media_root):
    first = ingest_file(
        project=project, name="a.txt", data=ARTICLE.encode(), user=analyst
    )
    again = ingest_file(
        project=project, name="copy-of-a.txt", data=ARTICLE.encode(), user=analyst
    )
    assert again.documents == []
    assert again.errors == []
    [(name, existing)] = again.duplicates
    assert name == "copy-of-a.txt"
    assert existing == first.documents[0]
    assert "Already in the project as document" in again.outcomes[0].message
    assert again.job is None  # nothing new to analyse
    assert Document.objects.count() == 1


def test_same_bytes_in_another_project_is_not_a_duplicate(project, analyst):
    from projects.services import project_create

    other = project_create(
        name="Other case", created_by=cast(User, UserFactory(username="o2"))
    )
    ingest_file(project=project, name="a.txt", data=ARTICLE.encode(), user=analyst)
    result = ingest_file(project=other, name="a.txt", data=ARTICLE.encode(), user=None)
    assert len(result.documents) == 1


def test_near_duplicate_is_flagged_and_linked(project, analyst):
    original = ingest_file(
        project=project, name="wire.txt", data=ARTICLE.encode(), user=analyst
    ).documents[0]
    unrelated = ingest_file(
        project=project, name="festival.txt", data=OTHER_ARTICLE.encode(), user=analyst
    ).documents[0]
    copy = ingest_file(
        project=project, name="outlet.txt", data=ARTICLE_REWRITE.encode(), user=analyst
    )
    document = copy.documents[0]
    assert document.near_duplicate_of == original
    assert unrelated.near_duplicate_of is None
    assert 0.5 <= document.metadata["near_duplicate_score"] < 1
    assert f"Near-duplicate of document {original.pk}" in copy.outcomes[0].message
    assert list(original.near_duplicates.all()) == [document]
    assert DocumentFingerprint.objects.filter(document=document).exists()


def _signature(text: str) -> list[int]:
    result = signature(text)
    assert result is not None
    return result


def test_minhash_estimates_similarity():
    assert similarity(_signature(ARTICLE), _signature(ARTICLE)) == 1.0
    assert similarity(_signature(ARTICLE), _signature(ARTICLE_REWRITE)) > 0.5
    assert similarity(_signature(ARTICLE), _signature(OTHER_ARTICLE)) < 0.2
    assert signature("Too short to shingle.") is None


def test_same_url_with_new_content_is_a_new_version(project, analyst):
    url = "https://courier.example/world/strikes"
    first = ingest_text(
        project=project, text=ARTICLE, user=analyst, title="v1", kind="article", url=url
    ).documents[0]
    updated = ARTICLE + "\n\nUpdate: the ministry later said one boat carried fuel."
    second = ingest_text(
        project=project, text=updated, user=analyst, title="v2", kind="article", url=url
    )
    document = second.documents[0]
    assert document.previous_version == first
    assert document.near_duplicate_of is None  # a version, not a copy
    assert "New version of document" in second.outcomes[0].message
    first.refresh_from_db()
    assert first.text == ARTICLE.strip()  # the old version is untouched
    assert list(first.next_versions.all()) == [document]
