"""Importing X, Telegram and Mastodon exports: posts as documents, linked
threads and replies, media and the export kept once, bad records alone."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from corpus.ingest import ingest_file
from corpus.ingest.detect import sniff
from corpus.models import Document, DocumentKind, SocialExport, SocialPost
from tests.corpus.ingest.conftest import media_files
from tests.corpus.social.conftest import fixture_bytes, zip_of

pytestmark = pytest.mark.postgres

X_IDS = [f"180000000000000000{i}" for i in range(1, 6)]


def posts_by_id(project) -> dict[str, SocialPost]:
    return {
        p.post_id: p
        for p in SocialPost.objects.filter(project=project).select_related("document")
    }


def test_formats_are_detected_by_content_not_name():
    assert sniff(fixture_bytes("x/data/tweets.js"), "upload.txt") == "x_tweets"
    assert sniff(fixture_bytes("telegram/result.json"), "export") == "telegram"
    assert sniff(fixture_bytes("mastodon/outbox.json"), "a.jsonl") == "activitypub"
    assert sniff(zip_of("x"), "archive.zip") == "social_zip"
    assert sniff(zip_of("x", prefix="twitter-2025/"), "a.zip") == "social_zip"
    assert sniff(zip_of("telegram"), "t.zip") == "social_zip"
    assert sniff(zip_of("mastodon"), "m.zip") == "social_zip"
    # An ordinary JSON array or JSON Lines file is still bulk records.
    assert sniff(b'[{"text": "a"}]', "r.json") == "jsonl"


def test_x_archive_zip(project, analyst, media_root):
    data = zip_of("x")
    result = ingest_file(
        project=project, name="twitter.zip", data=data, user=analyst, analyse=False
    )
    assert not result.errors
    assert len(result.documents) == 5
    posts = posts_by_id(project)
    assert sorted(posts) == X_IDS
    first, second, third, quote, reply = (posts[i] for i in X_IDS)
    document = first.document
    assert document.kind == DocumentKind.SOCIAL
    assert document.platform == "X"
    assert document.author == "Norland Ministry of Defence"
    assert first.handle == "MinDefNorland"
    assert first.display_name == "Norland Ministry of Defence"
    assert first.posted_at.isoformat() == "2025-09-02T13:00:00+00:00"
    assert document.published_at == first.posted_at
    assert (
        first.url
        == document.url
        == ("https://x.com/MinDefNorland/status/1800000000000000001")
    )
    assert document.text.startswith("Today our forces struck a vessel")
    assert document.language == "en"  # X's own "lang", kept as stated
    # The post's own original is its record's exact bytes in tweets.js,
    # which is kept once (no file per post); the export is kept once too.
    tweets = fixture_bytes("x/data/tweets.js")
    assert not document.original and document.container is not None
    assert document.container.file.read() == tweets
    assert document.container.sha256 == hashlib.sha256(tweets).hexdigest()
    start, length = document.record_offset, document.record_length
    assert start is not None and length is not None
    assert document.original_bytes() == tweets[start : start + length]
    record = json.loads(document.original_bytes())
    assert record["tweet"]["id_str"] == X_IDS[0]
    assert document.sha256 == hashlib.sha256(record_bytes(document)).hexdigest()
    assert document.original_sha256() == document.sha256 == first.document.sha256
    assert {p.document.container_id for p in posts.values()} == {document.container_id}
    [export] = SocialExport.objects.filter(project=project)
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.file.read() == data
    assert {p.export_id for p in posts.values()} == {export.pk}
    # Thread: 1 <- 2 <- 3, linked, not merged.
    assert second.reply_to == first and third.reply_to == second
    assert [p.thread_root_id for p in (first, second, third)] == [first.pk] * 3
    assert [p.thread_position for p in (first, second, third)] == [0, 1, 2]
    # A quote of the first post; a reply to another account's post not here.
    assert quote.quoted == first and quote.reply_to is None
    assert reply.reply_to_ref == "1700000000000000009" and reply.reply_to is None
    assert reply.thread_root_id == reply.pk
    # Media: listed by name and hash, kept as originals.
    [photo] = second.media
    content = fixture_bytes("x/data/tweets_media/1800000000000000002-FakeMediaKey1.jpg")
    assert photo["name"] == "1800000000000000002-FakeMediaKey1.jpg"
    assert photo["sha256"] == hashlib.sha256(content).hexdigest()
    assert (media_root / photo["file"]).read_bytes() == content


def record_bytes(document: Document) -> bytes:
    return document.original_bytes()


def test_x_tweets_js_alone_and_reimport(project, analyst):
    data = fixture_bytes("x/data/tweets.js")
    result = ingest_file(
        project=project, name="tweets.js", data=data, user=analyst, analyse=False
    )
    assert len(result.documents) == 5
    post = SocialPost.objects.get(post_id=X_IDS[1])
    assert post.handle == ""  # tweets.js alone does not name the account
    assert post.url == f"https://x.com/i/web/status/{X_IDS[1]}"
    assert post.media[0]["sha256"] == ""  # listed, not in the export
    again = ingest_file(
        project=project, name="tweets.js", data=data, user=analyst, analyse=False
    )
    assert len(again.duplicates) == 5 and not again.documents
    assert SocialExport.objects.count() == 1


def test_telegram_export(project, analyst, media_root):
    result = ingest_file(
        project=project,
        name="telegram.zip",
        data=zip_of("telegram"),
        user=analyst,
        analyse=False,
    )
    assert not result.errors, result.errors
    posts = posts_by_id(project)
    assert sorted(posts) == ["2", "3", "4"]  # the service message is not a post
    two, three, four = posts["2"], posts["3"], posts["4"]
    assert two.document.text == (
        "Navy patrol vessels intercepted a suspected drug-trafficking boat at "
        "dawn. Two survivors were rescued from the water."
    )
    assert four.document.text == "Statement: https://example.org/statement"
    assert two.handle == "channel1987654321"
    assert two.display_name == "Norland Navy (fictional)"
    assert two.posted_at.isoformat() == "2025-09-02T13:00:00+00:00"
    assert two.url == "https://t.me/c/1987654321/2"
    assert three.reply_to == two and three.thread_root == two
    assert three.thread_position == 1
    [photo] = two.media
    assert photo["name"] == "photos/photo_1@02-09-2025_15-00-00.jpg"
    assert (media_root / photo["file"]).read_bytes() == fixture_bytes(
        "telegram/photos/photo_1@02-09-2025_15-00-00.jpg"
    )


def test_mastodon_outbox(project, analyst, media_root):
    result = ingest_file(
        project=project,
        name="mastodon.zip",
        data=zip_of("mastodon"),
        user=analyst,
        analyse=False,
    )
    assert not result.errors, result.errors
    posts = {
        p.post_id.rsplit("/", 1)[-1]: p
        for p in SocialPost.objects.filter(project=project)
    }
    assert sorted(posts) == ["111", "112", "114"]  # the boost is not a post
    first = posts["111"]
    text = first.document.text
    assert text.startswith(
        "The Ministry rejects the allegations of unlawful killings at sea.\n"
        "The operation targeted a designated terrorist organisation."
    )
    assert "<" not in text and "alert(1)" not in text  # sanitised to text
    assert first.handle == "norland_mfa@social.example.org"
    assert first.display_name == "Norland Ministry of Foreign Affairs"
    assert first.url == "https://social.example.org/@norland_mfa/111"
    assert posts["112"].reply_to == first and posts["112"].thread_position == 1
    assert posts["114"].quoted == first
    [attachment] = first.media
    assert attachment["name"] == "media_attachments/files/111/original/map.jpg"
    assert (
        attachment["sha256"]
        == hashlib.sha256(
            fixture_bytes("mastodon/media_attachments/files/111/original/map.jpg")
        ).hexdigest()
    )


def test_outbox_alone_names_the_account_from_the_actor_url(project, analyst):
    result = ingest_file(
        project=project,
        name="outbox.json",
        data=fixture_bytes("mastodon/outbox.json"),
        user=analyst,
        analyse=False,
    )
    assert len(result.documents) == 3
    assert set(SocialPost.objects.values_list("handle", flat=True)) == {
        "norland_mfa@social.example.org"
    }


def test_reply_imported_before_its_parent_is_linked_later(project, analyst):
    records = [
        {
            "tweet": {
                "id_str": "2",
                "full_text": "Second post of the thread.",
                "created_at": "Tue Sep 02 13:02:00 +0000 2025",
                "in_reply_to_status_id_str": "1",
            }
        }
    ]
    later = [
        {
            "tweet": {
                "id_str": "1",
                "full_text": "First post of the thread.",
                "created_at": "Tue Sep 02 13:00:00 +0000 2025",
            }
        }
    ]
    for name, batch in (("a.js", records), ("b.js", later)):
        data = "window.YTD.tweets.part0 = " + json.dumps(batch)
        ingest_file(
            project=project, name=name, data=data.encode(), user=analyst, analyse=False
        )
    posts = posts_by_id(project)
    assert posts["2"].reply_to == posts["1"]
    assert posts["2"].thread_root == posts["1"] and posts["2"].thread_position == 1


def _x(records: list) -> bytes:
    return ("window.YTD.tweets.part0 = " + json.dumps(records)).encode()


GOOD_TWEET = {
    "tweet": {
        "id_str": "10",
        "full_text": "A good post.",
        "created_at": "Tue Sep 02 13:00:00 +0000 2025",
    }
}


def test_bad_x_record_fails_alone_and_is_named(project, analyst, media_root):
    bad = [
        GOOD_TWEET,
        {"tweet": {"id_str": "11", "created_at": "Tue Sep 02 13:00:00 +0000 2025"}},
        {"tweet": {"id_str": "12", "full_text": "No date.", "created_at": "yesterday"}},
        "not an object",
        {
            "tweet": {
                "id_str": "13",
                "full_text": "Bad \ud800 text",
                "created_at": GOOD_TWEET["tweet"]["created_at"],
            }
        },
        {
            "tweet": {
                "id_str": "14",
                "full_text": "Another good post.",
                "created_at": "Tue Sep 02 14:00:00 +0000 2025",
            }
        },
    ]
    data = ("window.YTD.tweets.part0 = " + json.dumps(bad)).encode()
    result = ingest_file(
        project=project, name="tweets.js", data=data, user=analyst, analyse=False
    )
    errors = dict(result.errors)
    assert errors["tweets.js record 2"] == "tweets.js record 2: no full_text."
    assert "tweets.js record 3: created_at 'yesterday'" in errors["tweets.js record 3"]
    assert "tweets.js record 4" in errors
    assert any("surrogate" in reason for reason in errors.values())
    assert sorted(SocialPost.objects.values_list("post_id", flat=True)) == ["10", "14"]
    assert Document.objects.count() == 2


def test_broken_x_wrapper_is_one_clear_error(project, analyst, media_root):
    result = ingest_file(
        project=project,
        name="tweets.js",
        data=b'window.YTD.tweets.part0 = [ {"tweet": ',
        user=analyst,
        analyse=False,
    )
    [(name, reason)] = result.errors
    assert "not valid JSON" in reason and name == "tweets.js"
    assert not Document.objects.exists() and not SocialExport.objects.exists()
    assert media_files(media_root) == []


def test_bad_telegram_message_fails_alone(project, analyst):
    export = json.loads(fixture_bytes("telegram/result.json"))
    export["messages"][2]["text"] = 42
    del export["messages"][3]["date_unixtime"]
    result = ingest_file(
        project=project,
        name="result.json",
        data=json.dumps(export).encode(),
        user=analyst,
        analyse=False,
    )
    errors = dict(result.errors)
    assert errors == {
        "result.json message 3 (id 3)": "result.json message 3 (id 3): text is "
        "neither a string nor a list.",
        "result.json message 4 (id 4)": "result.json message 4 (id 4): no "
        "date_unixtime (date alone has no time zone).",
    }
    assert list(SocialPost.objects.values_list("post_id", flat=True)) == ["2"]


def test_bad_outbox_item_fails_alone(project, analyst):
    outbox = json.loads(fixture_bytes("mastodon/outbox.json"))
    outbox["orderedItems"][1]["object"]["content"] = ""
    outbox["orderedItems"][3]["object"]["published"] = "2025-09-03T10:00:00"
    result = ingest_file(
        project=project,
        name="outbox.json",
        data=json.dumps(outbox).encode(),
        user=analyst,
        analyse=False,
    )
    errors = dict(result.errors)
    assert (
        errors["outbox.json item 2"] == "outbox.json item 2: the Note has no content."
    )
    assert "outbox.json item 4: published" in errors["outbox.json item 4"]
    assert SocialPost.objects.count() == 1


def test_post_text_never_changes(project, analyst):
    ingest_file(
        project=project,
        name="tweets.js",
        data=fixture_bytes("x/data/tweets.js"),
        user=analyst,
        analyse=False,
    )
    document = Document.objects.filter(kind="social").earliest("pk")
    document.text = "edited"
    with pytest.raises(Exception, match="cannot change"):
        document.save()


def test_cli_and_api_take_exports(client, project, analyst):
    call_command(
        "ingest",
        str(
            __import__("tests.corpus.social.conftest", fromlist=["FIXTURES"]).FIXTURES
            / "telegram"
            / "result.json"
        ),
        "--project",
        project.slug,
        "--no-analyse",
        stdout=io.StringIO(),
    )
    assert SocialPost.objects.filter(platform="telegram").count() == 3
    client.force_login(analyst)
    response = client.post(
        "/api/documents/",
        {
            "project": project.slug,
            "file": SimpleUploadedFile(
                "outbox.json", fixture_bytes("mastodon/outbox.json")
            ),
        },
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["documents"]) == 3
    assert SocialPost.objects.filter(platform="mastodon").count() == 3


POST_PAGE = b"""<!doctype html><html lang="en"><head>
<title>Norland Ministry of Defence on X</title>
<meta property="og:title" content="Norland Ministry of Defence on X">
<meta property="og:description" content="Today our forces struck a vessel.">
</head><body><main><article>
<p>Norland Ministry of Defence @MinDefNorland</p>
<p>Today our forces struck a vessel operated by a designated terrorist
organisation in international waters. Three narco-terrorists were killed.</p>
<p><time datetime="2025-09-02T13:00:00.000Z">1:00 PM Sep 2, 2025</time></p>
</article></main></body></html>"""


def test_post_url_is_captured_as_a_page_with_its_warc(
    project, analyst, site, allow_local
):
    from corpus.ingest import ingest_url

    path = "/MinDefNorland/status/1800000000000000001"
    site.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"}, POST_PAGE)
    result = ingest_url(
        project=project, url=site.url(path), user=analyst, kind="social", analyse=False
    )
    assert result.errors == []
    [document] = result.documents
    document.refresh_from_db()
    assert document.kind == DocumentKind.SOCIAL
    assert document.url == site.url(path)
    assert "Three narco-terrorists were killed." in document.text
    assert document.original.read() == POST_PAGE
    assert document.warc and document.warc.size > 0
