"""Exports read as streams: the same posts as ``json.loads`` would give,
checked whole before any post is stored, stored a chunk at a time, with
links to posts of later chunks resolved, and media kept as originals."""

from __future__ import annotations

import hashlib
import io
import json
import types
import zipfile

import pytest

from corpus.ingest import ingest_file, social
from corpus.ingest.base import Extracted
from corpus.ingest.extract import extract_iter
from corpus.ingest.social import stream
from corpus.ingest.social.stream import NotStreamable, bytes_opener, stream_array
from corpus.ingest.store import CHUNK
from corpus.models import Document, SocialExport, SocialPost
from tests.corpus.ingest.conftest import media_files

pytestmark = pytest.mark.postgres

DATE = "Tue Sep 02 13:00:00 +0000 2025"


def tweet(number: int, **extra) -> dict:
    return {
        "tweet": {
            "id_str": str(1000 + number),
            "full_text": f"Patrol report {number}: the vessel was intercepted.",
            "created_at": DATE,
            **extra,
        }
    }


def tweets_js(records: list, *, tail: str = "", bom: bool = False) -> bytes:
    body = "window.YTD.tweets.part0 = " + json.dumps(records, indent=1) + tail
    return (b"\xef\xbb\xbf" if bom else b"") + body.encode()


@pytest.mark.parametrize("read_size", [7, 64, 1 << 20])
def test_streamed_records_equal_json_loads(monkeypatch, read_size):
    """Whatever the size of the reads (values cut anywhere, numbers at the
    end of a read), each element is what ``json.loads`` gives."""
    monkeypatch.setattr(stream, "_READ", read_size)
    records = [
        tweet(1),
        {"n": 12345678901234567890, "f": 1.5e-7, "s": "a\\u00e9\u00e9 \ud800 \u2028"},
        [1, [2, {"x": None}], True, False],
        "plain string with , and ] inside",
        98765,
    ]
    data = tweets_js(records, tail=" ;\n", bom=True)
    elements, _ = stream_array(bytes_opener(data), x_wrapper=True)
    assert isinstance(elements, types.GeneratorType)
    assert list(elements) == json.loads(json.dumps(records))


def test_telegram_top_level_values_after_the_messages(monkeypatch):
    monkeypatch.setattr(stream, "_READ", 16)
    export = {
        "messages": [{"id": 5, "text": "x"}, {"id": 6, "text": ["y", {"text": "z"}]}],
        "name": "Norland Navy (fictional)",
        "id": 1987654321,
    }
    elements, top = stream_array(bytes_opener(json.dumps(export).encode()), "messages")
    assert top == {"name": "Norland Navy (fictional)", "id": 1987654321}
    assert list(elements) == export["messages"]


def test_a_file_that_is_not_strict_json_is_read_whole():
    """Not UTF-8, or not strict JSON: read the old way, in memory."""
    latin1 = tweets_js([tweet(1)]).replace(b"Patrol", "Patrulla é".encode("latin-1"))
    with pytest.raises(NotStreamable):
        stream_array(bytes_opener(latin1), x_wrapper=True)
    [post] = list(social.extract_x(latin1, "tweets.js"))
    assert isinstance(post, Extracted)
    assert post.text.startswith("Patrulla é report 1")


def test_social_exports_are_handed_on_as_generators():
    items = extract_iter(tweets_js([tweet(1), tweet(2)]), "tweets.js")
    assert isinstance(items, types.GeneratorType)
    assert [i.name for i in items] == ["tweets.js post 1001", "tweets.js post 1002"]


def test_replies_to_posts_of_later_chunks_are_linked(project, analyst):
    """Each post replies to the next one, so every reply is stored before
    its parent, the last ones in another chunk; a quote points forward
    too. All resolve, and threads are counted from their first post."""
    n = CHUNK * 2 + 30
    records = [
        tweet(i, in_reply_to_status_id_str=str(1000 + i + 1)) for i in range(n - 1)
    ]
    records.append(tweet(n - 1))
    records[0]["tweet"]["quoted_status_id_str"] = str(1000 + n - 1)
    result = ingest_file(
        project=project,
        name="tweets.js",
        data=tweets_js(records),
        user=analyst,
        analyse=False,
    )
    assert not result.errors and len(result.documents) == n
    posts = {
        p.post_id: p
        for p in SocialPost.objects.filter(project=project).only(
            "post_id", "reply_to_id", "quoted_id", "thread_root_id", "thread_position"
        )
    }
    last = posts[str(1000 + n - 1)]
    for i in range(n - 1):
        post = posts[str(1000 + i)]
        assert post.reply_to_id == posts[str(1000 + i + 1)].pk
        assert post.thread_root_id == last.pk
        assert post.thread_position == n - 1 - i
    assert last.thread_root_id == last.pk and last.thread_position == 0
    assert posts["1000"].quoted_id == last.pk


