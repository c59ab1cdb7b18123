"""Import a project archive (see ``exchange.exports.archive``).

Everything is checked before anything is written: the size of the
expanded archive; for a BagIt bag (format 2) its one top-level directory,
member names (no links, no climbing paths), the Ed25519 signature of its tag
manifest when present, then the ``bagit`` library's validation (every
payload and tag file against its manifest, nothing unlisted in ``data/``);
for a format-1 zip the manifest's format and the SHA-256 of every member;
then the history chain and each annotation's last recorded state
(``integrity``); and, while writing, every original file
against its document's ``sha256`` and every text against its
``text_sha256``. The whole import is one transaction, and stored files are
removed again if it fails, so a tampered or broken archive leaves nothing
behind.

Ids are mapped: every object gets a new id and every reference (foreign
keys, many-to-many lists, history ``object_id`` and the ids inside history
snapshots) is rewritten to it. History entries of deleted objects get a
fresh id drawn from the table's sequence, so they never collide with a
later object. Users are matched by username; missing ones are created
inactive with no usable password (an administrator activates them).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import bagit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DataError, IntegrityError, connection, models, transaction

from annotations.models import (
    Annotation,
    Comment,
    Suggestion,
    SuggestionDecision,
    Tag,
)
from audit.models import HistoryEntry
from corpus.models import (
    Assignment,
    Document,
    DocumentAnalysis,
    SocialAccount,
    SocialExport,
    SocialPost,
    Source,
    sha256_hex,
)
from exchange.exports.archive import (
    FORMAT,
    FORMAT_VERSION,
    GLOSSA_TAG,
    PAYLOAD_MANIFEST,
    TAG_MANIFEST,
)
from exchange.imports.integrity import IntegrityProblem, check_history
from exchange.signing import PUBLIC_KEY_MEMBER, SIGNATURE_MEMBER, fingerprint, verify
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
from legal.models.claims import RENAMED_CLAIMANT_TYPES
from projects.errors import ApplicationError
from projects.models import Membership, Project, Role

READ_CHUNK = 1 << 16
MAX_MEMBERS = 100_000
ZIP_FORMAT_VERSION = 1  # archives written before they became BagIt bags
# What a bag Glossa writes holds at its top, and the tag files its signed
# tag manifest must cover.
REQUIRED_TAGS = {"bagit.txt", "bag-info.txt", PAYLOAD_MANIFEST, GLOSSA_TAG}
BAG_TOP_LEVEL = REQUIRED_TAGS | {
    "data",
    TAG_MANIFEST,
    SIGNATURE_MEMBER,
    PUBLIC_KEY_MEMBER,
}

# Member name -> model, in the order they must be created.
MEMBERS: list[tuple[str, type[models.Model]]] = [
    ("sources.jsonl", Source),
    ("source_grades.jsonl", SourceGrade),
    ("social_accounts.jsonl", SocialAccount),
    ("documents.jsonl", Document),
    ("analyses.jsonl", DocumentAnalysis),
    ("tags.jsonl", Tag),
    ("frameworks.jsonl", Framework),
    ("criteria.jsonl", Criterion),
    ("elements.jsonl", Element),
    ("annotations.jsonl", Annotation),
    ("comments.jsonl", Comment),
    ("suggestions.jsonl", Suggestion),
    ("blind_decisions.jsonl", SuggestionDecision),
    ("incidents.jsonl", Incident),
    ("claims.jsonl", Claim),
    ("mentions.jsonl", ClaimMention),
    ("quantities.jsonl", ClaimQuantity),
    ("assessments.jsonl", Assessment),
    ("assignments.jsonl", Assignment),
    ("rejections.jsonl", ProposalRejection),
]
# Fields written by auto_now/auto_now_add: restored after the insert.
TIMESTAMPS = (
    "created_at",
    "updated_at",
    "linked_at",
    "assigned_at",
    "decided_at",
    "at",
)
# History object types (bare model names) -> the model whose ids are mapped.
MODELS_BY_TYPE = {
    m._meta.model_name: m
    for m in [Project, Document, Source, Membership, DocumentAnalysis]
    + [model for _, model in MEMBERS]
}


class ArchiveError(ApplicationError):
    """The archive cannot be imported; the message says why."""


def json_rows(name: str, handle: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The objects of a JSON Lines member, each line checked (both archive
    formats read their members through this)."""
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ArchiveError(f"{name}, line {number}: {exc}.") from exc
        if not isinstance(row, dict):
            raise ArchiveError(f"{name}, line {number}: expected an object.")
        yield row


