"""The shared shape of every extractor's output, and its error.

Each format module exposes ``extract(data: bytes, name: str) -> list[Extracted]``
(a list because feeds, bulk files and archives hold many documents). The
service layer turns each ``Extracted`` into a ``Document``; extractors never
touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import IO, Any


class ExtractionError(Exception):
    """The input cannot be turned into a document; ``str()`` says why, for users."""


class Container:
    """A file holding many records (a JSON Lines upload), kept once when its
    records are stored: each record's ``Extracted.span`` is its byte range
    in ``data``. The hash is computed once, on first use."""

    def __init__(self, data: bytes, name: str, media_type: str) -> None:
        self.data = data
        self.name = name
        self.media_type = media_type
        self._sha256 = ""

    @property
    def sha256(self) -> str:
        if not self._sha256:
            import hashlib

            self._sha256 = hashlib.sha256(self.data).hexdigest()
        return self._sha256

    @property
    def size(self) -> int:
        return len(self.data)

    def open(self) -> IO[bytes]:
        """The file's bytes, to be kept (a subclass may stream them)."""
        import io

        return io.BytesIO(self.data)


@dataclass
class Extracted:
    """Text plus metadata extracted from one original.

    ``original`` is the bytes this document's SHA-256 is computed on: the
    uploaded file itself, or for a record inside a feed, bulk file or archive
    the bytes of that record or member (the container's hash is kept in
    ``metadata['container_sha256']``).
    """

    text: str
    extractor: str
    extractor_version: str
    original: bytes = b""
    name: str = ""
    media_type: str = "text/plain"
    title: str = ""
    author: str = ""
    published_at: datetime | None = None
    url: str = ""
    site: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    """Further Document fields (kind, speaker_role, platform...) from records."""
    social: Any = None
    """A post's ``corpus.ingest.social.records.SocialRecord`` (stored as SocialPost)."""
    container: Container | None = None
    """The file kept once that holds this record, when ``original`` is
    exactly ``container.data[span[0]:span[0] + span[1]]``."""
    span: tuple[int, int] | None = None
    """(offset, length) of ``original`` in ``container.data``, in bytes."""


@cache
def package_version(name: str) -> str:
    """The installed version of a library, recorded as the extractor version.

    Cached: reading package metadata costs milliseconds, once per document.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def parse_date(value: Any) -> datetime | None:
    """Best-effort ISO-8601 / RFC-2822 date; naive values are taken as UTC."""
    from datetime import UTC
    from email.utils import parsedate_to_datetime

    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def invalid_text_reason(values: dict[str, Any], *, original: bytes = b"") -> str:
    """Why these extracted values cannot be stored, or "" if they can.

    Checked once, at the boundary between extraction and storage: every
    string (text, fields, metadata, nested) must be encodable as UTF-8,
    which a lone UTF-16 surrogate such as ``\\ud800`` from a JSON escape is
    not, and short fields and metadata must not hold NUL characters, which
    PostgreSQL cannot store (the text itself loses them in normalisation).
    """
    if isinstance(original, bytes) and _plainly_valid(values):
        return ""
    for path, value in _strings(values, ""):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = value[exc.start]
            return (
                f"The {path} contains an invalid character: a lone UTF-16 "
                f"surrogate (U+{ord(bad):04X}) at character {exc.start + 1}. "
                "It usually comes from a broken JSON escape such as "
                f"\\u{ord(bad):04x}; fix or remove it in the source file and "
                "upload it again."
            )
        if path != "text" and "\x00" in value:
            return (
                f"The {path} contains a NUL character (at character "
                f"{value.index(chr(0)) + 1}); remove it and upload again."
            )
    if not isinstance(original, bytes):
        return "The original is not bytes."
    return ""


def _plainly_valid(values: dict[str, Any]) -> bool:
    """The common case of ``invalid_text_reason`` at once: every string
    encodes as UTF-8 and none but the top-level text holds a NUL. False
    sends the caller through the slow path that names the problem."""
    pieces: list[str] = []
    stack: list[Any] = []
    text = ""
    # The top level (the text, the fields) read directly; only nested
    # metadata goes through the walk.
    for key, item in values.items():
        if isinstance(key, str):
            pieces.append(key)
        if isinstance(item, str):
            if key == "text":
                text = item
            else:
                pieces.append(item)
        elif isinstance(item, dict | list | tuple):
            stack.append(item)
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
        elif isinstance(node, dict):
            for key, item in node.items():
                if isinstance(key, str):
                    pieces.append(key)
                stack.append(item)
        elif isinstance(node, list | tuple):
            stack.extend(node)
    joined = "".join(pieces)
    # An ASCII string (known to Python without a scan) always encodes.
    try:
        if not joined.isascii():
            joined.encode("utf-8")
        if not text.isascii():
            text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in joined


def _strings(value: Any, path: str):
    """Every string inside ``value`` with a readable path ("metadata.source")."""
    if isinstance(value, str):
        yield path or "value", value
    elif isinstance(value, dict):
        for key, item in value.items():
            label = str(key)
            if isinstance(key, str):
                yield from _strings(key, f"{path} key" if path else "key")
            yield from _strings(item, f"{path}.{label}" if path else label)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