def test_a_cycle_of_replies_is_its_own_root(project, analyst):
    records = [
        tweet(1, in_reply_to_status_id_str="1002"),
        tweet(2, in_reply_to_status_id_str="1001"),
    ]
    ingest_file(
        project=project,
        name="tweets.js",
        data=tweets_js(records),
        user=analyst,
        analyse=False,
    )
    one, two = SocialPost.objects.filter(project=project).order_by("post_id")
    assert one.reply_to_id == two.pk and two.reply_to_id == one.pk
    assert (one.thread_root_id, one.thread_position) == (one.pk, 0)
    assert (two.thread_root_id, two.thread_position) == (two.pk, 0)


def test_broken_json_late_in_a_large_export_stores_nothing(
    project, analyst, media_root
):
    """The first pass reads the whole file before any post is stored."""
    good = tweets_js([tweet(i) for i in range(CHUNK * 3)])
    broken = good[: len(good) - 40] + b'{"tweet": }]'
    result = ingest_file(
        project=project, name="tweets.js", data=broken, user=analyst, analyse=False
    )
    [(name, reason)] = result.errors
    assert name == "tweets.js" and "not valid JSON" in reason
    assert not Document.objects.exists() and not SocialExport.objects.exists()
    assert media_files(media_root) == []


def test_bad_records_in_several_chunks_fail_alone(project, analyst):
    records = [tweet(i) for i in range(CHUNK * 2 + 5)]
    for broken in (3, CHUNK + 7, CHUNK * 2 + 2):
        del records[broken]["tweet"]["full_text"]
    result = ingest_file(
        project=project,
        name="tweets.js",
        data=tweets_js(records),
        user=analyst,
        analyse=False,
    )
    assert dict(result.errors) == {
        f"tweets.js record {i + 1}": f"tweets.js record {i + 1}: no full_text."
        for i in (3, CHUNK + 7, CHUNK * 2 + 2)
    }
    assert SocialPost.objects.filter(project=project).count() == len(records) - 3


def test_telegram_photos_and_files_kept_as_originals(project, analyst, media_root):
    photo = b"\xff\xd8\xff fictional photo bytes"
    pdf = b"%PDF-1.4 fictional communique"
    export = {
        "name": "Norland Coast Guard (fictional)",
        "type": "public_channel",
        "id": 1234567,
        "messages": [
            {
                "id": 10,
                "type": "message",
                "date_unixtime": "1756818000",
                "from": "Norland Coast Guard (fictional)",
                "from_id": "channel1234567",
                "photo": "photos/photo_10@02-09-2025.jpg",
                "text": "Rescue at sea this morning.",
            },
            {
                "id": 11,
                "type": "message",
                "date_unixtime": "1756818100",
                "from_id": "channel1234567",
                "file": "files/communique.pdf",
                "mime_type": "application/pdf",
                "text": "The full communique is attached.",
            },
            {
                "id": 12,
                "type": "message",
                "date_unixtime": "1756818200",
                "from_id": "channel1234567",
                "file": "files/missing.mp4",
                "text": "A video the export did not include.",
            },
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ChatExport/result.json", json.dumps(export))
        archive.writestr("ChatExport/photos/photo_10@02-09-2025.jpg", photo)
        archive.writestr("ChatExport/files/communique.pdf", pdf)
    result = ingest_file(
        project=project,
        name="telegram.zip",
        data=buffer.getvalue(),
        user=analyst,
        analyse=False,
    )
    assert not result.errors, result.errors
    posts = {p.post_id: p for p in SocialPost.objects.filter(project=project)}
    for post_id, name, content, media_type in (
        ("10", "photos/photo_10@02-09-2025.jpg", photo, "image/jpeg"),
        ("11", "files/communique.pdf", pdf, "application/pdf"),
    ):
        [item] = posts[post_id].media
        assert item["name"] == name and item["media_type"] == media_type
        assert item["sha256"] == hashlib.sha256(content).hexdigest()
        assert item["size"] == len(content)
        assert (media_root / item["file"]).read_bytes() == content
    [missing] = posts["12"].media
    assert missing["name"] == "files/missing.mp4"
    assert missing["sha256"] == "" and missing["file"] == ""