@dataclass
class ArchiveImportResult:
    project: Project
    counts: dict[str, int] = field(default_factory=dict)
    users_created: list[str] = field(default_factory=list)
    # Fingerprint of the key that signed the archive ("" if unsigned).
    signed_by: str = ""


class _IdMaps:
    """Old id -> new id, per model; reserves fresh ids for deleted objects."""

    def __init__(self) -> None:
        self.maps: dict[type[models.Model], dict[int, int]] = {}
        self.reserved: dict[type[models.Model], int] = {}

    def set(self, model: type[models.Model], old: int, new: int) -> None:
        self.maps.setdefault(model, {})[old] = new

    def get(self, model: type[models.Model], old: int | None) -> int | None:
        if old is None:
            return None
        try:
            return self.maps[_concrete(model)][old]
        except KeyError:
            raise ArchiveError(
                f"The archive refers to {model._meta.verbose_name} {old}, "
                "which it does not contain."
            ) from None

    def get_or_reserve(self, model: type[models.Model], old: int | None) -> int | None:
        """Map an id, reserving a never-used one for objects no longer present."""
        if old is None:
            return None
        model = _concrete(model)
        mapping = self.maps.setdefault(model, {})
        if old not in mapping:
            mapping[old] = _reserve_id(model, self.reserved.get(model, 0))
            self.reserved[model] = mapping[old]
        return mapping[old]


def _concrete(model):
    return get_user_model() if model._meta.label == settings.AUTH_USER_MODEL else model


def _reserve_id(model: type[models.Model], last_reserved: int) -> int:
    """An id no row has or will get: PostgreSQL draws it from the sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return cursor.fetchone()[0]
        # SQLite (embedded default only): past the current end; a later insert
        # may reuse it, which PostgreSQL's sequence rules out.
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
        return max(cursor.fetchone()[0], last_reserved) + 1


def _open_zip(source) -> zipfile.ZipFile:
    """The zip, its member count and expanded size checked first."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"This is not a zip archive ({exc}).") from exc
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"The archive has too many members ({len(infos)}).")
    expanded = sum(info.file_size for info in infos)
    if expanded > settings.GLOSSA_MAX_ARCHIVE_BYTES:
        raise ArchiveError(
            f"The archive expands to {expanded} bytes, more than the "
            f"{settings.GLOSSA_MAX_ARCHIVE_BYTES} allowed."
        )
    return zf


def _check_history(archive: _Archive | _BagArchive) -> None:
    try:
        check_history(archive.rows("history.jsonl"), archive.rows("annotations.jsonl"))
    except IntegrityProblem as exc:
        raise ArchiveError(f"{exc.message} Nothing was imported.") from exc


@contextlib.contextmanager
def open_archive(
    source, *, trusted_key: bytes | None = None
) -> Iterator[_Archive | _BagArchive]:
    """The archive in ``source`` (path or binary file), every check made:
    a BagIt bag (format 2) or a zip with ``manifest.json`` (format 1).
    ``trusted_key`` (PEM) pins the key it must be signed with."""
    zf = _open_zip(source)
    archive: _Archive | _BagArchive
    try:
        if "manifest.json" in zf.namelist():
            archive = _Archive(zf, trusted_key=trusted_key)
        else:
            archive = _BagArchive(zf, trusted_key=trusted_key)
    except BaseException:
        zf.close()
        raise
    try:
        _check_history(archive)
        yield archive
    finally:
        archive.close()


