"""The archive of a project whose documents are records of a file kept once
(a JSON Lines upload): each record's own bytes are in the bag under its
SHA-256, the bag validates, and an import gives every document its original."""

from __future__ import annotations

import io
import json
import zipfile

import bagit
import pytest

from corpus.ingest import ingest_file
from corpus.models import Document, OriginalFile
from exchange.exports.archive import write_archive
from exchange.imports.archive import import_archive

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LINES = [
    {"text": "The coast guard reached the area hours later, the collective said."},
    {"text": "Relatives gathered outside the harbour office in Cabo Frisa."},
]


def test_records_of_a_kept_file_travel_with_their_own_bytes(
    project, analyst, media_root, tmp_path
):
    data = "\n".join(json.dumps(line) for line in LINES).encode()
    ingest_file(project=project, name="r.jsonl", data=data, user=analyst)
    assert OriginalFile.objects.filter(project=project).count() == 1
    records = {
        d.sha256: d.original_bytes() for d in Document.objects.filter(project=project)
    }
    assert set(records.values()) == {json.dumps(line).encode() for line in LINES}

    buffer = io.BytesIO()
    write_archive(project, buffer)
    with zipfile.ZipFile(buffer) as zf:
        root = zf.namelist()[0].split("/")[0]
        for sha256, record in records.items():
            assert zf.read(f"{root}/data/originals/{sha256}") == record
        zf.extractall(tmp_path)
    bagit.Bag(str(tmp_path / root)).validate(processes=1)

    result = import_archive(io.BytesIO(buffer.getvalue()), as_slug="strikes-copy")
    imported = Document.objects.filter(project=result.project)
    assert {d.sha256 for d in imported} == set(records)
    for document in imported:
        # Its original is now a file of its own, with the same bytes and hash.
        assert document.container is None and document.original
        assert document.original_bytes() == records[document.sha256]
        assert document.original_sha256() == document.sha256
