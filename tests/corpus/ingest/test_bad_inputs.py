"""Bad input gets a clear, per-item reason; nothing half-written, no orphan files."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from corpus.ingest import ingest_batch, ingest_file
from corpus.models import Document
from tests.corpus.ingest.conftest import (
    ARTICLE,
    OTHER_ARTICLE,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_zip,
    media_files,
)

pytestmark = pytest.mark.postgres


def noise(size: int, *, seed: int) -> bytes:
    """Random-looking bytes, the same in every run and every xdist worker
    (parametrised ids must match across workers, and a failure must repeat)."""
    return random.Random(seed).randbytes(size)


def only_error(result) -> str:
    assert result.documents == []
    assert len(result.errors) == 1, result.outcomes
    return result.errors[0][1]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t \n", "empty"),
        ("noise.txt", noise(4096, seed=1), "binary"),
        ("noise.docx", noise(4096, seed=2), "binary"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + noise(500, seed=3), "JPEG"),
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + noise(200, seed=4), "PNG"),
        ("program.txt", b"\x7fELF\x02\x01\x01" + bytes(200), "executable"),
        ("notes.docx", b"Just some notes typed in a text editor.", "Wrong extension"),
        ("notes.pdf", b"Plain words pretending to be a PDF file.", "Wrong extension"),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy"),
    ],
)
def test_refused_inputs_name_the_problem(project, analyst, name, data, reason):
    result = ingest_file(project=project, name=name, data=data, user=analyst)
    message = only_error(result)
    assert reason.lower() in message.lower()
    assert result.errors[0][0] == name
    assert Document.objects.count() == 0


def test_truncated_pdf(project, analyst):
    data = make_pdf(["A page that will be cut off."])
    message = only_error(
        ingest_file(project=project, name="cut.pdf", data=data[:-60], user=analyst)
    )
    assert "truncated" in message


def test_encrypted_pdf(project, analyst):
    data = make_encrypted_pdf(["Confidential briefing notes."])
    message = only_error(
        ingest_file(project=project, name="locked.pdf", data=data, user=analyst)
    )
    assert "encrypted" in message and "password" in message


def test_pdf_without_text(project, analyst):
    message = only_error(
        ingest_file(project=project, name="scan.pdf", data=make_pdf([""]), user=analyst)
    )
    assert "no extractable text" in message


def test_corrupt_docx(project, analyst):
    good = make_docx(["A paragraph that will be damaged."])
    # Keep the ZIP container but break the document part.
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    message = only_error(
        ingest_file(
            project=project, name="broken.docx", data=buffer.getvalue(), user=analyst
        )
    )
    assert "Corrupt DOCX" in message


def test_docx_truncated_container(project, analyst):
    good = make_docx(["Another paragraph."])
    message = only_error(
        ingest_file(
            project=project, name="half.docx", data=good[: len(good) // 2], user=analyst
        )
    )
    assert "DOCX" in message


def test_over_size_file(project, analyst, settings):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 1000
    message = only_error(
        ingest_file(project=project, name="big.txt", data=b"word " * 300, user=analyst)
    )
    assert "too large" in message and "1,000" in message


def test_zip_bomb_is_refused_as_a_whole(project, analyst, settings):
    settings.GLOSSA_MAX_ARCHIVE_BYTES = 1_000_000
    bomb = make_zip(
        {
            "readme.txt": b"An innocent file listed first.",
            "zeros.txt": b"0" * 5_000_000,
        }
    )
    assert len(bomb) < 20_000  # highly compressed
    message = only_error(
        ingest_file(project=project, name="bomb.zip", data=bomb, user=analyst)
    )
    assert "zip bomb" in message and "GLOSSA_MAX_ARCHIVE_BYTES" in message
    assert Document.objects.count() == 0


def test_zip_bomb_with_lying_sizes_is_caught_while_reading(project, analyst, settings):
    """Declared sizes are not trusted: reading stops when the budget is spent."""
    settings.GLOSSA_MAX_ARCHIVE_BYTES = 1_000_000
    settings.GLOSSA_MAX_UPLOAD_BYTES = 50_000_000
    bomb = bytearray(make_zip({"zeros.txt": b"A" * 3_000_000}))
    # Patch the declared uncompressed size (local header and central directory)
    # to claim 100 bytes.
    packed = (3_000_000).to_bytes(4, "little")
    index = bomb.find(packed)
    while index != -1:
        bomb[index : index + 4] = (100).to_bytes(4, "little")
        index = bomb.find(packed)
    message = only_error(
        ingest_file(project=project, name="liar.zip", data=bytes(bomb), user=analyst)
    )
    assert "zip bomb" in message or "corrupt" in message.lower()
    assert Document.objects.count() == 0


def test_nested_bomb_refuses_the_outer_archive(project, analyst, settings):
    settings.GLOSSA_MAX_ARCHIVE_BYTES = 1_000_000
    inner = make_zip({"zeros.txt": b"0" * 2_000_000})
    outer = make_zip({"a.txt": ARTICLE.encode(), "inner.zip": inner})
    message = only_error(
        ingest_file(project=project, name="outer.zip", data=outer, user=analyst)
    )
    assert "zip bomb" in message
    assert Document.objects.count() == 0


def test_too_many_members(project, analyst, settings):
    settings.GLOSSA_MAX_ARCHIVE_MEMBERS = 5
    data = make_zip({f"f{i}.txt": f"File number {i}.".encode() for i in range(8)})
    message = only_error(
        ingest_file(project=project, name="many.zip", data=data, user=analyst)
    )
    assert "too many files" in message


def test_corrupt_zip(project, analyst):
    data = make_zip({"a.txt": b"Some text in a zip."})
    message = only_error(
        ingest_file(project=project, name="bad.zip", data=data[:30], user=analyst)
    )
    assert "ZIP" in message


def test_batch_keeps_going_and_lists_each_failure(project, analyst, media_root):
    files = [
        ("good.txt", ARTICLE.encode()),
        ("empty.txt", b""),
        ("locked.pdf", make_encrypted_pdf(["Secret."])),
        ("other.txt", OTHER_ARTICLE.encode()),
        ("noise.bin", noise(2048, seed=5)),
    ]
    result = ingest_batch(project=project, files=files, user=analyst)
    assert sorted(d.original_name for d in result.documents) == [
        "good.txt",
        "other.txt",
    ]
    assert [name for name, _ in result.errors] == [
        "empty.txt",
        "locked.pdf",
        "noise.bin",
    ]
    assert Document.objects.count() == 2
    # Exactly the stored originals are on disk: no orphans from the failures.
    assert len(media_files(media_root)) == 2


def test_bad_records_in_bulk_files_do_not_stop_the_others(project, analyst):
    data = (
        b'{"text": "First record is fine."}\n'
        b"{not json}\n"
        b'{"title": "no text field"}\n'
        b'["a list"]\n'
        b'{"text": "Bad date.", "date": "yesterday-ish"}\n'
        b'{"text": "Unknown kind.", "kind": "poem"}\n'
        b'{"text": "Last record is fine too."}\n'
    )
    result = ingest_file(project=project, name="mixed.jsonl", data=data, user=analyst)
    assert len(result.documents) == 2
    errors = dict(result.errors)
    assert "Not valid JSON" in errors["mixed.jsonl line 2"]
    assert "no 'text' field" in errors["mixed.jsonl line 3"]
    assert "not a JSON object" in errors["mixed.jsonl line 4"]
    assert "Unreadable date" in errors["mixed.jsonl line 5"]
    assert "Unknown kind" in errors["mixed.jsonl line 6"]


def test_csv_without_text_column(project, analyst):
    message = only_error(
        ingest_file(
            project=project,
            name="x.csv",
            data=b"title,date\nA,2025-01-01\n",
            user=analyst,
        )
    )
    assert "no 'text' column" in message


def test_failure_after_files_are_written_leaves_no_orphans(
    project, analyst, media_root, monkeypatch
):
    """If the batch fails at its end, no document and no file remains."""
    from corpus.ingest import store

    def explode(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store.Batch, "finish", explode)
    files = [("a.txt", ARTICLE.encode()), ("b.txt", OTHER_ARTICLE.encode())]
    with pytest.raises(RuntimeError):
        ingest_batch(project=project, files=files, user=analyst)
    assert Document.objects.count() == 0
    assert media_files(media_root) == []
