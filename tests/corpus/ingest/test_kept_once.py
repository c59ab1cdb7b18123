"""A JSON Lines upload is kept once; each record's document points to its
byte range, and its original is still retrievable exactly (issue 13, item 2)."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from corpus.ingest import ingest_batch, ingest_file, store
from corpus.models import Document, OriginalFile
from tests.corpus.ingest.conftest import OTHER_ARTICLE, media_files

pytestmark = pytest.mark.postgres

LINES = [
    {"text": "Fishermen in Porto Lenta said their boats left before dawn."},
    {"text": "El ministerio no presentó pruebas de que las lanchas llevaran carga."},
    {"text": OTHER_ARTICLE, "title": "Harvest festival"},
]


def jsonl(lines: list[dict], *, bom: bool = False, newline: str = "\n") -> bytes:
    data = newline.join(json.dumps(line, ensure_ascii=False) for line in lines)
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")


def test_the_file_is_kept_once_and_each_record_points_into_it(
    project, analyst, media_root
):
    data = jsonl(LINES, bom=True, newline="\r\n")
    result = ingest_file(project=project, name="r.jsonl", data=data, user=analyst)
    assert len(result.documents) == 3 and not result.errors
    [kept] = OriginalFile.objects.filter(project=project)
    assert kept.sha256 == hashlib.sha256(data).hexdigest() and kept.size == len(data)
    assert kept.file.read() == data
    # One file on disk: the upload itself, no file per record.
    assert media_files(media_root) == [media_root / kept.file.name]
    for line, document in zip(
        LINES, Document.objects.filter(project=project).order_by("pk"), strict=True
    ):
        record = json.dumps(line, ensure_ascii=False).encode()
        assert not document.original and document.container == kept
        assert document.original_bytes() == record
        start, length = document.record_offset, document.record_length
        assert start is not None and length is not None
        assert data[start : start + length] == record
        assert document.sha256 == hashlib.sha256(record).hexdigest()
        assert document.original_sha256() == document.sha256
        document.full_clean()  # the model's own check of the original's hash


def test_the_same_upload_again_is_all_duplicates_and_keeps_no_second_file(
    project, analyst, media_root
):
    data = jsonl(LINES)
    ingest_file(project=project, name="r.jsonl", data=data, user=analyst)
    again = ingest_file(project=project, name="r-again.jsonl", data=data, user=analyst)
    assert len(again.duplicates) == 3 and not again.documents
    assert OriginalFile.objects.filter(project=project).count() == 1
    assert len(media_files(media_root)) == 1


def test_an_upload_whose_records_all_fail_leaves_no_file(project, analyst, media_root):
    data = b'{"text": "bad \\ud800"}\n{"text": "x", "kind": "nonsense"}'
    result = ingest_file(project=project, name="bad.jsonl", data=data, user=analyst)
    assert len(result.errors) == 2 and not result.documents
    assert not OriginalFile.objects.exists()
    assert media_files(media_root) == []


def test_a_new_record_added_to_a_stored_file_points_into_the_new_file(project, analyst):
    ingest_file(project=project, name="a.jsonl", data=jsonl(LINES[:2]), user=analyst)
    data = jsonl(LINES)
    result = ingest_file(project=project, name="b.jsonl", data=data, user=analyst)
    assert len(result.duplicates) == 2
    [new] = result.documents
    new.refresh_from_db()
    assert new.container is not None
    assert new.container.sha256 == hashlib.sha256(data).hexdigest()
    assert new.original_bytes() == json.dumps(LINES[2]).encode()


def test_a_file_that_is_not_utf8_keeps_one_original_per_record(
    project, analyst, media_root
):
    data = jsonl(LINES[:2]).decode().encode("utf-16")
    result = ingest_file(project=project, name="u16.jsonl", data=data, user=analyst)
    assert len(result.documents) == 2
    assert not OriginalFile.objects.exists()
    for document in Document.objects.filter(project=project):
        assert document.original and document.container is None
        assert document.original_sha256() == document.sha256
    assert len(media_files(media_root)) == 2


def test_a_chunk_that_falls_back_one_by_one_still_points_into_the_file(
    project, analyst, media_root, monkeypatch
):
    real = store.insert_documents

    def refuse_bulk(documents, count=None):
        documents = list(documents)  # built (files written), then refused
        if len(documents) > 1:
            raise RuntimeError("bulk insert refused")
        return real(documents)

    monkeypatch.setattr(store, "insert_documents", refuse_bulk)
    data = jsonl(LINES)
    result = ingest_batch(
        project=project, files=[("r.jsonl", data)], user=analyst, analyse=False
    )
    assert len(result.documents) == 3
    [kept] = OriginalFile.objects.all()
    for document in Document.objects.all():
        assert document.container == kept and not document.original
        assert document.original_sha256() == document.sha256
    assert len(media_files(media_root)) == 1


def test_download_gives_the_record_bytes_and_says_where_they_are(
    client, project, analyst
):
    data = jsonl(LINES)
    ingest_file(project=project, name="r.jsonl", data=data, user=analyst)
    document = Document.objects.get(project=project, title="Harvest festival")
    client.force_login(analyst)
    response = client.get(f"/p/{project.slug}/d/{document.pk}/original/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == json.dumps(LINES[2]).encode()
    digest = base64.b64encode(bytes.fromhex(document.sha256)).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    start = document.record_offset
    assert start is not None
    assert response["X-Glossa-Record"] == (
        f"bytes {start}-{start + len(body) - 1} of r.jsonl "
        f"(SHA-256 {hashlib.sha256(data).hexdigest()})"
    )
    assert response["Content-Disposition"].startswith("attachment")


def test_the_record_position_cannot_change(project, analyst):
    ingest_file(project=project, name="r.jsonl", data=jsonl(LINES), user=analyst)
    document = Document.objects.filter(project=project).first()
    assert document is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(record_offset=1)


def test_a_kept_file_cannot_be_deleted_under_its_documents(project, analyst):
    ingest_file(project=project, name="r.jsonl", data=jsonl(LINES), user=analyst)
    kept = OriginalFile.objects.get()
    with pytest.raises(RestrictedError):
        kept.delete()
    project.delete()  # the project takes its documents and the file with it
    assert not OriginalFile.objects.exists()
