"""Which extractor a file needs: decided by its content first, its name second.

A name can lie (``report.pdf`` that is really an HTML page, a renamed
executable); the bytes cannot. ``sniff`` returns a format key from
``FORMATS`` or raises ``ExtractionError`` with a reason a user can act on.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
import zipfile
from pathlib import PurePosixPath

from corpus.ingest.base import ExtractionError

FORMATS = (
    "text",
    "markdown",
    "html",
    "pdf",
    "docx",
    "feed",
    "jsonl",
    "csv",
    "zip",
    "tar",
    "x_tweets",
    "telegram",
    "activitypub",
    "social_zip",
)

# Extension -> the format a user means by it.
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".zip": "zip",
    ".tar": "tar",
    ".tgz": "tar",
    ".gz": "tar",
}

# Binary formats recognised only to refuse them with a helpful reason.
REFUSED_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (
        b"\xd0\xcf\x11\xe0",
        "a legacy Microsoft Office file (.doc/.xls); save it as DOCX",
    ),
    (b"Rar!", "a RAR archive (use zip or tar)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive (use zip or tar)"),
    (b"ID3", "an audio file"),
    (b"OggS", "an audio or video file"),
    (b"\x00\x00\x00", "a binary file (video or other)"),
]

MEDIA_TYPES = {
    "text": "text/plain",
    "markdown": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "feed": "application/rss+xml",
    "jsonl": "application/jsonl",
    "csv": "text/csv",
    "zip": "application/zip",
    "tar": "application/x-tar",
    "x_tweets": "application/javascript",
    "telegram": "application/json",
    "activitypub": "application/activity+json",
    "social_zip": "application/zip",
}

_TELEGRAM_TYPE = re.compile(
    r'"type"\s*:\s*"(?:public|private)_(?:channel|supergroup|group)"'
    r'|"type"\s*:\s*"(?:personal_chat|bot_chat|saved_messages)"'
)


def social_format(text: str) -> str | None:
    """``x_tweets``, ``telegram`` or ``activitypub`` if the start of a text
    file is such an export, else None (by content, whatever the name)."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("window.YTD."):
        kind = start[len("window.YTD.") :].split(".", 1)[0]
        if kind in {"tweets", "tweet"}:
            return "x_tweets"
        raise ExtractionError(
            f"This is an X archive's {kind} file, not its tweets.js; upload "
            "data/tweets.js or the whole archive zip."
        )
    if not start.startswith("{"):
        return None
    head = start[:65536]
    if '"OrderedCollection"' in head and '"orderedItems"' in head:
        return "activitypub"
    if re.search(r'"messages"\s*:\s*\[', head) and _TELEGRAM_TYPE.search(head):
        return "telegram"
    return None


def extension_format(name: str) -> str | None:
    suffix = PurePosixPath(name.lower()).suffix
    return EXTENSIONS.get(suffix)


def sniff(data: bytes, name: str = "") -> str:
    """The format of ``data``; the extension only breaks ties between texts."""
    if not data.strip():
        raise ExtractionError("The file is empty.")
    by_name = extension_format(name)
    head = data[:2048]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n\x00")[:5] == b"%PDF-":
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, by_name)
    if head.startswith(b"\x1f\x8b") or (len(data) > 262 and data[257:262] == b"ustar"):
        if _is_tar(data):
            return "tar"
        raise ExtractionError(
            "The file is compressed (gzip) but is not a tar archive; "
            "upload the file itself or a .tar.gz / .zip archive."
        )
    for magic, what in REFUSED_MAGIC:
        if head.startswith(magic):
            raise ExtractionError(f"Unsupported file type: this is {what}.")
    text = _peek_text(data)
    if text is None:
        expected = f" (its name says {by_name.upper()})" if by_name else ""
        raise ExtractionError(
            f"The file is binary data, not a supported document{expected}."
        )
    start = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    if (
        start.startswith("<?xml")
        or start.startswith("<rss")
        or start.startswith("<feed")
    ):
        if "<rss" in start or "<feed" in start or "<rdf:rdf" in start:
            return "feed"
        if "<html" in start:
            return "html"
        if by_name == "feed":
            return "feed"
        raise ExtractionError(
            "The file is XML but neither an RSS/Atom feed nor an HTML page."
        )
    if (
        start.startswith("<!doctype html")
        or start.startswith("<html")
        or start.startswith("<head")
        or start.startswith("<body")
        or (by_name == "html" and start.startswith("<"))
        or (
            by_name in {None, "text"}
            and "<body" in text[:8192].lower()
            and "</" in text[:8192]
        )
    ):
        return "html"
    social = social_format(text)
    if social is not None:
        return social
    if by_name in {"jsonl", "csv", "markdown", "text"}:
        if by_name == "jsonl" and not start.startswith(("{", "[")):
            raise ExtractionError(
                "The file is named as JSON Lines but does not start with a JSON object."
            )
        return by_name
    if by_name in {"pdf", "docx", "zip", "tar"}:
        raise ExtractionError(
            f"Wrong extension: the name says {by_name.upper()} but the content is "
            "plain text. Rename it to .txt if that is what it is."
        )
    if start.startswith("{"):
        first = start.split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"


def _sniff_zip(data: bytes, by_name: str | None) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        what = "DOCX" if by_name == "docx" else "ZIP"
        raise ExtractionError(
            f"Corrupt {what} file: the ZIP container cannot be read ({exc})."
        ) from exc
    with archive:
        if "word/document.xml" in names:
            return "docx"
        if by_name == "docx" or "[Content_Types].xml" in names:
            raise ExtractionError(
                "Corrupt or unsupported DOCX: word/document.xml is missing "
                "(only Word .docx documents are supported among Office files)."
            )
        if _is_social_zip(archive, names):
            return "social_zip"
    return "zip"


def _is_social_zip(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """An X, Telegram or Mastodon export archive: its posts file is where
    the platform puts it and its first bytes say so."""
    from corpus.ingest.social import archive_kind

    found = archive_kind(names)
    if found is None:
        return False
    try:
        with archive.open(found[1]) as handle:
            head = handle.read(65536)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False
    text = _peek_text(head)
    try:
        return text is not None and social_format(text) is not None
    except ExtractionError:
        return False


def _is_tar(data: bytes) -> bool:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            archive.next()
        return True
    except (tarfile.TarError, OSError, EOFError):
        return False


def _peek_text(data: bytes) -> str | None:
    """Decoded start of the file, or None if it looks like binary data."""
    from corpus.ingest.text import decode_text

    try:
        text, _ = decode_text(data[:65536], partial=len(data) > 65536)
    except ExtractionError:
        return None
    return text
