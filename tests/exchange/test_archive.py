"""The project archive: export, wipe, import, and compare everything."""

from __future__ import annotations

import io
import json
import shutil
import stat
import zipfile
from collections.abc import Mapping
from typing import Any, TypeVar

import bagit
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotations.models import Annotation, Comment, Suggestion, Tag
from audit.models import HistoryEntry
from corpus.models import Document, sha256_hex
from exchange.exports.archive import write_archive
from exchange.imports.archive import ArchiveError, import_archive
from exchange.signing import (
    PUBLIC_KEY_MEMBER,
    SIGNATURE_MEMBER,
    fingerprint,
    public_key_pem,
    verify,
)
from legal.models import Assessment, Claim
from projects.models import Project

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

T = TypeVar("T")


def export_bytes(project) -> bytes:
    buffer = io.BytesIO()
    write_archive(project, buffer)
    return buffer.getvalue()


def users(ids) -> dict[int, str]:
    return dict(
        get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")
    )


def _present(value: T | None) -> T:
    assert value is not None
    return value


def picture(project: Project) -> dict:
    """Everything that must survive the trip, keyed by natural keys (not ids)."""
    docs = {d.pk: d for d in Document.objects.filter(project=project)}
    doc_key = {pk: d.sha256 for pk, d in docs.items()}
    annotations = list(Annotation.objects.filter(project=project).order_by("pk"))
    ann_key: dict[int | None, tuple[str, int, int, str]] = {
        a.pk: (doc_key[a.document_id], a.start, a.end, a.author.username)
        for a in annotations
    }
    name: dict[int | None, str] = {
        u.pk: u.username for u in get_user_model().objects.all()
    }
    claims = list(Claim.objects.filter(project=project).order_by("created_at", "pk"))
    claim_key = {c.pk: c.proposition for c in claims}

    def history_item(h: HistoryEntry):
        model_keys: dict[str, Mapping[Any, object]] = {
            "annotation": ann_key,
            "claim": claim_key,
        }
        obj = model_keys.get(h.object_type, {}).get(h.object_id, "(gone or other)")
        after = dict(h.after or {})
        before = dict(h.before or {})
        for snap in (after, before):
            # ids inside snapshots must point at the objects of this instance
            if "id" in snap and h.object_type == "annotation" and snap["id"] in ann_key:
                snap["id"] = ann_key[snap["id"]]
            if "claim_id" in snap:
                snap["claim_id"] = claim_key.get(snap["claim_id"])
            if "document_id" in snap:
                snap["document_id"] = doc_key.get(snap["document_id"])
            for field in ("author_id", "created_by_id"):
                if field in snap:
                    snap[field] = name.get(snap[field])
            snap.pop("project_id", None)
            if "tags" in snap:
                snap["tags"] = sorted(
                    Tag.objects.filter(pk__in=snap["tags"]).values_list(
                        "key", flat=True
                    )
                )
            if "id" in snap and not isinstance(snap["id"], tuple):
                snap["id"] = "other"
            snap.pop("element_id", None)
            snap.pop("criterion_id", None)
            snap.pop("sources", None)
        return (h.object_type, obj, h.action, name.get(h.actor_id), h.at, before, after)

    return {
        "project": (project.name, project.description, project.blind_mode),
        "members": sorted(
            (m.user.username, m.role)
            for m in project.memberships.select_related("user")
        ),
        "documents": sorted(
            (
                d.sha256,
                d.text_sha256,
                d.text,
                d.title,
                d.url,
                d.kind,
                d.published_at,
                d.captured_at,
                d.created_at,
                d.source.name if d.source else None,
                d.original_name,
                d.size,
                d.original_sha256() if d.original else None,
                name.get(d.captured_by_id),
            )
            for d in docs.values()
        ),
        "tags": sorted(
            (t.key, t.name, t.colour, t.hotkey, t.order, json.dumps(t.patterns))
            for t in Tag.objects.filter(project=project)
        ),
        "framework": sorted(
            (c.framework.key, c.code, c.title, e.key, e.question, tuple(e.tags))
            for c in _present(project.frameworks.first()).criteria.all()
            for e in c.elements.all()
        ),
        "annotations": sorted(
            (
                ann_key[a.pk],
                a.quote,
                a.prefix,
                a.suffix,
                a.note,
                a.status,
                a.origin,
                a.version,
                a.created_at,
                a.updated_at,
                tuple(sorted(a.tags.values_list("key", flat=True))),
                tuple(
                    sorted(claim_key[c] for c in a.claims.values_list("pk", flat=True))
                ),
            )
            for a in annotations
        ),
        "comments": sorted(
            (ann_key[c.annotation_id], c.author.username, c.body, c.created_at)
            for c in Comment.objects.filter(annotation__project=project)
        ),
        "suggestions": sorted(
            (
                doc_key[s.document_id],
                s.start,
                s.end,
                s.quote,
                s.tag.key,
                s.rule,
                s.confidence,
                s.status,
            )
            for s in Suggestion.objects.filter(project=project)
        ),
        "claims": sorted(
            (
                c.proposition,
                c.claimant,
                c.claimant_type,
                c.kind,
                c.evidence_status,
                c.event_date,
                c.created_by.username,
                c.created_at,
                tuple(sorted(ann_key[a.pk] for a in c.mentions.all())),
                tuple(
                    sorted(
                        (q.value, q.counts, q.bound, ann_key.get(q.annotation_id))
                        for q in c.quantities.all()
                    )
                ),
            )
            for c in claims
        ),
        "assessments": sorted(
            (
                claim_key[a.claim_id],
                str(a.element),
                a.finding,
                a.rationale,
                a.author.username,
                tuple(sorted(ann_key[s.pk] for s in a.sources.all())),
            )
            for a in Assessment.objects.filter(project=project)
        ),
        "history": [
            history_item(h)
            for h in HistoryEntry.objects.filter(project=project).order_by("at", "pk")
        ],
    }


