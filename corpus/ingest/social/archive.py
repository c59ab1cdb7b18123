"""A whole export archive (zip): which platform, its posts file and its media."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Mapping
from functools import partial

from django.conf import settings

from corpus.ingest import archives
from corpus.ingest.base import ExtractionError
from corpus.ingest.social.mastodon import outbox_posts
from corpus.ingest.social.records import ExportFile
from corpus.ingest.social.stream import JS, JSON, Opener, Posts, PostsFile
from corpus.ingest.social.telegram import telegram_posts
from corpus.ingest.social.x import x_posts


def archive_kind(names: set[str]) -> tuple[str, str] | None:
    """(platform, path of the posts file) if these zip members are a social
    export's archive, else None."""
    for path in sorted(names, key=len):
        base = path.rsplit("/", 1)[-1]
        folder = path[: -len(base)]
        if base in {"tweets.js", "tweet.js"} and folder.endswith("data/"):
            return "x", path
        if base == "outbox.json" and f"{folder}actor.json" in names:
            return "mastodon", path
        if base == "result.json" and not folder.count("/") > 1:
            return "telegram", path
    return None


class _ZipMedia(Mapping[str, bytes]):
    """An export archive's media files by path (below ``root``), each read
    from the zip only when a post names it, and not kept afterwards."""

    def __init__(
        self, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], root: str
    ) -> None:
        self.archive = archive
        self.infos = {
            path[len(root) :]: info
            for path, info in infos.items()
            if path.startswith(root)
        }

    def __getitem__(self, key: str) -> bytes:
        info = self.infos[key]
        if info.flag_bits & 0x1 or info.file_size > settings.GLOSSA_MAX_UPLOAD_BYTES:
            raise KeyError(key)  # encrypted or too large: listed, not kept
        with self.archive.open(info) as handle:
            return handle.read()

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)


def extract_archive(
    data: bytes, name: str, budget: archives.Budget | None = None
) -> Posts:
    """A whole export as a zip: its posts, with account and media files.

    The zip's central directory is checked against the archive budget (its
    declared sizes, which bound what ``zipfile`` expands) before anything
    is read; the posts file is then streamed and each media file read when
    its post is reached."""
    budget = budget or archives.Budget.from_settings()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        listed = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise archives.ArchiveRefused(
            f"{name} is a corrupt ZIP archive ({exc})."
        ) from exc
    infos = {
        info.filename: info
        for info in listed
        if not info.is_dir() and not archives._skipped(info.filename)
    }
    found = archive_kind(set(infos))
    if found is None:
        raise ExtractionError(f"{name} is not a known social-media export archive.")
    budget.take_member(name, len(infos))
    budget.take_bytes(name, sum(info.file_size for info in infos.values()))
    limit = settings.GLOSSA_MAX_UPLOAD_BYTES

    def opener(path: str) -> Opener:
        info = infos[path]
        if info.flag_bits & 0x1:
            raise ExtractionError(f"{name}/{path} is encrypted in the archive.")
        if info.file_size > limit:
            raise ExtractionError(
                f"{name}/{path} is too large ({info.file_size:,} bytes; the limit "
                f"is {limit:,} bytes, GLOSSA_MAX_UPLOAD_BYTES)."
            )
        return partial(archive.open, info)

    def posts_file(path: str, media_type: str) -> PostsFile:
        return PostsFile(
            opener(path), f"{name}/{path}", media_type, infos[path].file_size
        )

    def small(path: str) -> bytes | None:
        if path not in infos:
            return None
        with opener(path)() as handle:
            return handle.read()

    platform, posts_path = found
    root = posts_path[: len(posts_path) - len(posts_path.rsplit("/", 1)[-1])]
    if platform == "x":
        root = root.removesuffix("data/")
    export = ExportFile(name=name, platform=platform, data=data)
    if platform == "x":
        account = small(f"{root}data/account.js")
        media = _ZipMedia(archive, infos, f"{root}data/tweets_media/")
        parts = sorted(
            p
            for p in infos
            if p.startswith(f"{root}data/")
            and re.fullmatch(r"tweets?(-part\d+)?\.js", p.rsplit("/", 1)[-1])
        )
        # Each part is checked whole now; their posts come as iterated.
        return itertools.chain.from_iterable(
            [
                x_posts(
                    opener(part),
                    f"{name}/{part}",
                    account=account,
                    media=media,
                    export=export,
                    kept=posts_file(part, JS),
                )
                for part in parts
            ]
        )
    relative = _ZipMedia(archive, infos, root)
    if platform == "mastodon":
        return outbox_posts(
            opener(posts_path),
            f"{name}/{posts_path}",
            actor=small(f"{root}actor.json"),
            media=relative,
            export=export,
            kept=posts_file(posts_path, JSON),
        )
    return telegram_posts(
        opener(posts_path),
        f"{name}/{posts_path}",
        media=relative,
        export=export,
        kept=posts_file(posts_path, JSON),
    )
