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

Each post becomes an ``Extracted`` whose original is its record's exact
bytes in the posts file, a byte range of that file kept once (as for JSON
Lines; see ``_each``), and whose ``social`` carries a ``SocialRecord``: the
export's bytes (kept once, ``SocialExport``), the account, reply, quote and
media.
A record that cannot be a post fails alone, named ("tweets.js record 17: no
full_text"); the others go in.

Exports are read as streams, never loaded whole (``_stream_array``): a first
pass with ``ijson`` (its C backend) checks that the whole file is valid JSON
of the expected shape, so a broken file is refused before any of its posts
is stored, and collects the few top-level values a post needs (a Telegram
channel's id and name); a second pass decodes the posts array one element
at a time with the standard library's decoder (so a post's record is
exactly what ``json.loads`` would give, lone surrogates included), from
strict UTF-8 text that encodes back to the record's bytes. The extractors
are generators: the store takes their posts a chunk at a time, and an
archive's media files are read from the zip only when their post is
reached. A file that the first pass cannot read (not
UTF-8, or not strict JSON) is read the old way, in memory, for its error
message or its posts.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import json
import mimetypes
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import IO, Any, cast
from urllib.parse import urlsplit

import ijson
from django.conf import settings

from corpus.ingest import archives
from corpus.ingest.base import Container, Extracted, ExtractionError
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
        # Set by ``_each``: the record's bytes in the export, or a canonical
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


# --- Streaming ----------------------------------------------------------------

Opener = Callable[[], IO[bytes]]
"""Opens the export's posts file afresh (each pass reads it from the start)."""

Posts = Iterator[Extracted | RecordError]
_READ = 1 << 20
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_VALUE_EVENTS = frozenset(
    {"start_map", "start_array", "string", "number", "boolean", "null"}
)
_SCALAR_EVENTS = frozenset({"string", "number", "boolean", "null"})
X_WRAPPER_BYTES = re.compile(rb"^\s*window\.YTD\.(\w+)\.part(\d+)\s*=\s*", re.ASCII)


class _NotStreamable(Exception):
    """The file is not strict UTF-8 JSON of the expected shape: it is read
    whole instead, which gives the same posts or a precise error."""


class _Body(io.RawIOBase):
    """The JSON inside a posts file: without a UTF-8 byte-order mark, the
    first ``skip`` bytes (X's ``window.YTD... =``) and, for X, the trailing
    blanks and ``;`` after the array (held back until more bytes follow)."""

    def __init__(self, raw: IO[bytes], *, skip: int = 0, trim_tail: bool = False):
        super().__init__()
        self.raw = raw
        self.trim_tail = trim_tail
        head = raw.read(skip + 3)
        self.offset = skip
        """Where the body starts in the file (bytes)."""
        if head.startswith(codecs.BOM_UTF8):
            head = head[3:] + raw.read(3)
            self.offset += 3
        self.pending = head[skip:]
        self.done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        while not self.done and len(self.pending) < size:
            chunk = self.raw.read(max(size, _READ))
            if not chunk:
                self.done = True
                if self.trim_tail:
                    self.pending = self.pending.rstrip(b" \t\r\n;")
                break
            self.pending += chunk
        out = self.pending[:size]
        if self.trim_tail and not self.done:
            # Never hand out a trailing run of blanks and ";": it may be the
            # file's end, which is not JSON.
            kept = len(out.rstrip(b" \t\r\n;"))
            if kept == 0 and out:
                kept = len(out)  # a run longer than the buffer is not the end
            out = out[:kept]
        self.pending = self.pending[len(out) :]
        buffer[: len(out)] = out
        return len(out)

    def close(self) -> None:
        self.raw.close()
        super().close()


def _x_body(open_: Opener) -> IO[bytes]:
    """``tweets.js`` from just after its ``window.YTD.<kind>.partN =``."""
    with open_() as raw:
        head = raw.read(512)
    match = X_WRAPPER_BYTES.match(head.removeprefix(codecs.BOM_UTF8))
    if match is None:
        raise _NotStreamable
    return cast(IO[bytes], _Body(open_(), skip=match.end(), trim_tail=True))


def _scan(stream: IO[bytes], path: str) -> dict[str, Any]:
    """First pass: the whole file is valid JSON whose root is an array
    (``path`` empty) or an object with an array at key ``path``; return the
    root object's scalar values. Raises ``_NotStreamable`` otherwise."""
    found = 0
    top: dict[str, Any] = {}
    try:
        with stream:
            events = ijson.parse(stream)
            first = next(events, None)
            if first is None or first[1] != ("start_map" if path else "start_array"):
                raise _NotStreamable
            for prefix, event, value in events:
                if not path or "." in prefix or event not in _VALUE_EVENTS:
                    continue
                if prefix == path:
                    if event != "start_array":
                        raise _NotStreamable
                    found += 1
                elif event in _SCALAR_EVENTS:
                    top[prefix] = value
    except (ijson.JSONError, UnicodeError, ValueError) as exc:
        raise _NotStreamable from exc
    if path and found != 1:
        raise _NotStreamable  # none, or a duplicate key json.loads would resolve
    return top


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


class _Reader:
    """Second pass: JSON values decoded one at a time from a byte stream by
    the standard library's decoder, with only the current value in memory.

    The stream is decoded as strict UTF-8, so each value's text encodes back
    to exactly the bytes it was read from: ``items(spans=True)`` gives each
    element with those bytes and their offset in the stream (counted as the
    text is consumed, each character once)."""

    def __init__(self, stream: IO[bytes], offset: int = 0) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.at = 0
        self.eof = False
        self.base = 0  # characters dropped from the front of ``text``
        self.mark = 0  # a character position (absolute) ...
        self.mark_byte = offset  # ... and its byte offset in the stream

    def _count_to(self, position: int) -> None:
        """Move the mark to ``position`` (absolute, still in ``text``)."""
        if position > self.mark:
            piece = self.text[self.mark - self.base : position - self.base]
            self.mark_byte += _utf8_length(piece)
            self.mark = position

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(_READ)
        self.eof = not chunk
        self._count_to(self.base + self.at)  # before that text is dropped
        self.base += self.at
        self.text = self.text[self.at :] + self.decoder.decode(chunk, final=self.eof)
        self.at = 0
        return True

    def _next_char(self) -> str:
        while True:
            match = _SPACE.match(self.text, self.at)
            assert match is not None  # the pattern matches the empty string
            self.at = match.end()
            if self.at < len(self.text) or not self._more():
                return self.text[self.at : self.at + 1]

    def _take(self, expected: str) -> str:
        char = self._next_char()
        if char not in expected:
            raise ValueError(f"expected one of {expected!r}, found {char!r}")
        self.at += 1
        return char

    def value(self) -> Any:
        self._next_char()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except ValueError:
                if self._more():
                    continue  # the value goes on past what has been read
                raise
            if end == len(self.text) and self._more():
                continue  # a number may go on
            self.at = end
            return value

    def find_key(self, key: str) -> None:
        """In the root object, move to the value of ``key``."""
        self._take("{")
        while True:
            name = self.value()
            self._take(":")
            if name == key:
                return
            self.value()
            self._take(",")

    def items(self, *, spans: bool = False) -> Iterator[Any]:
        """The elements of the array that starts here, one by one; with
        ``spans``, each as (element, offset, its bytes)."""
        self._take("[")
        if self._next_char() == "]":
            self.at += 1
            return
        while True:
            if not spans:
                yield self.value()
            else:
                self._next_char()
                start = self.base + self.at
                value = self.value()  # drops no text past ``start``
                self._count_to(start)
                offset = self.mark_byte
                raw = self.text[start - self.base : self.at].encode("utf-8")
                self.mark = self.base + self.at
                self.mark_byte += len(raw)
                yield value, offset, raw
            if self._take(",]") == "]":
                return


def _stream_array(
    open_: Opener, path: str = "", *, x_wrapper: bool = False, spans: bool = False
) -> tuple[Iterator[Any], dict[str, Any]]:
    """The elements of the posts array (the root array, or the root object's
    ``path``) as a lazy iterator, and the root object's scalar values.
    With ``spans``, each element comes as (element, offset, bytes): its
    exact bytes in the file and where they start. The file is checked whole
    first (``_scan``), so it is refused before any post is stored. Raises
    ``_NotStreamable`` for what only ``json.loads`` (with the charset
    detection of ``decode_text``) can read or explain."""

    def body() -> _Body:
        if x_wrapper:
            return cast(_Body, _x_body(open_))
        return _Body(open_())

    top = _scan(cast(IO[bytes], body()), path)

    def elements() -> Iterator[Any]:
        with body() as stream:
            reader = _Reader(cast(IO[bytes], stream), stream.offset)
            if path:
                reader.find_key(path)
            yield from reader.items(spans=spans)

    return elements(), top


Records = Iterator[tuple[Any, int | None, bytes | None]]
"""A posts file's records, each with its offset and bytes in the file when
it was streamed (``None`` when it was read whole)."""


def _whole(records: list[Any]) -> Records:
    return ((record, None, None) for record in records)


def _root_array(
    open_: Opener, name: str, key: str, what: str
) -> tuple[Records, dict[str, Any]]:
    """The posts array at ``key`` of the root object, streamed, and the root
    object's scalar values; read whole if it cannot be streamed."""
    try:
        return _stream_array(open_, key, spans=True)
    except _NotStreamable:
        with open_() as raw:
            root = _json(raw.read(), name)
        if not isinstance(root, dict) or not isinstance(root.get(key), list):
            raise ExtractionError(f"{name} is not {what} (no {key} list).") from None
        return _whole(root.pop(key)), root


def _bytes_opener(data: bytes) -> Opener:
    return partial(io.BytesIO, data)


class PostsFile(Container):
    """A posts file inside an export archive, kept once (``OriginalFile``)
    with its posts' documents pointing to their records' byte ranges: read
    from the zip when it is kept and hashed, never held whole."""

    def __init__(self, open_: Opener, name: str, media_type: str, size: int) -> None:
        super().__init__(b"", name, media_type)
        self.open_ = open_
        self._size = size

    @property
    def sha256(self) -> str:
        if not self._sha256:
            digest = hashlib.sha256()
            with self.open_() as handle:
                for chunk in iter(partial(handle.read, _READ), b""):
                    digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256

    @property
    def size(self) -> int:
        return self._size

    def open(self) -> IO[bytes]:
        return self.open_()


def _kept_whole(
    data: bytes, name: str, media_type: str, export: ExportFile
) -> Container:
    """A posts file given as bytes (the export itself): kept once, its hash
    computed once with the export's."""
    kept = Container(data, name, media_type)
    if export.data is data:
        kept._sha256 = export.sha256
    return kept


JS = "application/javascript"
JSON = "application/json"


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
    media: Mapping[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> Posts:
    """Posts of an X archive's ``tweets.js`` (``media``: file name -> bytes
    of ``data/tweets_media/``)."""
    export = export or ExportFile(name=name, platform="x", data=data)
    return x_posts(
        _bytes_opener(data),
        name,
        account=account,
        media=media,
        export=export,
        kept=_kept_whole(data, name, JS, export),
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
        records, _ = _stream_array(open_, x_wrapper=True, spans=True)
    except _NotStreamable:
        with open_() as raw:
            records = _whole(_x_records(raw.read(), name))
    handle, display = _x_account(account)
    build = partial(
        _x_post,
        handle=handle,
        display=display,
        media=media or {},
        export=export,
        name=name,
    )
    return _each(records, f"{name.rsplit('/', 1)[-1]} record", build, name, kept)


def _each(
    records: Records,
    label: str,
    build: Callable[[Any, str], Extracted],
    name: str,
    kept: Container | None,
    skip: Callable[[Any], bool] | None = None,
) -> Posts:
    """One post (or its failure) per record, numbered from 1; records that
    ``skip`` (service messages, boosts) are not posts.

    A post's original is its record's exact bytes in the posts file, which
    is kept once (``kept``, an ``OriginalFile``) with the post's document
    pointing to the range, and ``sha256`` is their hash. A file that was
    read whole (not strict UTF-8 JSON) has no such ranges: each post's
    original is then its record serialised (sorted keys, UTF-8), in a file
    of its own."""
    posts = 0
    for number, (record, offset, raw) in enumerate(records, start=1):
        if skip is not None and skip(record):
            continue
        posts += 1
        post = _one_post(
            f"{label} {number}", partial(build, record, f"{label} {number}")
        )
        if isinstance(post, Extracted):
            if raw is not None and offset is not None and kept is not None:
                post.original = raw
                post.container = kept
                post.span = (offset, len(raw))
            else:
                post.original = json.dumps(
                    record, ensure_ascii=False, sort_keys=True
                ).encode("utf-8")
        yield post
    if not posts:
        yield RecordError(name, f"{name} holds no posts.")


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
    media: Mapping[str, bytes] | None = None,
    export: ExportFile | None = None,
) -> Posts:
    """Posts of a Telegram channel export (``media``: relative path -> bytes)."""
    export = export or ExportFile(name=name, platform="telegram", data=data)
    return telegram_posts(
        _bytes_opener(data),
        name,
        media=media,
        export=export,
        kept=_kept_whole(data, name, JSON, export),
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
    messages, channel = _root_array(open_, name, "messages", "a Telegram export")
    build = partial(
        _telegram_post,
        channel_id=str(channel.get("id") or "").strip(),
        title=str(channel.get("name") or ""),
        media=media or {},
        export=export,
        name=name,
    )
    return _each(
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
        _bytes_opener(data),
        name,
        actor=actor,
        media=media,
        export=export,
        kept=_kept_whole(data, name, JSON, export),
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
    items, _ = _root_array(open_, name, "orderedItems", "an ActivityPub outbox")
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
    return _each(
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
