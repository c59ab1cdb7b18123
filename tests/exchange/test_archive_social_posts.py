"""Social posts survive a project archive: their rows (account, links to
each other, media by name and hash), the export they came from and their
media files, in a bag whose signature still verifies."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from corpus.ingest import ingest_file
from corpus.models import SocialExport, SocialPost
from exchange.exports.archive import bag_root
from exchange.imports.archive import ArchiveError, import_archive
from exchange.signing import fingerprint, public_key_pem
from tests.corpus.social.conftest import fixture_bytes, zip_of
from tests.exchange.test_archive import export_bytes

pytestmark = pytest.mark.postgres

MEDIA = "x/data/tweets_media/1800000000000000002-FakeMediaKey1.jpg"


def linked(project) -> dict[str, dict]:
    """Each post by its platform id, its links by platform ids too."""
    posts = SocialPost.objects.filter(project=project).select_related(
        "reply_to", "quoted", "thread_root", "export", "document"
    )
    return {
        p.post_id: {
            "handle": p.handle,
            "posted_at": p.posted_at,
            "url": p.url,
            "reply_to": p.reply_to.post_id if p.reply_to else None,
            "reply_to_ref": p.reply_to_ref,
            "quoted": p.quoted.post_id if p.quoted else None,
            "thread_root": p.thread_root.post_id if p.thread_root else None,
            "thread_position": p.thread_position,
            "media": [(m["name"], m["sha256"], m["size"]) for m in p.media],
            "export": p.export.sha256 if p.export else None,
            "document_sha256": p.document.sha256,
        }
        for p in posts
    }


def test_social_posts_round_trip_and_the_signature_verifies(
    project, analyst, media_root, tmp_path, capsys
):
    upload = zip_of("x")
    result = ingest_file(
        project=project, name="twitter.zip", data=upload, user=analyst, analyse=False
    )
    assert len(result.documents) == 5
    before = linked(project)
    data = export_bytes(project)

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    root = bag_root(project)
    digest = hashlib.sha256(fixture_bytes(MEDIA)).hexdigest()
    assert f"{root}/data/social_posts.jsonl" in names
    assert f"{root}/data/social/media/{digest}" in names
    assert f"{root}/data/social/exports/{hashlib.sha256(upload).hexdigest()}" in names

    copy = import_archive(io.BytesIO(data), as_slug="copy")
    assert copy.signed_by == fingerprint(public_key_pem())
    assert copy.counts["social_posts"] == 5 and copy.counts["social_exports"] == 1
    after = linked(copy.project)
    assert after == before
    assert after["1800000000000000002"]["reply_to"] == "1800000000000000001"
    assert after["1800000000000000003"]["thread_position"] == 2
    # New rows, pointing to the copy's own documents and export.
    copied = SocialPost.objects.filter(project=copy.project)
    assert not set(copied.values_list("pk", flat=True)) & {
        p.pk for p in SocialPost.objects.filter(project=project)
    }
    assert {p.document.project_id for p in copied} == {copy.project.pk}
    [export] = SocialExport.objects.filter(project=copy.project)
    assert export.file.read() == upload
    [photo] = copied.get(post_id="1800000000000000002").media
    assert (media_root / photo["file"]).read_bytes() == fixture_bytes(MEDIA)

    # The recipient's offline check of the same bag.
    path, key = tmp_path / "a.zip", tmp_path / "sender.pem"
    path.write_bytes(data)
    key.write_bytes(public_key_pem())
    call_command("verify_archive", str(path), public_key=str(key))
    out = capsys.readouterr().out
    assert f"Signed by key {fingerprint(public_key_pem())}" in out
    assert "Verified:" in out


def test_a_changed_media_file_is_refused(project, analyst, media_root):
    """Re-hashing the bag's manifests after replacing a media file does not
    help: the file no longer matches the hash its post lists."""
    ingest_file(project=project, name="twitter.zip", data=zip_of("x"), user=analyst)
    data = export_bytes(project)
    root = bag_root(project)
    digest = hashlib.sha256(fixture_bytes(MEDIA)).hexdigest()
    member = f"data/social/media/{digest}"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            relative = info.filename.removeprefix(f"{root}/")
            if relative == member:
                body = b"another picture"
            elif relative == "manifest-sha256.txt":
                lines = [
                    f"{hashlib.sha256(b'another picture').hexdigest()}  {member}"
                    if line.endswith(f"  {member}")
                    else line
                    for line in body.decode().splitlines()
                ]
                body = ("\n".join(lines) + "\n").encode()
            if relative in {"manifest.sig", "tagmanifest-sha256.txt"}:
                continue  # unsigned; the tag manifest would not match
            target.writestr(info, body)
    with pytest.raises(ArchiveError) as refused:
        import_archive(io.BytesIO(out.getvalue()), as_slug="forged")
    assert "social/media" in str(refused.value) or "manifest" in str(refused.value)
    assert not SocialPost.objects.filter(project__slug="forged").exists()


def test_posts_rows_are_the_database_rows(project, analyst, media_root):
    ingest_file(project=project, name="twitter.zip", data=zip_of("x"), user=analyst)
    data = export_bytes(project)
    root = bag_root(project)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = [
            json.loads(line)
            for line in archive.read(f"{root}/data/social_posts.jsonl").splitlines()
        ]
    assert len(rows) == 5
    first = next(r for r in rows if r["post_id"] == "1800000000000000002")
    post = SocialPost.objects.get(post_id="1800000000000000002")
    assert first["document_id"] == post.pk
    assert first["reply_to_id"] == post.reply_to_id
    assert first["media"] == post.media
