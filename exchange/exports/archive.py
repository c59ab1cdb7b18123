"""The full project archive: everything needed to rebuild a project elsewhere.

A BagIt bag (RFC 8493) serialised as a zip with one top-level directory,
``glossa-<slug>/``. Its payload, under ``data/``, holds ``project.json``,
``users.jsonl``, one JSON Lines file per kind of object, the original files
under ``originals/<sha256>``, WARC captures under ``warc/``, and the social
exports and media files of social posts under ``social/exports/<sha256>``
and ``social/media/<sha256>``;
``manifest-sha256.txt`` lists the SHA-256 of every payload file,
``glossa.json`` (format name and version, counts) and ``bag-info.txt``
describe it, and ``tagmanifest-sha256.txt`` hashes those tag files.
``manifest.sig`` is the installation's Ed25519 signature of the tag
manifest (which covers the payload manifest, so the signature covers the
whole bag) and ``signing-key.pub`` its public key (``exchange.signing``).
Any BagIt tool (``bagit.py --validate``) checks the hashes;
``manage.py verify_archive`` also checks the signature and the history.

Rows are the same snapshots the history uses (``audit.services.snapshot``:
concrete fields by attribute name, foreign keys as ids, many-to-many as id
lists), so the archive says exactly what the database holds. Ids are the
exporting instance's; the importer (``exchange.imports.archive``) maps them.

The bag is written straight into the zip, hashing each member as it is
written (one pass, constant memory), then streamed out from a temporary
file. The ``bagit`` library validates bags on import but is not used to
write them: its ``make_bag`` changes the process's working directory, which
a threaded web server cannot allow.
"""

from __future__ import annotations

import functools
import hashlib
import json
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import cast

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import FileField, Model, QuerySet

from annotations.models import (
    Annotation,
    Comment,
    Suggestion,
    SuggestionDecision,
    Tag,
)
from audit.models import HistoryEntry
from audit.services import snapshot
from corpus.models import (
    Assignment,
    Document,
    DocumentAnalysis,
    SocialAccount,
    SocialExport,
    SocialPost,
    Source,
)
from exchange.exports.base import Progress, no_progress
from exchange.signing import (
    PUBLIC_KEY_MEMBER,
    SIGNATURE_MEMBER,
    fingerprint,
    public_key_pem,
    sign,
)
from legal.models import (
    Assessment,
    Claim,
    ClaimMention,
    ClaimQuantity,
    Criterion,
    Element,
    Framework,
    Incident,
    ProposalRejection,
    SourceGrade,
)
from projects.models import Membership, Project

FORMAT = "glossa-archive"
# 1: a zip with manifest.json at its root (still imported); 2: a BagIt bag.
FORMAT_VERSION = 2
READ_CHUNK = 1 << 16
GLOSSA_TAG = "glossa.json"
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
PAYLOAD_MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"


def archive_members(project: Project) -> list[tuple[str, QuerySet]]:
    """Each JSON Lines member and the rows it holds, in dependency order."""
    return [
        ("memberships.jsonl", Membership.objects.filter(project=project)),
        ("sources.jsonl", Source.objects.filter(project=project)),
        ("source_grades.jsonl", SourceGrade.objects.filter(project=project)),
        ("social_accounts.jsonl", SocialAccount.objects.filter(project=project)),
        ("documents.jsonl", Document.objects.filter(project=project)),
        ("social_exports.jsonl", SocialExport.objects.filter(project=project)),
        ("social_posts.jsonl", SocialPost.objects.filter(project=project)),
        ("analyses.jsonl", DocumentAnalysis.objects.filter(document__project=project)),
        ("tags.jsonl", Tag.objects.filter(project=project)),
        ("frameworks.jsonl", Framework.objects.filter(project=project)),
        ("criteria.jsonl", Criterion.objects.filter(framework__project=project)),
        (
            "elements.jsonl",
            Element.objects.filter(criterion__framework__project=project),
        ),
        ("annotations.jsonl", Annotation.objects.filter(project=project)),
        ("comments.jsonl", Comment.objects.filter(annotation__project=project)),
        ("suggestions.jsonl", Suggestion.objects.filter(project=project)),
        (
            "blind_decisions.jsonl",
            SuggestionDecision.objects.filter(suggestion__project=project),
        ),
        ("incidents.jsonl", Incident.objects.filter(project=project)),
        ("claims.jsonl", Claim.objects.filter(project=project)),
        ("mentions.jsonl", ClaimMention.objects.filter(claim__project=project)),
        ("quantities.jsonl", ClaimQuantity.objects.filter(claim__project=project)),
        ("assessments.jsonl", Assessment.objects.filter(project=project)),
        ("assignments.jsonl", Assignment.objects.filter(document__project=project)),
        ("rejections.jsonl", ProposalRejection.objects.filter(project=project)),
        ("history.jsonl", HistoryEntry.objects.filter(project=project)),
    ]


