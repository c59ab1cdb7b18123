"""Mastodon / ActivityPub account archives: ``outbox.json``."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from corpus.ingest.base import Container, Extracted, ExtractionError
from corpus.ingest.bulk import RecordError
from corpus.ingest.social.records import (
    ExportFile,
    MediaRef,
    SocialRecord,
    as_dict,
    new_post,
)
from corpus.ingest.social.stream import (
    JSON,
    Opener,
    Posts,
    bytes_opener,
    each_post,
    kept_whole,
    root_array,
)
from corpus.ingest.text import decode_text


def html_to_text(content: str) -> str:
    """A Note's HTML as plain text: sanitised (``nh3``: no script, style or
    attributes survive), paragraphs as blank lines, ``<br>`` as line breaks."""
    import html as html_lib

    import nh3

    clean = nh3.clean(content, tags={"p", "br"}, attributes={}, strip_comments=True)
    clean = re.sub(r"<br\s*/?>", "\n", clean, flags=re.IGNORECASE)
    clean = re.sub(r"</p>\s*<p>", "\n\n", clean, flags=re.IGNORECASE)
    clean = re.sub(r"</?p>", "", clean, flags=re.IGNORECASE)
    return html_lib.unescape(clean).strip()


def _actor_handle(actor: Any) -> tuple[str, str]:
    """``name@server`` and display name of an actor (a URL or an object)."""
    if isinstance(actor, dict):
        url = str(actor.get("id") or actor.get("url") or "")
        user = str(actor.get("preferredUsername") or "")
        host = urlsplit(url).hostname or ""
        if user and host:
            return f"{user}@{host}", str(actor.get("name") or "")
        actor = url
    if isinstance(actor, str) and actor:
        parts = urlsplit(actor)
        user = parts.path.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
        if user and parts.hostname:
            return f"{user}@{parts.hostname}", ""
    return "", ""


NOT_POSTS = {"Announce", "Like", "Follow", "Delete", "Undo"}
"""Activities of an outbox that are not the account's posts (boosts...)."""


def extract_outbox(
    data: bytes,
    name: str,
    *,
    actor: bytes | None = None,
    media: Mapping[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> Posts:
    """Posts of an ActivityPub outbox (``actor``: ``actor.json``'s bytes)."""
    export = export or ExportFile(name=name, platform="mastodon", data=data)
    return outbox_posts(
        bytes_opener(data),
        name,
        actor=actor,
        media=media,
        export=export,
        kept=kept_whole(data, name, JSON, export),
    )


def outbox_posts(
    open_: Opener,
    name: str,
    *,
    actor: bytes | None,
    media: Mapping[str, bytes] | None,
    export: ExportFile,
    kept: Container | None = None,
) -> Posts:
    """The posts of an ``outbox.json``, read as a stream (see ``x_posts``)."""
    items, _ = root_array(open_, name, "orderedItems", "an ActivityPub outbox")
    handle, display = "", ""
    if actor:
        try:
            handle, display = _actor_handle(json.loads(decode_text(actor)[0]))
        except (ValueError, ExtractionError):
            handle, display = "", ""
    build = partial(
        _outbox_post,
        handle=handle,
        display=display,
        media=media or {},
        export=export,
        name=name,
    )
    return each_post(
        items,
        f"{name.rsplit('/', 1)[-1]} item",
        build,
        name,
        kept,
        skip=lambda a: isinstance(a, dict) and a.get("type") in NOT_POSTS,
    )


def _outbox_post(
    activity: Any,
    label: str,
    *,
    handle: str,
    display: str,
    media: Mapping[str, bytes],
    export: ExportFile,
    name: str,
) -> Extracted:
    if not isinstance(activity, dict):
        raise RecordError(label, f"{label}: not a JSON object.")
    if activity.get("type") != "Create":
        raise RecordError(
            label, f"{label}: a {str(activity.get('type'))[:40]} activity, not Create."
        )
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") not in {"Note", "Article"}:
        raise RecordError(label, f"{label}: the object is not a Note.")
    post_id = str(note.get("id") or "").strip()
    if not post_id:
        raise RecordError(label, f"{label}: the Note has no id.")
    content = note.get("content")
    if not isinstance(content, str) or not content.strip():
        raise RecordError(label, f"{label}: the Note has no content.")
    text = html_to_text(content)
    summary = note.get("summary")
    if isinstance(summary, str) and summary.strip():
        text = f"{html_to_text(summary)}\n\n{text}"
    if not text.strip():
        raise RecordError(label, f"{label}: the Note's content has no text.")
    posted = parse_aware(note.get("published") or activity.get("published"))
    if posted is None:
        raise RecordError(label, f"{label}: published is not a date with a time zone.")
    who, shown = handle, display
    if not who:
        who, shown = _actor_handle(note.get("attributedTo") or activity.get("actor"))
    url = note.get("url")
    if isinstance(url, list):
        url = next((u for u in url if isinstance(u, str)), "")
    url = str(url or post_id)
    if not url.startswith(("http://", "https://")):
        url = ""
    refs: list[MediaRef] = []
    attachments = note.get("attachment") or []
    for item in attachments if isinstance(attachments, list) else []:
        if not isinstance(item, dict):
            continue
        path = str(item.get("url") or "")
        key = path.lstrip("/")
        refs.append(
            MediaRef(
                name=key or str(item.get("name") or "attachment")[:200],
                media_type=str(item.get("mediaType") or ""),
                data=media.get(key),
            )
        )
    content_map = as_dict(note.get("contentMap"))
    reply = note.get("inReplyTo")
    quoted = note.get("quoteUrl") or note.get("quote") or note.get("_misskey_quote")
    social = SocialRecord(
        platform="mastodon",
        post_id=post_id[:200],
        handle=who,
        display_name=shown,
        posted_at=posted,
        url=url[:2000],
        export=export,
        reply_to=str(reply)[:200] if isinstance(reply, str) else "",
        quoted=str(quoted)[:200] if isinstance(quoted, str) else "",
        media=refs,
    )
    return new_post(
        text=text,
        record=activity,
        name=f"{name} {label.rsplit(' ', 2)[-2]} {label.rsplit(' ', 1)[-1]}",
        extractor="glossa.social.activitypub",
        social=social,
        language=next(iter(content_map)) if len(content_map) == 1 else "",
        extra={"content_html_sha256": hashlib.sha256(content.encode()).hexdigest()},
    )


def parse_aware(value: Any) -> datetime | None:
    """An ISO-8601 date that states its time zone, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
