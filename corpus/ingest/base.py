"""The shared shape of every extractor's output, and its error.

Each format module exposes ``extract(data: bytes, name: str) -> list[Extracted]``
(a list because feeds, bulk files and archives hold many documents). The
service layer turns each ``Extracted`` into a ``Document``; extractors never
touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class ExtractionError(Exception):
    """The input cannot be turned into a document; ``str()`` says why, for users."""


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


def package_version(name: str) -> str:
    """The installed version of a library, recorded as the extractor version."""
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
