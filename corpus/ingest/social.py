"""Official social-media exports: one document per post.

Three exports, recognised by content (``detect.social_format``):

- an X (Twitter) archive's ``data/tweets.js`` (``window.YTD.tweets.part0 =
  [...]``; older archives say ``tweet``), alone or as the whole archive
  zip, whose ``data/account.js`` names the account and whose
  ``data/tweets_media/`` holds the media (kept as originals);
- a Telegram channel export ``result.json`` (``name``, ``type``, ``id``,
  ``messages``; a message's ``text`` is a string or a list of strings and
  entities), alone or zipped with its ``photos/`` and ``files/``;
- a Mastodon / ActivityPub outbox ``outbox.json`` (an ``OrderedCollection``
  of ``Create`` activities whose object is a ``Note`` with HTML
  ``content``), alone or as the account archive zip with ``actor.json`` and
  ``media_attachments/``.

Each post becomes an ``Extracted`` whose original is its own record (as for
JSON Lines) and whose ``social`` carries a ``SocialRecord``: the export's
bytes (kept once, ``SocialExport``), the account, reply, quote and media.
A record that cannot be a post fails alone, named ("tweets.js record 17: no
full_text"); the others go in.
"""

from __future__ import annotations

import hashlib
import io
import json
import mimetypes
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from corpus.ingest import archives
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


def _post(
    *,
    text: str,
    record: Any,
    name: str,
    extractor: str,
    social: SocialRecord,
    extra: dict[str, Any] | None = None,
    language: str = "",
) -> Extracted:
    original = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
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
        original=original,
        name=name,
        media_type="application/json",
        title=f"{who}: {social.posted_at:%Y-%m-%d %H:%M} UTC"[:500],
        author=who,
        published_at=social.posted_at,
        url=social.url,
        metadata=metadata,
        fields={
            "kind": "social",
            "platform": _PLATFORM_LABEL[social.platform],
            **({"language": language} if LANG_CODE.fullmatch(language) else {}),
        },
        social=social,
    )


_PLATFORM_LABEL = {"x": "X", "telegram": "Telegram", "mastodon": "Mastodon"}


def _dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _one_post(label: str, build: Callable[[], Extracted]) -> Extracted | RecordError:
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


def _json(data: bytes, name: str) -> Any:
    text, _ = decode_text(data)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ExtractionError(f"{name} is not valid JSON ({exc}).") from exc