class _Archive:
    """Format 1 (before BagIt): a zip with ``manifest.json`` at its root,
    whose every member was checked against the manifest."""

    def __init__(self, zf: zipfile.ZipFile, *, trusted_key: bytes | None) -> None:
        self.zf = zf
        self.manifest = self._manifest()
        self.signed_by = self._signature(trusted_key)
        self._verify()

    def close(self) -> None:
        self.zf.close()

    def _manifest(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self.zf.read("manifest.json"))
        except KeyError:
            raise ArchiveError(
                "manifest.json is missing: not a Glossa archive."
            ) from None
        except (ValueError, zipfile.BadZipFile) as exc:
            raise ArchiveError(f"manifest.json is not valid JSON ({exc}).") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError("manifest.json does not describe a Glossa archive.")
        version = manifest.get("format_version")
        if version != ZIP_FORMAT_VERSION:
            raise ArchiveError(
                f"Archive format version {version!r} is not supported "
                f"(this Glossa reads versions {ZIP_FORMAT_VERSION} and "
                f"{FORMAT_VERSION})."
            )
        if not isinstance(manifest.get("files"), dict):
            raise ArchiveError("manifest.json lists no files.")
        return manifest

    def _signature(self, trusted_key: bytes | None) -> str:
        """Check ``manifest.sig`` when present (or when a key is pinned);
        the fingerprint of the key that signed, or "" for an unsigned archive."""
        names = {info.filename for info in self.zf.infolist()}
        if SIGNATURE_MEMBER not in names:
            if trusted_key is not None:
                raise ArchiveError(
                    "The archive is not signed, but a signing key was required."
                )
            return ""
        if PUBLIC_KEY_MEMBER not in names:
            raise ArchiveError(f"The archive is signed but has no {PUBLIC_KEY_MEMBER}.")
        public = self.zf.read(PUBLIC_KEY_MEMBER)
        try:
            signer = fingerprint(public)
        except ValueError as exc:
            raise ArchiveError(f"{PUBLIC_KEY_MEMBER}: {exc}.") from exc
        if trusted_key is not None and fingerprint(trusted_key) != signer:
            raise ArchiveError(
                f"The archive was signed by key {signer}, not by the key given "
                f"({fingerprint(trusted_key)})."
            )
        if not verify(
            public, self.zf.read("manifest.json"), self.zf.read(SIGNATURE_MEMBER)
        ):
            raise ArchiveError(
                "manifest.sig does not match manifest.json: the archive was "
                "changed after it was signed (a re-hashed manifest cannot be "
                "signed again without the sender's private key)."
            )
        return signer

    def _verify(self) -> None:
        files: dict[str, Any] = self.manifest["files"]
        names = {info.filename for info in self.zf.infolist()} - {
            "manifest.json",
            SIGNATURE_MEMBER,
            PUBLIC_KEY_MEMBER,
        }
        extra = sorted(names - set(files))
        if extra:
            raise ArchiveError(
                f"The archive holds files its manifest does not list: {extra[:5]}."
            )
        missing = sorted(set(files) - names)
        if missing:
            raise ArchiveError(
                f"Files listed in the manifest are missing: {missing[:5]}."
            )
        for name, meta in files.items():
            digest = hashlib.sha256()
            try:
                with self.zf.open(name) as handle:
                    for chunk in iter(functools.partial(handle.read, READ_CHUNK), b""):
                        digest.update(chunk)
            except (zipfile.BadZipFile, OSError) as exc:
                raise ArchiveError(f"{name} cannot be read ({exc}).") from exc
            if not isinstance(meta, dict) or digest.hexdigest() != meta.get("sha256"):
                raise ArchiveError(
                    f"{name} does not match the SHA-256 in the manifest: the "
                    "archive was changed or damaged."
                )

    def rows(self, name: str) -> Iterator[dict[str, Any]]:
        if name not in self.manifest["files"]:
            return
        with self.zf.open(name) as handle:
            yield from json_rows(name, handle)

    def read(self, name: str) -> bytes:
        return self.zf.read(name)


