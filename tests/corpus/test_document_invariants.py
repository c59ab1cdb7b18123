"""Evidence integrity of documents: text and hashes never change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from corpus.models import Document, normalize_text, sha256_hex
from corpus.services import DuplicateDocument, document_create


def test_saved_document_text_cannot_change(document):
    document.text = document.text + " An edit."
    with pytest.raises(ValidationError, match="text of a saved document cannot change"):
        document.save()
    document.refresh_from_db()
    assert not document.text.endswith("An edit.")


def test_saved_document_hash_cannot_change(document):
    document.sha256 = "0" * 64
    with pytest.raises(ValidationError, match="sha256"):
        document.save()


def test_other_fields_of_saved_document_may_change(document):
    document.title = "Corrected title"
    document.save()
    document.refresh_from_db()
    assert document.title == "Corrected title"


@pytest.mark.postgres
def test_database_refuses_text_change_that_bypasses_the_model(document):
    with pytest.raises(IntegrityError, match="cannot change"), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(text="Rewritten.")
    document.refresh_from_db()
    assert document.text != "Rewritten."


@pytest.mark.postgres
def test_database_refuses_hash_change_that_bypasses_the_model(document):
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(sha256="f" * 64)


def test_text_sha256_is_computed_and_checked(document):
    assert document.text_sha256 == sha256_hex(document.text)


def test_document_create_keeps_original_bytes_and_hash(project, owner, media_root):
    raw = "Caf\u00e9 report.\r\nLine two.\r\n".encode("latin-1")
    doc = document_create(
        project=project,
        original=raw,
        text=raw.decode("latin-1"),
        captured_by=owner,
        original_name="report.txt",
    )
    assert doc.sha256 == sha256_hex(raw)
    with doc.original.open("rb") as handle:
        assert handle.read() == raw
    assert doc.text == "Caf\u00e9 report.\nLine two."
    assert doc.original_sha256() == doc.sha256
    doc.full_clean()


def test_clean_detects_original_that_does_not_match_its_hash(project, media_root):
    doc = document_create(
        project=project, original=b"Original bytes.", text="Original bytes."
    )
    doc.original.save("tampered", ContentFile(b"Tampered bytes."), save=False)
    with pytest.raises(
        ValidationError, match="SHA-256 of the original file does not match"
    ):
        doc.full_clean()


def test_exact_duplicate_is_reported_not_stored(project, media_root):
    first = document_create(
        project=project, original=b"Same bytes.", text="Same bytes."
    )
    with pytest.raises(DuplicateDocument) as info:
        document_create(project=project, original=b"Same bytes.", text="Same bytes.")
    assert info.value.existing == first
    assert Document.objects.filter(project=project).count() == 1


def test_empty_text_is_refused_and_nothing_written(project, media_root):
    with pytest.raises(ValidationError, match="no text"):
        document_create(project=project, original=b"  \n ", text="  \n ")
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("e\u0301", "\u00e9"),  # NFC
        ("a\r\nb\rc", "a\nb\nc"),
        ("a\x00b", "ab"),
        ("a   \nb", "a\nb"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("  padded  ", "padded"),
        ("tab\tkept", "tab\tkept"),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected
