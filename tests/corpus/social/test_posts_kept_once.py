"""A post's original is its record's exact bytes in the posts file, which is
kept once (``OriginalFile``): no file per post. A large ingestion's report
lists failures one by one and counts plain successes."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from corpus.ingest import ingest_file, results, social
from corpus.ingest.base import Extracted
from corpus.ingest.service import ingest_job_record
from corpus.ingest.social import stream
from corpus.models import Document, OriginalFile, SocialExport
from tests.corpus.ingest.conftest import media_files

pytestmark = pytest.mark.postgres

DATE = "Tue Sep 02 13:00:00 +0000 2025"


def tweet(number: int, text: str = "") -> dict:
    return {
        "tweet": {
            "id_str": str(2000 + number),
            "full_text": text or f"Patrulla {number}: el buque fue interceptado. ✓",
            "created_at": DATE,
        }
    }


def ingest(project, analyst, name: str, data: bytes):
    return ingest_file(
        project=project, name=name, data=data, user=analyst, analyse=False
    )


def tweets_js(records: list) -> bytes:
    body = "window.YTD.tweets.part0 = " + json.dumps(
        records, indent=2, ensure_ascii=False
    )
    return b"\xef\xbb\xbf" + body.encode() + b" ;\n"


def telegram_json(count: int) -> bytes:
    export = {
        "name": "Guardia Costera (ficticia)",
        "type": "public_channel",
        "id": 7654321,
        "messages": [
            {
                "id": i,
                "type": "message",
                "date_unixtime": str(1756818000 + i),
                "text": ["Rescate nº ", {"type": "bold", "text": f"{i} — añadido"}],
            }
            for i in range(1, count + 1)
        ],
    }
    return json.dumps(export, ensure_ascii=False).encode()


def outbox_json(count: int) -> bytes:
    items = [
        {
            "type": "Create",
            "actor": "https://social.example/users/marina",
            "object": {
                "type": "Note",
                "id": f"https://social.example/users/marina/statuses/{i}",
                "url": f"https://social.example/@marina/{i}",
                "published": "2025-09-02T13:00:00Z",
                "content": f"<p>Comunicado {i}: «sin víctimas».</p>",
            },
        }
        for i in range(1, count + 1)
    ]
    return json.dumps(
        {"type": "OrderedCollection", "orderedItems": items}, ensure_ascii=False
    ).encode()


@pytest.mark.parametrize("read_size", [5, 1 << 20])
@pytest.mark.parametrize(
    "name, data",
    [
        ("tweets.js", tweets_js([tweet(i) for i in range(4)])),
        ("result.json", telegram_json(4)),
        ("outbox.json", outbox_json(4)),
    ],
)
def test_each_post_is_its_records_bytes(monkeypatch, read_size, name, data):
    """Whatever the reads (characters of several bytes cut anywhere), each
    post's original is exactly its record's bytes at its span."""
    monkeypatch.setattr(stream, "_READ", read_size)
    fmt = {"tweets.js": "x", "result.json": "telegram", "outbox.json": "outbox"}
    posts = list(getattr(social, f"extract_{fmt[name]}")(data, name))
    assert len(posts) == 4
    for post in posts:
        assert isinstance(post, Extracted)
        assert post.container is not None and post.container.data is data
        assert post.container.sha256 == hashlib.sha256(data).hexdigest()
        assert post.span is not None
        start, length = post.span
        assert data[start : start + length] == post.original
        assert isinstance(json.loads(post.original), dict)


def test_a_file_read_whole_keeps_one_file_per_post():
    """Not UTF-8: no byte ranges; each original is the record serialised."""
    latin1 = "window.YTD.tweets.part0 = " + json.dumps([tweet(1, "Patrulla é")])
    data = latin1.encode("latin-1").replace(b"\\u00e9", "é".encode("latin-1"))
    [post] = list(social.extract_x(data, "tweets.js"))
    assert isinstance(post, Extracted)
    assert post.container is None and post.span is None
    assert (
        post.original
        == json.dumps(
            tweet(1, "Patrulla é"), ensure_ascii=False, sort_keys=True
        ).encode()
    )


def test_an_archive_keeps_its_posts_file_once(project, analyst, media_root):
    tweets = tweets_js([tweet(i) for i in range(6)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data/tweets.js", tweets)
    result = ingest(project, analyst, "x.zip", buffer.getvalue())
    assert not result.errors and result.stored == 6
    [kept] = OriginalFile.objects.filter(project=project)
    assert kept.sha256 == hashlib.sha256(tweets).hexdigest()
    assert kept.size == len(tweets) and kept.file.read() == tweets
    assert kept.name == "x.zip/data/tweets.js"
    for document in Document.objects.filter(project=project):
        assert not document.original and document.container_id == kept.pk
        assert "warning" not in document.metadata  # a .zip is no mismatch
        assert document.original_sha256() == document.sha256
        assert json.loads(document.original_bytes())["tweet"]["full_text"]
    # The zip (SocialExport) and tweets.js (OriginalFile): no file per post.
    assert len(media_files(media_root)) == 2
    # The same archive again: all duplicates, nothing new kept.
    again = ingest(project, analyst, "x.zip", buffer.getvalue())
    assert again.stored == 0 and len(again.duplicates) == 6
    assert OriginalFile.objects.filter(project=project).count() == 1
    assert len(media_files(media_root)) == 2


def test_a_bare_posts_file_is_one_file_on_disk(project, analyst, media_root):
    """A bare tweets.js is both the social export and the posts' kept file:
    two rows, one file, and a re-import keeps nothing new."""
    tweets = tweets_js([tweet(i) for i in range(5)])
    result = ingest(project, analyst, "tweets.js", tweets)
    assert not result.errors and result.stored == 5
    [kept] = OriginalFile.objects.filter(project=project)
    [export] = SocialExport.objects.filter(project=project)
    assert kept.file.name == export.file.name
    assert kept.file.read() == tweets and kept.sha256 == export.sha256
    assert media_files(media_root) == [media_root / str(kept.file.name)]
    for document in Document.objects.filter(project=project):
        assert document.container_id == kept.pk
        assert document.original_sha256() == document.sha256
    again = ingest(project, analyst, "tweets.js", tweets)
    assert again.stored == 0 and len(again.duplicates) == 5
    assert len(media_files(media_root)) == 1


def test_a_posts_file_whose_posts_all_fail_keeps_its_export_file(
    project, analyst, media_root
):
    """When no post of a bare posts file is stored, its kept-once row goes
    (no file without a document) but the file stays with the export."""
    broken = {"tweet": {"id_str": "9", "created_at": DATE}}  # no full_text
    tweets = tweets_js([broken, broken])
    result = ingest(project, analyst, "tweets.js", tweets)
    assert result.stored == 0 and len(result.errors) == 2
    assert not OriginalFile.objects.filter(project=project).exists()
    for export in SocialExport.objects.filter(project=project):
        assert export.file.read() == tweets
    assert len(media_files(media_root)) == SocialExport.objects.count()


def test_a_large_report_counts_plain_successes(monkeypatch, project, analyst):
    """Past ``KEEP_OUTCOMES``, plain successes are counted with their ids;
    failures are still listed one by one, with their reason."""
    monkeypatch.setattr(results, "KEEP_OUTCOMES", 3)
    records = [tweet(i) for i in range(12)]
    del records[7]["tweet"]["full_text"]
    result = ingest(project, analyst, "tweets.js", tweets_js(records))
    assert result.stored == 11 and result.total == 12
    assert result.errors == [
        ("tweets.js record 8", "tweets.js record 8: no full_text.")
    ]
    stored = set(Document.objects.filter(project=project).values_list("pk", flat=True))
    assert {d.pk for d in result.documents} == stored
    report = ingest_job_record(project=project, user=analyst, result=result).report
    assert (report["stored"], report["duplicates"], report["failed"]) == (11, 0, 1)
    items = report["items"]
    assert [i["status"] for i in items] == ["stored"] * 4 + ["failed", "stored"]
    assert items[3]["count"] == 4 and items[5]["count"] == 4
    assert items[3]["name"] == "tweets.js post 2003 … tweets.js post 2006 (4 records)"
    ids = sorted(stored)
    assert (items[3]["first_document"], items[5]["last_document"]) == (
        ids[3],
        ids[-1],
    )
    assert items[4]["message"] == "tweets.js record 8: no full_text."


@pytest.mark.parametrize(
    "name, data", [("result.json", telegram_json(2)), ("outbox.json", outbox_json(2))]
)
def test_usual_export_names_are_no_mismatch(project, analyst, name, data):
    """A .json name claims JSON Lines; a Telegram or ActivityPub export under
    its usual name gets no "the name says" warning on each post."""
    result = ingest(project, analyst, name, data)
    assert not result.errors and result.stored == 2
    assert all(not o.message for o in result.outcomes)
    for document in Document.objects.filter(project=project):
        assert "warning" not in document.metadata
        assert document.container is not None
        assert document.original_sha256() == document.sha256