class _BagArchive:
    """Format 2: a BagIt bag, one directory in the zip, unpacked into a
    temporary directory and validated there by the ``bagit`` library after
    its signature is checked."""

    def __init__(self, zf: zipfile.ZipFile, *, trusted_key: bytes | None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="glossa-bag-")
        try:
            with zf:
                self.path = _unpack_bag(zf, Path(self._tmp.name))
            self.signed_by = self._signature(trusted_key)
            bag = self._validated()
            self.manifest = self._glossa_tag()
            prefix = "data" + os.sep
            self.manifest["files"] = {
                name[len(prefix) :].replace(os.sep, "/"): {"sha256": hashes["sha256"]}
                for name, hashes in bag.payload_entries().items()
            }
        except BaseException:
            self._tmp.cleanup()
            raise

    def close(self) -> None:
        self._tmp.cleanup()

    def _tag(self, name: str) -> bytes:
        try:
            return (self.path / name).read_bytes()
        except FileNotFoundError:
            raise ArchiveError(f"The bag has no {name}.") from None

    def _signature(self, trusted_key: bytes | None) -> str:
        """Check the signature of the tag manifest when present (or when a
        key is pinned); the fingerprint of the signing key, "" if unsigned."""
        if not (self.path / SIGNATURE_MEMBER).exists():
            if trusted_key is not None:
                raise ArchiveError(
                    "The archive is not signed, but a signing key was required."
                )
            return ""
        public = self._tag(PUBLIC_KEY_MEMBER)
        try:
            signer = fingerprint(public)
        except ValueError as exc:
            raise ArchiveError(f"{PUBLIC_KEY_MEMBER}: {exc}.") from exc
        if trusted_key is not None and fingerprint(trusted_key) != signer:
            raise ArchiveError(
                f"The archive was signed by key {signer}, not by the key given "
                f"({fingerprint(trusted_key)})."
            )
        if not verify(public, self._tag(TAG_MANIFEST), self._tag(SIGNATURE_MEMBER)):
            raise ArchiveError(
                f"{SIGNATURE_MEMBER} does not match {TAG_MANIFEST}: the bag was "
                "changed after it was signed (re-hashed manifests cannot be "
                "signed again without the sender's private key)."
            )
        return signer

    def _validated(self) -> bagit.Bag:
        """The bag, every hash and the payload's completeness checked."""
        extra = sorted(
            p.name for p in self.path.iterdir() if p.name not in BAG_TOP_LEVEL
        )
        if extra:
            raise ArchiveError(
                f"The bag holds files Glossa does not write at its top: {extra[:5]}."
            )
        listed = {
            line.split(maxsplit=1)[1].strip()
            for line in self._tag(TAG_MANIFEST).decode("utf-8", "replace").splitlines()
            if len(line.split(maxsplit=1)) == 2
        }
        unlisted = sorted(REQUIRED_TAGS - listed)
        if unlisted:
            raise ArchiveError(f"{TAG_MANIFEST} does not cover {unlisted}.")
        try:
            bag = bagit.Bag(str(self.path))
            missing, unlisted_files = bag.compare_manifests_with_fs()
            if missing or unlisted_files:
                raise ArchiveError(
                    "The bag was changed: files missing from data/: "
                    f"{sorted(missing)[:5]}; files in data/ not in its manifest: "
                    f"{sorted(unlisted_files)[:5]}."
                )
            bag.validate(processes=1)
        except bagit.BagValidationError as exc:
            details = "; ".join(str(d) for d in exc.details[:5])
            raise ArchiveError(
                f"The bag does not validate ({exc.message}{': ' if details else ''}"
                f"{details}): it was changed or damaged."
            ) from exc
        except (bagit.BagError, OSError, UnicodeError, ValueError) as exc:
            raise ArchiveError(f"This is not a valid BagIt bag ({exc}).") from exc
        if "sha256" not in bag.algorithms:
            raise ArchiveError("The bag has no SHA-256 manifest.")
        return bag

    def _glossa_tag(self) -> dict[str, Any]:
        try:
            manifest = json.loads(self._tag(GLOSSA_TAG))
        except ValueError as exc:
            raise ArchiveError(f"{GLOSSA_TAG} is not valid JSON ({exc}).") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(f"{GLOSSA_TAG} does not describe a Glossa archive.")
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise ArchiveError(
                f"Archive format version {version!r} is not supported "
                f"(this Glossa reads versions {ZIP_FORMAT_VERSION} and "
                f"{FORMAT_VERSION})."
            )
        return manifest

    def rows(self, name: str) -> Iterator[dict[str, Any]]:
        if name not in self.manifest["files"]:
            return
        with (self.path / "data" / name).open("rb") as handle:
            yield from json_rows(name, handle)

    def read(self, name: str) -> bytes:
        if name not in self.manifest["files"]:
            raise KeyError(name)
        return (self.path / "data" / name).read_bytes()


