"""The full project archive: everything needed to rebuild a project elsewhere.

A zip holding ``manifest.json`` (format name and version, counts, and the
SHA-256 and size of every other member), ``manifest.sig`` and
``signing-key.pub`` (the installation's Ed25519 signature of the manifest
and its public key, ``exchange.signing``), one JSON Lines file per kind of
object, the original files under ``originals/<sha256>`` and WARC captures
under ``warc/``. Rows are the same snapshots the history uses
(``audit.services.snapshot``: concrete fields by attribute name,
foreign keys as ids, many-to-many as id lists), so the archive says exactly
what the database holds. Ids are the exporting instance's; the importer
(``exchange.imports.archive``) maps them to new ones.

The zip is written to a temporary file (constant memory) and streamed out.
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
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import FileField, Model, QuerySet

from annotations.models import Annotation, Comment, Suggestion, Tag
from audit.models import HistoryEntry
from audit.services import snapshot
from corpus.models import Assignment, Document, DocumentAnalysis, Source
from exchange.exports.base import Progress, no_progress
from exchange.signing import PUBLIC_KEY_MEMBER, SIGNATURE_MEMBER, public_key_pem, sign
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
FORMAT_VERSION = 1
READ_CHUNK = 1 << 16


def archive_members(project: Project) -> list[tuple[str, QuerySet]]:
    """Each JSON Lines member and the rows it holds, in dependency order."""
    return [
        ("memberships.jsonl", Membership.objects.filter(project=project)),
        ("sources.jsonl", Source.objects.filter(project=project)),
        ("source_grades.jsonl", SourceGrade.objects.filter(project=project)),
        ("documents.jsonl", Document.objects.filter(project=project)),
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
    """Adds members to the zip and remembers their hashes for the manifest."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.files: dict[str, dict[str, object]] = {}

    def add(self, name: str, chunks: Iterable[bytes]) -> None:
        digest = hashlib.sha256()
        size = 0
        info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=True) as handle:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        self.files[name] = {"sha256": digest.hexdigest(), "size": size}


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
        writer = _Writer(zf)
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
            if document.original:
                with document.original.open("rb") as source:
                    writer.add(
                        f"originals/{document.sha256}",
                        iter(functools.partial(source.read, READ_CHUNK), b""),
                    )
            if document.warc:
                with document.warc.open("rb") as source:
                    writer.add(
                        f"warc/{document.pk}.warc.gz",
                        iter(functools.partial(source.read, READ_CHUNK), b""),
                    )
            done += 1
            progress(done, total)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
            "project": {"slug": project.slug, "name": project.name},
            "counts": counts,
            "files": writer.files,
        }
        manifest_bytes = json.dumps(manifest, indent=2).encode()
        zf.writestr("manifest.json", manifest_bytes)
        # The signature covers the manifest, which covers every member.
        zf.writestr(SIGNATURE_MEMBER, sign(manifest_bytes))
        zf.writestr(PUBLIC_KEY_MEMBER, public_key_pem())
    progress(total, total)
    return manifest


def stream_archive(
    project: Project, *, progress: Progress = no_progress, **_: object
) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as handle:
        write_archive(project, handle, progress)
        handle.seek(0)
        while chunk := handle.read(READ_CHUNK):
            yield chunk