def _user_ids(project: Project) -> set[int]:
    """Every user the archive refers to (members, authors, actors...)."""
    ids: set[int] = set()
    sources: list[tuple[QuerySet, str]] = [
        (Membership.objects.filter(project=project), "user_id"),
        (Document.objects.filter(project=project), "captured_by_id"),
        (Annotation.objects.filter(project=project), "author_id"),
        (Comment.objects.filter(annotation__project=project), "author_id"),
        (Suggestion.objects.filter(project=project), "decided_by_id"),
        (
            SuggestionDecision.objects.filter(suggestion__project=project),
            "annotator_id",
        ),
        (Claim.objects.filter(project=project), "created_by_id"),
        (Incident.objects.filter(project=project), "created_by_id"),
        (SourceGrade.objects.filter(project=project), "graded_by_id"),
        (ProposalRejection.objects.filter(project=project), "rejected_by_id"),
        (ClaimMention.objects.filter(claim__project=project), "linked_by_id"),
        (Assessment.objects.filter(project=project), "author_id"),
        (Assignment.objects.filter(document__project=project), "annotator_id"),
        (Assignment.objects.filter(document__project=project), "assigned_by_id"),
        (HistoryEntry.objects.filter(project=project), "actor_id"),
    ]
    for queryset, field in sources:
        ids.update(queryset.exclude(**{field: None}).values_list(field, flat=True))
    if project.created_by_id:
        ids.add(project.created_by_id)
    return ids


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps only milliseconds; the archive keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def _jsonl(rows: Iterable[dict]) -> Iterator[bytes]:
    for row in rows:
        yield (
            json.dumps(row, cls=ExactJSONEncoder, ensure_ascii=False) + "\n"
        ).encode()


class _Writer:
    """Adds members under the bag's directory and remembers their hashes."""

    def __init__(self, zf: zipfile.ZipFile, root: str) -> None:
        self.zf = zf
        self.root = root
        self.files: dict[str, dict[str, object]] = {}

    def add(self, name: str, chunks: Iterable[bytes]) -> None:
        """A payload file, ``data/<name>``."""
        digest, size = self._write(f"data/{name}", chunks)
        self.files[name] = {"sha256": digest, "size": size}

    def tag(self, name: str, data: bytes) -> str:
        """A tag file at the bag's top; returns its SHA-256."""
        return self._write(name, [data])[0]

    def _write(self, path: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        info = zipfile.ZipInfo(f"{self.root}/{path}", date_time=time.gmtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=True) as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        return digest.hexdigest(), size


def _tag_value(value: str) -> str:
    """One line of bag-info.txt (a project name may hold line breaks)."""
    return " ".join(str(value).split())


def bag_root(project: Project) -> str:
    """The bag's directory name inside the zip."""
    return f"glossa-{project.slug}"


def _rows(queryset: QuerySet) -> Iterator[dict]:
    """Rows shaped like ``snapshot`` but reading many-to-many ids from a
    per-chunk prefetch instead of one query per object."""
    model: type[Model] = queryset.model
    m2m = [
        f.name
        for f in model._meta.many_to_many
        if cast("type[Model]", f.remote_field.through)._meta.auto_created
    ]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    for obj in queryset.order_by("pk").iterator(chunk_size=500):
        row: dict = {}
        for field in model._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if isinstance(field, FileField):
                value = value.name if value else ""
            row[field.attname] = value
        for name in m2m:
            row[name] = sorted(o.pk for o in getattr(obj, name).all())
        yield row


def write_archive(project: Project, handle, progress: Progress = no_progress) -> dict:
    """Write the archive of ``project`` into the binary file ``handle``."""
    members = archive_members(project)
    counts = {name: qs.count() for name, qs in members}
    total = sum(counts.values()) + counts["documents.jsonl"]
    done = 0
    progress(0, total)
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        writer = _Writer(zf, bag_root(project))
        writer.add("project.json", _jsonl([snapshot(project)]))
        users = get_user_model().objects.filter(pk__in=_user_ids(project))
        writer.add(
            "users.jsonl",
            _jsonl(
                {
                    "id": u.pk,
                    "username": u.get_username(),
                    "first_name": u.first_name,
                    "last_name": u.last_name,
                    "email": u.email,
                }
                for u in users.order_by("pk")
            ),
        )
        for name, queryset in members:

            def counted(rows: Iterator[dict]) -> Iterator[dict]:
                nonlocal done
                for row in rows:
                    yield row
                    done += 1
                    if done % 500 == 0:
                        progress(done, total)

            writer.add(name, _jsonl(counted(_rows(queryset))))
        for document in Document.objects.filter(project=project).order_by("pk"):
            member = f"originals/{document.sha256}"
            if document.original and member not in writer.files:
                with document.original.open("rb") as source:
                    writer.add(
                        member,
                        iter(functools.partial(source.read, READ_CHUNK), b""),
                    )
            elif document.has_original and member not in writer.files:
                # A record of a file kept once: its own bytes (their SHA-256 is
                # the document's); its row keeps where it was in that file.
                writer.add(member, iter([document.original_bytes()]))
            if document.warc:
                with document.warc.open("rb") as source:
                    writer.add(
                        f"warc/{document.pk}.warc.gz",
                        iter(functools.partial(source.read, READ_CHUNK), b""),
                    )
            done += 1
            progress(done, total)
        _write_social_files(writer, project)
        exported_at = datetime.now(UTC)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": exported_at.isoformat(),
            "project": {"slug": project.slug, "name": project.name},
            "counts": counts,
        }
        _write_tag_files(writer, manifest, exported_at)
        manifest["files"] = writer.files
    progress(total, total)
    return manifest


