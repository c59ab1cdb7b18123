"""What a post becomes: the export it came from, its media, its ``SocialRecord``
and its ``Extracted`` document, and a broken record's failure."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from corpus.ingest.base import Extracted, ExtractionError
from corpus.ingest.bulk import RecordError
from corpus.ingest.text import decode_text

VERSION = "1"
# A language the platform states for a post (X's ``lang``, a Note's single
# ``contentMap`` key): kept as given, like a language a person states; X's
# pseudo-codes (und, qme, zxx...) are not languages and are left to detection.
LANG_CODE = re.compile(r"[a-z]{2}", re.ASCII)
X_WRAPPER = re.compile(r"^\s*window\.YTD\.(\w+)\.part(\d+)\s*=\s*", re.ASCII)
STATUS_URL = re.compile(
    r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w+)/status(?:es)?/(\d+)",
    re.ASCII,
)


@dataclass
class ExportFile:
    """The export a post came from; shared by all its posts, stored once."""

    name: str
    platform: str
    data: bytes
    sha256: str = ""

    def __post_init__(self) -> None:
        self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()


@dataclass
class MediaRef:
    """A photo, video or file of a post; ``data`` when the export held it."""

    name: str
    media_type: str = ""
    data: bytes | None = None


@dataclass
class SocialRecord:
    """What a post adds to its document (stored as ``SocialPost``)."""

    platform: str
    post_id: str
    handle: str
    display_name: str
    posted_at: datetime
    url: str
    export: ExportFile
    reply_to: str = ""
    quoted: str = ""
    media: list[MediaRef] = field(default_factory=list)
    export_id: int | None = None
    media_rows: list[dict[str, Any]] = field(default_factory=list)


def new_post(
    *,
    text: str,
    record: Any,
    name: str,
    extractor: str,
    social: SocialRecord,
    extra: dict[str, Any] | None = None,
    language: str = "",
) -> Extracted:
    who = social.display_name or social.handle
    metadata: dict[str, Any] = {
        "social_platform": social.platform,
        "social_post_id": social.post_id,
        "social_handle": social.handle,
    }
    metadata.update(extra or {})
    return Extracted(
        text=text,
        extractor=extractor,
        extractor_version=VERSION,
        # Set by ``each_post``: the record's bytes in the export, or a canonical
        # serialisation when the export could not be streamed.
        original=b"",
        name=name,
        media_type="application/json",
        title=f"{who}: {social.posted_at:%Y-%m-%d %H:%M} UTC"[:500],
        author=who,
        published_at=social.posted_at,
        url=social.url,
        metadata=metadata,
        fields={
            "kind": "social",
            "platform": PLATFORM_LABEL[social.platform],
            **({"language": language} if LANG_CODE.fullmatch(language) else {}),
        },
        social=social,
    )


PLATFORM_LABEL = {"x": "X", "telegram": "Telegram", "mastodon": "Mastodon"}


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def one_post(label: str, build: Callable[[], Extracted]) -> Extracted | RecordError:
    """One record's post, or its failure: a broken record never sinks the
    rest of the export."""
    try:
        return build()
    except RecordError as exc:
        return exc
    except Exception as exc:  # a hostile record is its own failure
        return _record_failure(label, exc)


def _record_failure(label: str, exc: Exception) -> RecordError:
    """Any other exception raised by one record, as that record's failure."""
    if isinstance(exc, UnicodeError):
        return RecordError(
            label,
            f"{label}: the record contains a lone UTF-16 surrogate or another "
            "character that is not valid Unicode (a broken JSON escape); fix it "
            "in the export and upload it again.",
        )
    return RecordError(
        label, f"{label}: the record cannot be read ({exc.__class__.__name__}: {exc})."
    )


def read_json(data: bytes, name: str) -> Any:
    text, _ = decode_text(data)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ExtractionError(f"{name} is not valid JSON ({exc}).") from exc