# --- X (Twitter) --------------------------------------------------------------


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
    media: dict[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> list[Extracted | RecordError]:
    """Posts of an X archive's ``tweets.js`` (``media``: file name -> bytes
    of ``data/tweets_media/``)."""
    records = _x_records(data, name)
    export = export or ExportFile(name=name, platform="x", data=data)
    handle, display = _x_account(account)
    base = name.rsplit("/", 1)[-1]
    out: list[Extracted | RecordError] = []
    for number, wrapper in enumerate(records, start=1):
        label = f"{base} record {number}"
        out.append(
            _one_post(
                label,
                partial(
                    _x_post, wrapper, label, handle, display, media or {}, export, name
                ),
            )
        )
    if not out:
        raise ExtractionError(f"{name} holds no posts.")
    return out


def _x_post(
    wrapper: Any,
    label: str,
    handle: str,
    display: str,
    media: dict[str, bytes],
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
    user = _dict(tweet.get("user"))
    who = handle or str(user.get("screen_name") or "")
    shown = display or str(user.get("name") or "")
    url = (
        f"https://x.com/{who}/status/{post_id}"
        if who
        else (f"https://x.com/i/web/status/{post_id}")
    )
    quoted = str(tweet.get("quoted_status_id_str") or "")
    entities = _dict(tweet.get("entities"))
    if not quoted:
        for link in entities.get("urls") or []:
            if isinstance(link, dict):
                found = STATUS_URL.match(str(link.get("expanded_url") or ""))
                if found and found.group(2) != post_id:
                    quoted = found.group(2)
                    break
    listed = (_dict(tweet.get("extended_entities")) or entities).get("media") or []
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
    return _post(
        text=text,
        record=wrapper,
        name=f"{name} post {post_id}",
        extractor="glossa.social.x",
        social=social,
        extra=extra,
        language=str(tweet.get("lang") or ""),
    )


# --- Telegram ------------------------------------------------------------------


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
    media: dict[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> list[Extracted | RecordError]:
    """Posts of a Telegram channel export (``media``: relative path -> bytes)."""
    channel = _json(data, name)
    if not isinstance(channel, dict) or not isinstance(channel.get("messages"), list):
        raise ExtractionError(f"{name} is not a Telegram export (no messages list).")
    export = export or ExportFile(name=name, platform="telegram", data=data)
    channel_id = str(channel.get("id") or "").strip()
    title = str(channel.get("name") or "")
    base = name.rsplit("/", 1)[-1]
    out: list[Extracted | RecordError] = []
    for number, message in enumerate(channel["messages"], start=1):
        label = f"{base} message {number}"
        if isinstance(message, dict) and message.get("type") == "service":
            continue  # joins, pins, title changes: not posts
        out.append(
            _one_post(
                label,
                partial(
                    _telegram_post,
                    message,
                    label,
                    channel_id,
                    title,
                    media or {},
                    export,
                    name,
                ),
            )
        )
    if not out:
        raise ExtractionError(f"{name} holds no posts.")
    return out


def _telegram_post(
    message: Any,
    label: str,
    channel_id: str,
    title: str,
    media: dict[str, bytes],
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
    return _post(
        text=text,
        record=message,
        name=f"{name} message {post_id}",
        extractor="glossa.social.telegram",
        social=social,
        extra=extra,
    )


# --- Mastodon / ActivityPub --------------------------------------------------------


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


def extract_outbox(
    data: bytes,
    name: str,
    *,
    actor: bytes | None = None,
    media: dict[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> list[Extracted | RecordError]:
    """Posts of an ActivityPub outbox (``actor``: ``actor.json``'s bytes)."""
    outbox = _json(data, name)
    if not isinstance(outbox, dict) or not isinstance(outbox.get("orderedItems"), list):
        raise ExtractionError(
            f"{name} is not an ActivityPub outbox (no orderedItems list)."
        )
    export = export or ExportFile(name=name, platform="mastodon", data=data)
    handle, display = "", ""
    if actor:
        try:
            handle, display = _actor_handle(json.loads(decode_text(actor)[0]))
        except (ValueError, ExtractionError):
            handle, display = "", ""
    base = name.rsplit("/", 1)[-1]
    out: list[Extracted | RecordError] = []
    for number, activity in enumerate(outbox["orderedItems"], start=1):
        label = f"{base} item {number}"
        if isinstance(activity, dict) and activity.get("type") in {
            "Announce",
            "Like",
            "Follow",
            "Delete",
            "Undo",
        }:
            continue  # boosts and other activities are not the account's posts
        out.append(
            _one_post(
                label,
                partial(
                    _outbox_post,
                    activity,
                    label,
                    handle,
                    display,
                    media or {},
                    export,
                    name,
                ),
            )
        )
    if not out:
        raise ExtractionError(f"{name} holds no posts.")
    return out


def _outbox_post(
    activity: Any,
    label: str,
    handle: str,
    display: str,
    media: dict[str, bytes],
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
    content_map = _dict(note.get("contentMap"))
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
    return _post(
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


# --- Archives ------------------------------------------------------------------------


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


def extract_archive(
    data: bytes, name: str, budget: archives.Budget | None = None
) -> list[Extracted | RecordError]:
    """A whole export as a zip: its posts, with account and media files."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    found = archive_kind(names)
    if found is None:
        raise ExtractionError(f"{name} is not a known social-media export archive.")
    platform, posts_path = found
    root = posts_path[: len(posts_path) - len(posts_path.rsplit("/", 1)[-1])]
    if platform == "x":
        root = root.removesuffix("data/")
    files: dict[str, bytes] = {}
    budget = budget or archives.Budget.from_settings()
    for member, content in archives.zip_members(data, name, budget):
        if isinstance(content, bytes):
            files[member[len(name) + 1 :]] = content
    export = ExportFile(name=name, platform=platform, data=data)
    if platform == "x":
        media_dir = f"{root}data/tweets_media/"
        media = {
            path[len(media_dir) :]: body
            for path, body in files.items()
            if path.startswith(media_dir)
        }
        out: list[Extracted | RecordError] = []
        parts = sorted(
            p
            for p in files
            if p.startswith(f"{root}data/")
            and re.fullmatch(r"tweets?(-part\d+)?\.js", p.rsplit("/", 1)[-1])
        )
        for part in parts:
            out.extend(
                extract_x(
                    files[part],
                    f"{name}/{part}",
                    account=files.get(f"{root}data/account.js"),
                    media=media,
                    export=export,
                )
            )
        return out
    relative = {
        path[len(root) :]: body for path, body in files.items() if path.startswith(root)
    }
    if platform == "mastodon":
        return extract_outbox(
            files[posts_path],
            f"{name}/{posts_path}",
            actor=files.get(f"{root}actor.json"),
            media=relative,
            export=export,
        )
    return extract_telegram(
        files[posts_path], f"{name}/{posts_path}", media=relative, export=export
    )
