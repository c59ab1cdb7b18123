"""ZIP and tar archives, read in memory with hard limits (zip bombs refused).

Members are extracted recursively (an archive inside an archive is opened
too, up to ``MAX_DEPTH``). Every byte expanded counts against one budget,
``GLOSSA_MAX_ARCHIVE_BYTES``, shared by all levels, and the number of
members against ``GLOSSA_MAX_ARCHIVE_MEMBERS``; an archive that exceeds
either is refused as a whole, before anything is stored. Declared sizes are
checked first but never trusted: reads stop as soon as the budget is spent.
Nothing is ever written to disk, so member paths cannot escape anywhere.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import dataclass

from django.conf import settings

from corpus.ingest.base import ExtractionError

MAX_DEPTH = 3
SKIPPED_PREFIXES = ("__MACOSX/",)
SKIPPED_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


class ArchiveRefused(ExtractionError):
    """The archive as a whole is refused (bomb, too many members, corrupt)."""


@dataclass
class Budget:
    """Bytes and members still allowed for one top-level archive."""

    bytes_left: int
    members_left: int

    @classmethod
    def from_settings(cls) -> Budget:
        return cls(
            bytes_left=settings.GLOSSA_MAX_ARCHIVE_BYTES,
            members_left=settings.GLOSSA_MAX_ARCHIVE_MEMBERS,
        )

    def take_member(self, archive: str, count: int = 1) -> None:
        self.members_left -= count
        if self.members_left < 0:
            raise ArchiveRefused(
                f"{archive} has too many files (more than "
                f"{settings.GLOSSA_MAX_ARCHIVE_MEMBERS}); "
                "refused as a possible archive bomb."
            )

    def take_bytes(self, archive: str, size: int) -> None:
        self.bytes_left -= size
        if self.bytes_left < 0:
            limit = settings.GLOSSA_MAX_ARCHIVE_BYTES
            raise ArchiveRefused(
                f"{archive} expands to more than {limit:,} bytes "
                "(GLOSSA_MAX_ARCHIVE_BYTES); refused as a possible zip bomb."
            )


def _skipped(member: str) -> bool:
    base = member.rsplit("/", 1)[-1]
    return (
        member.endswith("/")
        or member.startswith(SKIPPED_PREFIXES)
        or base in SKIPPED_NAMES
        or base.startswith("._")
    )


def zip_members(data: bytes, name: str, budget: Budget):
    """Yield (member name, bytes or ExtractionError) for each file in a ZIP."""
    per_file = settings.GLOSSA_MAX_UPLOAD_BYTES
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ArchiveRefused(f"{name} is a corrupt ZIP archive ({exc}).") from exc
    files = [
        info for info in infos if not info.is_dir() and not _skipped(info.filename)
    ]
    # Both limits are checked on the central directory, before extracting
    # anything: a bomb of many tiny members costs nothing to refuse.
    if len(files) > budget.members_left:
        budget.take_member(name, len(files))
    declared = sum(info.file_size for info in files)
    if declared > budget.bytes_left:
        budget.take_bytes(name, declared)
    with archive:
        for info in files:
            budget.take_member(name)
            member = f"{name}/{info.filename}"
            if info.flag_bits & 0x1:
                yield member, ExtractionError("The file is encrypted in the archive.")
                continue
            if info.file_size > per_file:
                yield member, _too_big(info.file_size)
                continue
            try:
                with archive.open(info) as handle:
                    content = _read_capped(handle, name, budget, per_file)
            except ArchiveRefused:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                yield (
                    member,
                    ExtractionError(f"The file is corrupt in the archive ({exc})."),
                )
                continue
            if content is None:
                yield member, _too_big(per_file + 1)
                continue
            yield member, content


def tar_members(data: bytes, name: str, budget: Budget):
    """Yield (member name, bytes or ExtractionError) for each regular file."""
    per_file = settings.GLOSSA_MAX_UPLOAD_BYTES
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveRefused(f"{name} is a corrupt tar archive ({exc}).") from exc
    with archive:
        try:
            for info in archive:
                if not info.isfile() or _skipped(info.name):
                    continue  # directories, links and devices are not documents
                budget.take_member(name)
                member = f"{name}/{info.name}"
                if info.size > per_file:
                    budget.take_bytes(name, 0)
                    yield member, _too_big(info.size)
                    continue
                handle = archive.extractfile(info)
                if handle is None:
                    continue
                content = _read_capped(handle, name, budget, per_file)
                yield member, content if content is not None else _too_big(info.size)
        except ArchiveRefused:
            raise
        except (tarfile.TarError, OSError, EOFError, zlib_error()) as exc:
            raise ArchiveRefused(f"{name} is a corrupt tar archive ({exc}).") from exc


def zlib_error():
    import zlib

    return zlib.error


def _read_capped(handle, archive: str, budget: Budget, per_file: int) -> bytes | None:
    """Read a member in chunks, charging the budget; None if over ``per_file``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(1 << 20)
        if not chunk:
            break
        total += len(chunk)
        budget.take_bytes(archive, len(chunk))
        if total > per_file:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size: int) -> ExtractionError:
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES
    return ExtractionError(
        f"The file is too large ({size:,} bytes; the limit is {limit:,} bytes, "
        "GLOSSA_MAX_UPLOAD_BYTES)."
    )
