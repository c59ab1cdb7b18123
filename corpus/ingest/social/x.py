"""X (Twitter) archives: ``data/tweets.js`` and ``data/account.js``."""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any

from corpus.ingest.base import Container, Extracted, ExtractionError
from corpus.ingest.bulk import RecordError
from corpus.ingest.social.records import (
    STATUS_URL,
    X_WRAPPER,
    ExportFile,
    MediaRef,
    SocialRecord,
    as_dict,
    new_post,
)
from corpus.ingest.social.stream import (
    JS,
    NotStreamable,
    Opener,
    Posts,
    Records,
    bytes_opener,
    each_post,
    kept_whole,
    stream_array,
    whole,
)
from corpus.ingest.text import decode_text


def _x_records(data: bytes, name: str) -> list[Any]:
    """The array inside ``window.YTD.<kind>.partN = [...]``."""
    text, _ = decode_text(data)
    match = X_WRAPPER.match(text.lstrip("\ufeff"))
    if match is None:
        raise ExtractionError(
            f"{name} does not start with window.YTD.<name>.partN = (an X archive "
            "data file)."
        )
    try:
        records = json.loads(text.lstrip("\ufeff")[match.end() :].rstrip().rstrip(";"))
    except ValueError as exc:
        raise ExtractionError(
            f"{name}: the array after window.YTD.{match.group(1)} is not valid JSON "
            f"({exc})."
        ) from exc
    if not isinstance(records, list):
        raise ExtractionError(f"{name}: window.YTD.{match.group(1)} is not an array.")
    return records


def _x_account(data: bytes | None) -> tuple[str, str]:
    """Handle and display name from ``data/account.js`` (or blanks)."""
    if not data:
        return "", ""
    try:
        records = _x_records(data, "account.js")
        account = records[0]["account"]
        return str(account.get("username") or ""), str(
            account.get("accountDisplayName") or ""
        )
    except (ExtractionError, LookupError, TypeError, AttributeError):
        return "", ""


def _x_date(value: Any) -> datetime | None:
    """X's ``created_at`` ("Wed Oct 10 20:19:24 +0000 2018") or ISO 8601."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else None


def extract_x(
    data: bytes,
    name: str,
    *,
    account: bytes | None = None,
    media: Mapping[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> Posts:
    """Posts of an X archive's ``tweets.js`` (``media``: file name -> bytes
    of ``data/tweets_media/``)."""
    export = export or ExportFile(name=name, platform="x", data=data)
    return x_posts(
        bytes_opener(data),
        name,
        account=account,
        media=media,
        export=export,
        kept=kept_whole(data, name, JS, export),
    )


def x_posts(
    open_: Opener,
    name: str,
    *,
    account: bytes | None,
    media: Mapping[str, bytes] | None,
    export: ExportFile,
    kept: Container | None = None,
) -> Posts:
    """The posts of a ``tweets.js``, read as a stream (the file is checked
    whole now; its posts come as they are iterated). Each post's original
    is its record's bytes in the file, a range of ``kept``."""
    records: Records
    try:
        records, _ = stream_array(open_, x_wrapper=True, spans=True)
    except NotStreamable:
        with open_() as raw:
            records = whole(_x_records(raw.read(), name))
    handle, display = _x_account(account)
    build = partial(
        _x_post,
        handle=handle,
        display=display,
        media=media or {},
        export=export,
        name=name,
    )
    return each_post(records, f"{name.rsplit('/', 1)[-1]} record", build, name, kept)


def _x_post(
    wrapper: Any,
    label: str,
    *,
    handle: str,
    display: str,
    media: Mapping[str, bytes],
    export: ExportFile,
    name: str,
) -> Extracted:
    tweet = wrapper.get("tweet", wrapper) if isinstance(wrapper, dict) else None
    if not isinstance(tweet, dict):
        raise RecordError(label, f"{label}: not a JSON object with a 'tweet'.")
    post_id = str(tweet.get("id_str") or tweet.get("id") or "").strip()
    if not post_id.isdigit():
        raise RecordError(label, f"{label}: no id_str (the post's id).")
    text = tweet.get("full_text", tweet.get("text"))
    if not isinstance(text, str) or not text.strip():
        raise RecordError(label, f"{label}: no full_text.")
    posted = _x_date(tweet.get("created_at"))
    if posted is None:
        raise RecordError(
            label,
            f"{label}: created_at {str(tweet.get('created_at'))[:60]!r} is not a "
            "date with a time zone.",
        )
    user = as_dict(tweet.get("user"))
    who = handle or str(user.get("screen_name") or "")
    shown = display or str(user.get("name") or "")
    url = (
        f"https://x.com/{who}/status/{post_id}"
        if who
        else (f"https://x.com/i/web/status/{post_id}")
    )
    quoted = str(tweet.get("quoted_status_id_str") or "")
    entities = as_dict(tweet.get("entities"))
    if not quoted:
        for link in entities.get("urls") or []:
            if isinstance(link, dict):
                found = STATUS_URL.match(str(link.get("expanded_url") or ""))
                if found and found.group(2) != post_id:
                    quoted = found.group(2)
                    break
    listed = (as_dict(tweet.get("extended_entities")) or entities).get("media") or []
    refs: list[MediaRef] = []
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict):
            continue
        remote = str(item.get("media_url_https") or item.get("media_url") or "")
        file_name = f"{post_id}-{remote.rsplit('/', 1)[-1]}" if remote else ""
        kept = media.get(file_name)
        refs.append(
            MediaRef(
                name=file_name or str(item.get("id_str") or "media"),
                media_type=mimetypes.guess_type(file_name)[0] or "",
                data=kept,
            )
        )
    social = SocialRecord(
        platform="x",
        post_id=post_id,
        handle=who,
        display_name=shown,
        posted_at=posted,
        url=url,
        export=export,
        reply_to=str(tweet.get("in_reply_to_status_id_str") or ""),
        quoted=quoted,
        media=refs,
    )
    extra: dict[str, Any] = {"lang_declared": str(tweet.get("lang") or "")}
    if text.startswith("RT @"):
        extra["repost"] = True
    return new_post(
        text=text,
        record=wrapper,
        name=f"{name} post {post_id}",
        extractor="glossa.social.x",
        social=social,
        extra=extra,
        language=str(tweet.get("lang") or ""),
    )
