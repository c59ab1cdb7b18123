"""Telegram channel exports: ``result.json``."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from corpus.ingest.base import Container, Extracted
from corpus.ingest.bulk import RecordError
from corpus.ingest.social.records import ExportFile, MediaRef, SocialRecord, new_post
from corpus.ingest.social.stream import (
    JSON,
    Opener,
    Posts,
    bytes_opener,
    each_post,
    kept_whole,
    root_array,
)


def _telegram_text(value: Any) -> str | None:
    """A message's text: a string, or a list of strings and entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            else:
                return None
        return "".join(parts)
    return None


def extract_telegram(
    data: bytes,
    name: str,
    *,
    media: Mapping[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> Posts:
    """Posts of a Telegram channel export (``media``: relative path -> bytes)."""
    export = export or ExportFile(name=name, platform="telegram", data=data)
    return telegram_posts(
        bytes_opener(data),
        name,
        media=media,
        export=export,
        kept=kept_whole(data, name, JSON, export),
    )


def telegram_posts(
    open_: Opener,
    name: str,
    *,
    media: Mapping[str, bytes] | None,
    export: ExportFile,
    kept: Container | None = None,
) -> Posts:
    """The posts of a ``result.json``, read as a stream (see ``x_posts``)."""
    messages, channel = root_array(open_, name, "messages", "a Telegram export")
    build = partial(
        _telegram_post,
        channel_id=str(channel.get("id") or "").strip(),
        title=str(channel.get("name") or ""),
        media=media or {},
        export=export,
        name=name,
    )
    return each_post(
        messages,
        f"{name.rsplit('/', 1)[-1]} message",
        build,
        name,
        kept,
        # Joins, pins, title changes: not posts.
        skip=lambda m: isinstance(m, dict) and m.get("type") == "service",
    )


def _telegram_post(
    message: Any,
    label: str,
    *,
    channel_id: str,
    title: str,
    media: Mapping[str, bytes],
    export: ExportFile,
    name: str,
) -> Extracted:
    if not isinstance(message, dict):
        raise RecordError(label, f"{label}: not a JSON object.")
    post_id = str(message.get("id") or "").strip()
    if not post_id.lstrip("-").isdigit():
        raise RecordError(label, f"{label}: no id.")
    label = f"{label} (id {post_id})"
    text = _telegram_text(message.get("text"))
    if text is None:
        raise RecordError(label, f"{label}: text is neither a string nor a list.")
    if not text.strip():
        raise RecordError(label, f"{label}: no text (a post of media only).")
    posted: datetime | None = None
    unix = message.get("date_unixtime")
    if unix not in (None, ""):
        try:
            posted = datetime.fromtimestamp(int(str(unix)), tz=UTC)
        except (ValueError, OverflowError, OSError):
            posted = None
    if posted is None:
        raise RecordError(
            label, f"{label}: no date_unixtime (date alone has no time zone)."
        )
    handle = str(
        message.get("from_id") or (f"channel{channel_id}" if channel_id else "")
    )
    digits = channel_id.removeprefix("channel")
    url = f"https://t.me/c/{digits}/{post_id}" if digits.isdigit() else ""
    refs: list[MediaRef] = []
    for key in ("photo", "file"):
        path = message.get(key)
        if isinstance(path, str) and path and not path.startswith("(File not"):
            refs.append(
                MediaRef(
                    name=path,
                    media_type=str(message.get("mime_type") or "")
                    or mimetypes.guess_type(path)[0]
                    or "",
                    data=media.get(path),
                )
            )
    reply = message.get("reply_to_message_id")
    social = SocialRecord(
        platform="telegram",
        post_id=post_id,
        handle=handle,
        display_name=str(message.get("from") or title),
        posted_at=posted,
        url=url,
        export=export,
        reply_to=str(reply) if reply not in (None, "") else "",
        media=refs,
    )
    extra: dict[str, Any] = {}
    if message.get("forwarded_from"):
        extra["forwarded_from"] = str(message["forwarded_from"])[:300]
    return new_post(
        text=text,
        record=message,
        name=f"{name} message {post_id}",
        extractor="glossa.social.telegram",
        social=social,
        extra=extra,
    )