def wipe(media_root) -> None:
    """Make the instance empty: no projects, no users, no stored files."""
    for project in Project.objects.all():
        project.delete()
    get_user_model().objects.all().delete()
    shutil.rmtree(media_root, ignore_errors=True)


def test_archive_round_trip_into_an_empty_database(rich_project, media_root):
    project = rich_project["project"]
    before = picture(project)
    # 7 creates, an update, a delete; and the default tags' creation
    tags = [h for h in before["history"] if h[0] == "tag"]
    assert len(before["history"]) - len(tags) == 9
    assert len(tags) == Tag.objects.filter(project=project).count()
    data = export_bytes(project)
    wipe(media_root)
    assert not Document.objects.exists() and not HistoryEntry.objects.exists()

    result = import_archive(io.BytesIO(data))

    imported = result.project
    assert imported.slug == "strikes"
    assert picture(imported) == before
    assert set(result.users_created) == {"owner", "analyst"}
    assert not get_user_model().objects.get(username="owner").is_active
    # the deleted annotation's history got an id no live annotation has
    gone = HistoryEntry.objects.get(project=imported, action="delete")
    assert not Annotation.objects.filter(pk=gone.object_id).exists()
    assert gone.before is not None
    assert gone.before["id"] == gone.object_id
    # history snapshots point at the imported objects
    for entry in HistoryEntry.objects.filter(
        project=imported, object_type="annotation"
    ):
        if entry.object_id != gone.object_id:
            live = Annotation.objects.get(pk=entry.object_id)
            assert entry.after is not None
            assert entry.after["document_id"] == live.document_id
            assert entry.after["start"] == live.start


def test_archive_imports_beside_the_original_under_another_slug(rich_project):
    project = rich_project["project"]
    data = export_bytes(project)
    result = import_archive(io.BytesIO(data), as_slug="strikes-copy")
    copy = result.project
    assert copy.pk != project.pk
    original, imported = picture(project), picture(copy)
    assert imported == original
    assert result.users_created == []
    with pytest.raises(ArchiveError, match="already exists"):
        import_archive(io.BytesIO(data), as_slug="strikes-copy")