def _unpack_bag(zf: zipfile.ZipFile, into: Path) -> Path:
    """Extract the bag's one top-level directory under ``into``, refusing
    links, absolute or climbing paths and duplicate names."""
    roots: set[str] = set()
    seen: set[str] = set()
    for info in zf.infolist():
        name = info.filename
        parts = name.rstrip("/").split("/")
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or "\x00" in name
            or any(part in {"", ".", ".."} for part in parts)
            or ":" in parts[0]
        ):
            raise ArchiveError(f"The archive has an unsafe member name: {name!r}.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(f"The archive has a link: {name!r}.")
        if name in seen:
            raise ArchiveError(f"The archive holds {name!r} twice.")
        seen.add(name)
        roots.add(parts[0])
        if len(roots) > 1:
            raise ArchiveError(
                "Not a Glossa archive: a bag is one directory, and this zip has "
                f"several at its top ({sorted(roots)[:3]})."
            )
        if info.is_dir() or len(parts) == 1:
            continue
        target = into.joinpath(*parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source, target.open("xb") as out:
                shutil.copyfileobj(source, out, READ_CHUNK)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiveError(f"{name} cannot be read ({exc}).") from exc
    if not roots or not (into / next(iter(roots)) / "bagit.txt").is_file():
        raise ArchiveError(
            "Not a Glossa archive: neither manifest.json nor a BagIt bag (bagit.txt)."
        )
    return into / next(iter(roots))


def _remap(
    model: type[models.Model], row: dict[str, Any], ids: _IdMaps, *, reserve=False
):
    """Rewrite the foreign keys and many-to-many lists of one row in place."""
    lookup = ids.get_or_reserve if reserve else ids.get
    for f in model._meta.concrete_fields:
        if f.is_relation and f.attname in row:
            related = cast("type[models.Model]", f.related_model)
            row[f.attname] = lookup(related, row[f.attname])
    for f in model._meta.many_to_many:
        if f.name in row and isinstance(row[f.name], list):
            row[f.name] = sorted(lookup(f.related_model, old) for old in row[f.name])
    return row


def _split(model: type[models.Model], row: dict[str, Any]):
    """(fields for the constructor, many-to-many lists, timestamps)."""
    known = {f.attname for f in model._meta.concrete_fields}
    fields = {k: v for k, v in row.items() if k in known and k != "id"}
    m2m = {
        f.name: row[f.name]
        for f in model._meta.many_to_many
        if cast("type[models.Model]", f.remote_field.through)._meta.auto_created
        and f.name in row
    }
    stamps = {k: fields.pop(k) for k in TIMESTAMPS if k in fields}
    return fields, m2m, stamps


def import_archive(
    source,
    *,
    as_slug: str = "",
    owner=None,
    progress: Callable[[int, int], None] | None = None,
    trusted_key: bytes | None = None,
) -> ArchiveImportResult:
    """Import the archive in ``source`` (a path or binary file) as a new project.

    Raises ``ArchiveError`` naming the problem; nothing is written then. A
    signed archive's signature is checked; ``trusted_key`` (PEM) pins the
    key it must be signed with.
    """
    with open_archive(source, trusted_key=trusted_key) as archive:
        return _import_checked(archive, as_slug, owner, progress)


def _import_checked(archive, as_slug, owner, progress) -> ArchiveImportResult:
    saved_files: list = []
    try:
        with transaction.atomic():
            result = _import(archive, as_slug, owner, progress, saved_files)
            result.signed_by = archive.signed_by
            return result
    except (ValidationError, IntegrityError, DataError) as exc:
        _delete(saved_files)
        detail = "; ".join(getattr(exc, "messages", None) or [str(exc)])
        raise ArchiveError(
            f"The archive's data is inconsistent and was not imported: {detail}"
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        _delete(saved_files)
        if isinstance(exc, ArchiveError):
            raise
        raise ArchiveError(
            f"The archive's data is malformed and was not imported ({exc!r})."
        ) from exc
    except BaseException:
        _delete(saved_files)
        raise


def _delete(saved_files) -> None:
    for file in saved_files:
        file.storage.delete(file.name)


def _import(archive: _Archive | _BagArchive, as_slug, owner, progress, saved_files):
    ids = _IdMaps()
    counts = archive.manifest.get("counts") or {}
    total = sum(v for v in counts.values() if isinstance(v, int)) or 1
    done = 0

    def tick(step: int = 1) -> None:
        nonlocal done
        done += step
        if progress and (done % 200 == 0):
            progress(done, total)

    project_rows = list(archive.rows("project.json"))
    if len(project_rows) != 1:
        raise ArchiveError("project.json must hold exactly one project.")
    project_row = project_rows[0]
    slug = as_slug or project_row.get("slug", "")
    if Project.objects.filter(slug=slug).exists():
        raise ArchiveError(
            f"A project with the slug {slug!r} already exists; import it under "
            "another slug (--as-slug)."
        )

    User = get_user_model()
    result_users: list[str] = []
    for row in archive.rows("users.jsonl"):
        username = str(row.get("username") or "")
        if not username:
            raise ArchiveError("users.jsonl has a user without a username.")
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=row.get("first_name", "") or "",
                last_name=row.get("last_name", "") or "",
                email=row.get("email", "") or "",
                is_active=False,
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
            result_users.append(username)
        ids.set(User, row["id"], user.pk)

    fields, _, stamps = _split(Project, _remap(Project, dict(project_row), ids))
    fields["slug"] = slug
    project = Project(**fields)
    project.full_clean()
    project.save()
    Project.objects.filter(pk=project.pk).update(**stamps)
    ids.set(Project, project_row["id"], project.pk)

    for row in archive.rows("memberships.jsonl"):
        fields, _, stamps = _split(Membership, _remap(Membership, row, ids))
        membership = Membership.objects.create(**fields)
        Membership.objects.filter(pk=membership.pk).update(**stamps)
    if owner is not None:
        Membership.objects.update_or_create(
            project=project, user=owner, defaults={"role": Role.OWNER}
        )

    result_counts: dict[str, int] = {}
    later_links: list[tuple[int, dict[str, Any]]] = []
    for name, model in MEMBERS:
        created = 0
        for row in archive.rows(name):
            old_id = row.get("id")
            obj: models.Model
            if model is Document:
                links = {
                    k: row.pop(k, None)
                    for k in ("previous_version_id", "near_duplicate_of_id")
                }
                # The file kept once is not in the archive (see _create_document).
                row["_in_kept_file"] = row.pop("container_id", None) is not None
                obj = _create_document(archive, _remap(model, row, ids), saved_files)
                later_links.append((obj.pk, links))
            else:
                row = _renamed(model, row)
                if model is ProposalRejection:
                    row = _rekeyed(row, ids)
                fields, m2m, stamps = _split(model, _remap(model, row, ids))
                obj = model(**fields)
                obj.full_clean(validate_unique=False, validate_constraints=False)
                obj.save()
                for field_name, values in m2m.items():
                    getattr(obj, field_name).set(values)
                if stamps:
                    model.objects.filter(pk=obj.pk).update(**stamps)  # type: ignore[attr-defined]
            ids.set(model, cast(int, old_id), obj.pk)
            created += 1
            tick()
        result_counts[name.removesuffix(".jsonl")] = created
    for pk, links in later_links:
        update = {k: ids.get(Document, v) for k, v in links.items() if v}
        if update:
            Document.objects.filter(pk=pk).update(**update)
    result_counts.update(_import_social(archive, ids, saved_files, tick))

    history = 0
    for row in archive.rows("history.jsonl"):
        history_model = _history_model(row.get("object_type"))
        if history_model is None:
            # A kind of object this archive format does not carry (recorded by
            # a newer module): keep the entry as it was, ids unmapped.
            object_id, before, after = (
                row["object_id"],
                row.get("before"),
                row.get("after"),
            )
        else:
            object_id = ids.get_or_reserve(history_model, row["object_id"])
            before = _remap_snapshot(history_model, row.get("before"), ids)
            after = _remap_snapshot(history_model, row.get("after"), ids)
        # Values come from the archive as they are: full_clean below refuses
        # missing ones with a message, so None is allowed through here.
        entry = HistoryEntry(  # type: ignore[misc]
            project=project,
            object_type=row.get("object_type"),
            object_id=object_id,
            action=row.get("action"),
            actor_id=ids.get(User, row.get("actor_id")),
            before=before,
            after=after,
        )
        try:
            entry.full_clean(exclude=["project", "actor"])
        except ValidationError as exc:
            raise ArchiveError(f"history.jsonl: {exc.messages[0]}") from exc
        entry.save()
        HistoryEntry.objects.filter(pk=entry.pk).update(at=row["at"])
        history += 1
        tick()
    result_counts["history"] = history
    if progress:
        progress(total, total)
    return ArchiveImportResult(
        project=project, counts=result_counts, users_created=result_users
    )


def _import_social(
    archive: _Archive | _BagArchive, ids: _IdMaps, saved_files, tick
) -> dict[str, int]:
    """Social exports and posts, after the documents they belong to.

    An export's file and each media file a post lists are checked against
    their SHA-256 and stored again (content-addressed, as ingestion stores
    them). A post's id is its document's, and so are its links to other
    posts (reply, quote, thread root), so they map through the documents
    and resolve whatever the order of the rows."""
    counts = {"social_exports": 0, "social_posts": 0}
    for row in archive.rows("social_exports.jsonl"):
        old_id = row.get("id")
        fields, _, _ = _split(SocialExport, _remap(SocialExport, row, ids))
        export = SocialExport(**fields)
        if fields.get("file"):
            export.file.name = _restore_file(
                archive,
                f"social/exports/{export.sha256}",
                export.sha256,
                f"Social export {old_id}",
                saved_files,
            )
        export.full_clean(validate_unique=False, validate_constraints=False)
        export.save()
        ids.set(SocialExport, cast(int, old_id), export.pk)
        counts["social_exports"] += 1
        tick()
    for row in archive.rows("social_posts.jsonl"):
        old_id = row.get("document_id")
        for key in ("document_id", "reply_to_id", "quoted_id", "thread_root_id"):
            row[key] = ids.get(Document, row.get(key))
        row["project_id"] = ids.get(Project, row.get("project_id"))
        row["export_id"] = ids.get(SocialExport, row.get("export_id"))
        media = row.get("media")
        if not isinstance(media, list):
            raise ArchiveError(f"Social post {old_id}: media is not a list.")
        for item in media:
            if isinstance(item, dict) and item.get("sha256") and item.get("file"):
                item["file"] = _restore_file(
                    archive,
                    f"social/media/{item['sha256']}",
                    str(item["sha256"]),
                    f"Social post {old_id}",
                    saved_files,
                )
        fields, _, _ = _split(SocialPost, row)
        post = SocialPost(**fields)
        # Linked posts may come later in the file (the constraint is checked
        # at commit); every one was mapped above, or the import stopped.
        post.full_clean(
            exclude=["reply_to", "quoted", "thread_root"],
            validate_unique=False,
            validate_constraints=False,
        )
        post.save(force_insert=True)
        ids.set(SocialPost, cast(int, old_id), post.pk)
        counts["social_posts"] += 1
        tick()
    return counts


def _restore_file(
    archive: _Archive | _BagArchive, member: str, digest: str, what: str, saved_files
) -> str:
    """Store a content-addressed file of the archive again (checked against
    its SHA-256); its path in storage. One already there is shared, as
    ingestion shares it, and is not removed if the import fails."""
    try:
        data = archive.read(member)
    except KeyError:
        raise ArchiveError(f"{what}: its file {member} is missing.") from None
    if sha256_hex(data) != digest:
        raise ArchiveError(f"{what}: the file {member} does not match its SHA-256.")
    path = f"{member.rsplit('/', 1)[0]}/{digest[:2]}/{digest}"
    if default_storage.exists(path):
        return path
    saved = default_storage.save(path, ContentFile(data))
    saved_files.append(_Stored(saved))
    return saved


@dataclass
class _Stored:
    """A file saved by name (what ``_delete`` removes if the import fails)."""

    name: str
    storage: Any = field(default_factory=lambda: default_storage)


def _history_model(object_type) -> type[models.Model] | None:
    """The model a history entry is about, if the archive carries its objects.

    ``object_type`` is the bare model name (``audit.services.object_type``),
    with no app label: archives written before the split into apps, when
    Claim lived in ``annotations`` and Project in ``corpus``, name the same
    types as today's (tests/exchange/test_archive_before_the_move.py).
    """
    if not isinstance(object_type, str):
        raise ArchiveError("history.jsonl: an entry has no object_type.")
    return MODELS_BY_TYPE.get(object_type)


def _remap_snapshot(model, data, ids: _IdMaps):
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if data.get("id") is not None:
        data["id"] = ids.get_or_reserve(model, data["id"])
    return _remap(model, _renamed(model, data), ids, reserve=True)


def _renamed(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    """Claims written before issue 12 carry the old claimant types: they are
    read as migration legal 0003 renamed them, in rows and history snapshots
    alike, so the imported history stays one continuous chain."""
    old = row.get("claimant_type")
    if model is Claim and isinstance(old, str) and old in RENAMED_CLAIMANT_TYPES:
        row["claimant_type"] = str(RENAMED_CLAIMANT_TYPES[old])
    return row


def _rekeyed(row: dict[str, Any], ids: _IdMaps) -> dict[str, Any]:
    """A rejected incident proposal names claims and incidents by id in its
    key (``legal.incident_proposals``): those ids are mapped like foreign
    keys, so the rejection still matches the proposal it ruled out."""
    key = row.get("key")
    if not isinstance(key, str) or ":" not in key:
        return row
    kind, _, rest = key.partition(":")
    parts = rest.split(":")
    models_of = {"link": (Claim, Incident), "merge": (Incident, Incident)}
    if kind not in models_of or len(parts) != 2 or not all(p.isdigit() for p in parts):
        return row
    found = [ids.get(m, int(p)) for m, p in zip(models_of[kind], parts, strict=True)]
    mapped = [m for m in found if m is not None]
    if kind == "merge":
        mapped.sort()
    if len(mapped) == 2:
        row["key"] = f"{kind}:{mapped[0]}:{mapped[1]}"
    return row


def _create_document(
    archive: _Archive | _BagArchive, row: dict[str, Any], saved_files
) -> Document:
    """Recreate one document, checking its original and text hashes."""
    fields, _, stamps = _split(Document, row)
    original_name = fields.pop("original", "")
    # A record of a file kept once in the exporting project: the archive
    # holds the record's own bytes, which become the document's original.
    if row.get("_in_kept_file"):
        original_name = original_name or "record"
    fields.pop("record_offset", None)
    fields.pop("record_length", None)
    warc_name = fields.pop("warc", "")
    old_id = row.get("id")
    text = fields.get("text") or ""
    if sha256_hex(text) != fields.get("text_sha256"):
        raise ArchiveError(
            f"Document {old_id}: its text does not match its text_sha256."
        )
    document = Document(**fields)
    if original_name:
        member = f"originals/{fields.get('sha256')}"
        try:
            data = archive.read(member)
        except KeyError:
            raise ArchiveError(
                f"Document {old_id}: its original file {member} is missing."
            ) from None
        if sha256_hex(data) != document.sha256:
            raise ArchiveError(
                f"Document {old_id}: the original file does not match its SHA-256."
            )
        document.original.save(
            fields.get("original_name") or "original", ContentFile(data), save=False
        )
        saved_files.append(document.original)
    if warc_name:
        member = f"warc/{old_id}.warc.gz"
        if member in archive.manifest["files"]:
            document.warc.save(
                f"{document.sha256}.warc.gz",
                ContentFile(archive.read(member)),
                save=False,
            )
            saved_files.append(document.warc)
    document.save()
    Document.objects.filter(pk=document.pk).update(**stamps)
    return document