def _write_social_files(writer: _Writer, project: Project) -> None:
    """The social exports posts came from (``social/exports/<sha256>``) and
    the media files they held (``social/media/<sha256>``), each once."""
    for export in SocialExport.objects.filter(project=project).order_by("pk"):
        member = f"social/exports/{export.sha256}"
        if export.file and member not in writer.files:
            with export.file.open("rb") as source:
                writer.add(member, _chunks(source))
    posts = SocialPost.objects.filter(project=project).exclude(media=[])
    for media in posts.order_by("pk").values_list("media", flat=True).iterator():
        for item in media if isinstance(media, list) else []:
            digest, path = item.get("sha256"), item.get("file")
            member = f"social/media/{digest}"
            if digest and path and member not in writer.files:
                with default_storage.open(path, "rb") as source:
                    writer.add(member, _chunks(source))


def _chunks(source) -> Iterator[bytes]:
    return iter(functools.partial(source.read, READ_CHUNK), b"")


def _write_tag_files(writer: _Writer, manifest: dict, exported_at: datetime) -> None:
    """The BagIt tag files, the tag manifest over them, and its signature."""
    files = sorted(writer.files.items())
    payload = "".join(f"{meta['sha256']}  data/{name}\n" for name, meta in files)
    oxum_bytes = sum(cast(int, meta["size"]) for meta in writer.files.values())
    public = public_key_pem()
    info = {
        "Bag-Software-Agent": "Glossa",
        "Bagging-Date": exported_at.date().isoformat(),
        "External-Identifier": manifest["project"]["slug"],
        "External-Description": _tag_value(manifest["project"]["name"]),
        "Glossa-Archive-Format": f"{FORMAT} {FORMAT_VERSION}",
        "Glossa-Signing-Key": fingerprint(public),
        "Payload-Oxum": f"{oxum_bytes}.{len(writer.files)}",
    }
    bag_info = "".join(f"{k}: {v}\n" for k, v in info.items()).encode()
    tags = {
        "bagit.txt": BAGIT_TXT,
        "bag-info.txt": bag_info,
        PAYLOAD_MANIFEST: payload.encode(),
        GLOSSA_TAG: json.dumps(manifest, indent=2).encode(),
    }
    hashes = {name: writer.tag(name, data) for name, data in tags.items()}
    tag_manifest = "".join(f"{h}  {name}\n" for name, h in hashes.items()).encode()
    writer.tag(TAG_MANIFEST, tag_manifest)
    # The signature covers the tag manifest, which covers the payload
    # manifest, which covers every payload file.
    writer.tag(SIGNATURE_MEMBER, sign(tag_manifest))
    writer.tag(PUBLIC_KEY_MEMBER, public)


def stream_archive(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as handle:
        write_archive(project, handle, progress)
        handle.seek(0)
        while chunk := handle.read(READ_CHUNK):
            yield chunk