def members(data: bytes) -> tuple[str, dict[str, bytes]]:
    """The bag's directory and its files by path inside it."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        root = names[0].split("/", 1)[0]
        return root, {n.split("/", 1)[1]: zf.read(n) for n in names}


def pack(root: str, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(f"{root}/{name}", content)
    return out.getvalue()


def rehashed(files: dict[str, bytes], *, keep_signature: bool = False):
    """Recompute the payload manifest, Payload-Oxum and tag manifest, as a
    forger editing the bag would; without the private key the signature
    cannot be made again, so it is dropped (or, with ``keep_signature``,
    left as it was)."""
    payload = {n: c for n, c in files.items() if n.startswith("data/")}
    files["manifest-sha256.txt"] = "".join(
        f"{sha256_hex(c)}  {n}\n" for n, c in sorted(payload.items())
    ).encode()
    info = [
        line
        for line in files["bag-info.txt"].decode().splitlines()
        if not line.startswith("Payload-Oxum")
    ]
    info.append(f"Payload-Oxum: {sum(map(len, payload.values()))}.{len(payload)}")
    files["bag-info.txt"] = ("\n".join(info) + "\n").encode()
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "glossa.json"]
    files["tagmanifest-sha256.txt"] = "".join(
        f"{sha256_hex(files[n])}  {n}\n" for n in tags if n in files
    ).encode()
    if not keep_signature:
        files.pop(SIGNATURE_MEMBER)
        files.pop(PUBLIC_KEY_MEMBER)
    return files


def rewrite(
    data: bytes, name: str, change, *, rehash=False, keep_signature=False
) -> bytes:
    """Copy the bag, passing file ``name`` through ``change`` (None drops
    it); ``rehash`` then fixes the manifests as a forger would."""
    root, files = members(data)
    content = change(files[name])
    if content is None:
        del files[name]
    else:
        files[name] = content
    if rehash:
        files = rehashed(files, keep_signature=keep_signature)
    return pack(root, files)


def test_the_archive_is_a_signed_bagit_bag_any_bagit_tool_validates(
    rich_project, tmp_path
):
    project = rich_project["project"]
    data = export_bytes(project)
    root, files = members(data)
    assert root == "glossa-strikes"
    assert files["bagit.txt"].startswith(b"BagIt-Version: 1.0\n")
    info = files["bag-info.txt"].decode()
    assert "External-Identifier: strikes" in info
    assert f"Glossa-Signing-Key: {fingerprint(public_key_pem())}" in info
    assert files[PUBLIC_KEY_MEMBER] == public_key_pem()
    assert {"data/project.json", "data/annotations.jsonl", "data/history.jsonl"} <= set(
        files
    )
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(tmp_path)
    bag = bagit.Bag(str(tmp_path / root))
    bag.validate(processes=1)
    assert bag.algorithms == ["sha256"]
    assert set(bag.payload_entries()) == {n for n in files if n.startswith("data/")}
    # The signature is over the tag manifest, which hashes the payload manifest.
    assert verify(
        public_key_pem(), files["tagmanifest-sha256.txt"], files[SIGNATURE_MEMBER]
    )
    assert (
        f"{sha256_hex(files['manifest-sha256.txt'])}  manifest-sha256.txt"
        in files["tagmanifest-sha256.txt"].decode()
    )


@pytest.mark.parametrize(
    ("member", "change", "rehash", "message"),
    [
        (
            "data/annotations.jsonl",
            lambda b: b.replace(b'"start": 1', b'"start": 2'),
            False,
            r"does not validate.*data/annotations\.jsonl",
        ),
        (
            "glossa.json",
            lambda b: b.replace(b'"format_version": 2', b'"format_version": 9'),
            True,
            "version 9 is not supported",
        ),
        ("glossa.json", lambda b: None, True, r"does not cover.*glossa\.json"),
        ("glossa.json", lambda b: b"{not json", True, "not valid JSON"),
        ("bagit.txt", lambda b: None, True, "neither manifest.json nor a BagIt"),
        (
            "data/extra.txt",
            lambda b: b"smuggled",
            False,
            r"not in its manifest: \['data/extra\.txt'\]",
        ),
        ("fetch.txt", lambda b: b"http://example.org/x 1 data/x\n", False, "fetch"),
    ],
)
def test_tampered_archives_are_refused_and_nothing_is_written(
    rich_project, member, change, rehash, message
):
    data = export_bytes(rich_project["project"])
    if member not in members(data)[1]:
        root, files = members(data)
        files[member] = b""
        data = pack(root, files)
    data = rewrite(data, member, change, rehash=rehash)
    projects = Project.objects.count()
    with pytest.raises(ArchiveError, match=message):
        import_archive(io.BytesIO(data), as_slug="tampered")
    assert Project.objects.count() == projects


def test_one_byte_of_an_original_changed_is_refused(rich_project):
    doc = rich_project["documents"][0]
    data = export_bytes(rich_project["project"])
    name = f"data/originals/{doc.sha256}"
    flipped = rewrite(data, name, lambda b: bytes([b[0] ^ 1]) + b[1:])
    documents = Document.objects.count()
    with pytest.raises(ArchiveError, match=rf"does not validate.*{name}"):
        import_archive(io.BytesIO(flipped), as_slug="flipped")
    assert Document.objects.count() == documents
    assert not Project.objects.filter(slug="flipped").exists()


@pytest.mark.parametrize(
    "name", ["../escape.txt", "/etc/glossa", "glossa-strikes/../../escape.txt"]
)
def test_unsafe_member_names_are_refused(rich_project, name):
    data = export_bytes(rich_project["project"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr(name, b"x")
    with pytest.raises(ArchiveError, match=r"unsafe member name|several at its top"):
        import_archive(io.BytesIO(out.getvalue()), as_slug="unsafe")
    assert not Project.objects.filter(slug="unsafe").exists()


def test_a_link_in_the_bag_is_refused(rich_project):
    data = export_bytes(rich_project["project"])
    root, files = members(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(f"{root}/{name}", content)
        link = zipfile.ZipInfo(f"{root}/data/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(ArchiveError, match="has a link"):
        import_archive(io.BytesIO(out.getvalue()), as_slug="linked")
    assert not Project.objects.filter(slug="linked").exists()


def test_original_replaced_with_matching_manifest_is_still_caught(rich_project):
    """An attacker who also fixes the manifest hash still cannot swap a file."""
    data = export_bytes(rich_project["project"])
    doc = rich_project["documents"][0]
    fake = b"Admiral Korst said nothing of the kind."
    data = rewrite(data, f"data/originals/{doc.sha256}", lambda b: fake, rehash=True)
    before_docs = Document.objects.count()
    with pytest.raises(ArchiveError, match="original file does not match"):
        import_archive(io.BytesIO(data), as_slug="swapped")
    assert Document.objects.count() == before_docs
    assert not Project.objects.filter(slug="swapped").exists()


def test_not_a_zip_is_refused(db):
    with pytest.raises(ArchiveError, match="not a zip"):
        import_archive(io.BytesIO(b"PK\x03\x04 nonsense"))


def test_zip_bomb_limit(rich_project, settings):
    data = export_bytes(rich_project["project"])
    settings.GLOSSA_MAX_ARCHIVE_BYTES = 1000
    with pytest.raises(ArchiveError, match="expands to"):
        import_archive(io.BytesIO(data), as_slug="bomb")


def test_commands_export_and_import_archive(rich_project, tmp_path, capsys):
    path = tmp_path / "strikes.zip"
    call_command("export", project="strikes", format="archive", output=str(path))
    assert zipfile.is_zipfile(path)
    call_command("import_archive", str(path), as_slug="from-cli", owner="owner")
    copy = Project.objects.get(slug="from-cli")
    assert (
        picture(copy)["annotations"] == picture(rich_project["project"])["annotations"]
    )
    assert copy.memberships.get(user__username="owner").role == "owner"
    out = capsys.readouterr().out
    assert "from-cli" in out


def test_consistent_hashes_but_bad_offsets_are_refused(rich_project):
    """Someone who recomputes the manifests still cannot import a span whose
    offset moved."""
    data = export_bytes(rich_project["project"])

    def shift(rows):
        rows[0]["start"] += 1
        return rows

    data = forge(data, "annotations.jsonl", shift)
    with pytest.raises(ArchiveError, match=r"has start .* last recorded state"):
        import_archive(io.BytesIO(data), as_slug="forged")
    assert not Project.objects.filter(slug="forged").exists()


def test_malformed_rows_are_refused(rich_project):
    data = export_bytes(rich_project["project"])

    def alien(rows):
        rows[0]["claimant_type"] = "alien"
        return rows[:1]

    data = forge(data, "claims.jsonl", alien)
    with pytest.raises(ArchiveError, match=r"inconsistent.*claimant_type|alien"):
        import_archive(io.BytesIO(data), as_slug="malformed")
    assert not Project.objects.filter(slug="malformed").exists()


def forge(data: bytes, name: str, change, *, keep_signature=False) -> bytes:
    """Rewrite payload file ``name`` (its JSON rows through ``change``) and
    re-hash the manifests, as someone editing the bag by hand would."""
    return rewrite(
        data,
        f"data/{name}",
        lambda b: "".join(
            json.dumps(r) + "\n"
            for r in change([json.loads(line) for line in b.splitlines()])
        ).encode(),
        rehash=True,
        keep_signature=keep_signature,
    )


def test_offsets_quote_and_prefix_moved_together_are_refused(rich_project):
    """A consistent forgery (the new offsets, quote and prefix all agree with
    the text, the manifest re-hashed) still disagrees with the history."""
    project = rich_project["project"]
    data = export_bytes(project)
    target = rich_project["annotations"][1]  # "has yet to provide evidence"
    text = target.document.text

    def move(rows):
        for row in rows:
            if row["id"] == target.pk:
                start = text.index("provide evidence")
                end = start + len("provide evidence")
                row.update(start=start, end=end, quote=text[start:end])
                row["prefix"] = text[max(0, start - 32) : start]
                row["suffix"] = text[end : end + 32]
        return rows

    forged = forge(data, "annotations.jsonl", move)
    with pytest.raises(
        ArchiveError, match=rf"annotation {target.pk} has (prefix|quote|start)"
    ):
        import_archive(io.BytesIO(forged), as_slug="forged")
    assert not Project.objects.filter(slug="forged").exists()


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("update", "has status 'submitted'.*'draft'.*history entry was dropped"),
        ("create", "does not start with its creation"),
    ],
)
def test_a_dropped_history_entry_is_refused(rich_project, which, message):
    """Dropping an annotation's latest update, or the creation of the
    deleted one, with the manifest re-hashed: refused, nothing written."""
    project = rich_project["project"]
    a2, gone = rich_project["annotations"][1], rich_project["gone_id"]

    def drop(rows):
        if which == "update":
            return [
                r
                for r in rows
                if not (r["object_id"] == a2.pk and r["action"] == "update")
            ]
        return [
            r for r in rows if not (r["object_id"] == gone and r["action"] == "create")
        ]

    forged = forge(export_bytes(project), "history.jsonl", drop)
    entries = HistoryEntry.objects.count()
    with pytest.raises(ArchiveError, match=message):
        import_archive(io.BytesIO(forged), as_slug="gap")
    assert HistoryEntry.objects.count() == entries
    assert not Project.objects.filter(slug="gap").exists()


def test_archives_are_signed_and_a_rehashed_manifest_without_the_key_is_refused(
    rich_project, tmp_path, capsys
):
    project = rich_project["project"]
    data = export_bytes(project)
    files = members(data)[1]
    assert {SIGNATURE_MEMBER, PUBLIC_KEY_MEMBER} <= set(files)
    assert files[PUBLIC_KEY_MEMBER] == public_key_pem()
    result = import_archive(io.BytesIO(data), as_slug="signed")
    assert result.signed_by == fingerprint(public_key_pem())

    # Re-hash the manifests after editing a note, keeping the old signature.
    def edit(rows):
        rows[0]["note"] = "Edited after signing."
        return rows

    tampered = forge(data, "annotations.jsonl", edit, keep_signature=True)
    projects = Project.objects.count()
    with pytest.raises(
        ArchiveError, match=r"manifest\.sig does not match tagmanifest-sha256\.txt"
    ):
        import_archive(io.BytesIO(tampered), as_slug="resigned")
    assert Project.objects.count() == projects
    # Without the signature the forgery is unsigned: refused when the
    # sender's key is required, and caught by the history check anyway.
    unsigned = forge(data, "annotations.jsonl", edit)
    with pytest.raises(ArchiveError, match="not signed, but a signing key"):
        import_archive(
            io.BytesIO(unsigned), as_slug="unsigned", trusted_key=public_key_pem()
        )
    with pytest.raises(ArchiveError, match=r"has note .* last recorded state"):
        import_archive(io.BytesIO(unsigned), as_slug="unsigned")
    assert Project.objects.count() == projects

    # Offline, with no database: the recipient's check.
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    good.write_bytes(data)
    bad.write_bytes(tampered)
    key = tmp_path / "sender.pem"
    key.write_bytes(public_key_pem())
    call_command("verify_archive", str(good), public_key=str(key))
    out = capsys.readouterr().out
    assert f"Signed by key {fingerprint(public_key_pem())}" in out
    assert "Verified:" in out and "2 documents match" in out
    with pytest.raises(CommandError, match=r"NOT VERIFIED: manifest\.sig"):
        call_command("verify_archive", str(bad))
    # A pinned key that is not the signer's is refused even for a good archive.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = tmp_path / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(CommandError, match="not by the key given"):
        call_command("verify_archive", str(good), public_key=str(other))
