"""Reading a posts file as a stream, one record at a time with its byte range
(see the package docstring), and turning records into posts (``each_post``)."""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, Any, cast

import ijson

from corpus.ingest.base import Container, Extracted, ExtractionError
from corpus.ingest.bulk import RecordError
from corpus.ingest.social.records import ExportFile, one_post, read_json

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


class NotStreamable(Exception):
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
        raise NotStreamable
    return cast(IO[bytes], _Body(open_(), skip=match.end(), trim_tail=True))


def _scan(stream: IO[bytes], path: str) -> dict[str, Any]:
    """First pass: the whole file is valid JSON whose root is an array
    (``path`` empty) or an object with an array at key ``path``; return the
    root object's scalar values. Raises ``NotStreamable`` otherwise."""
    found = 0
    top: dict[str, Any] = {}
    try:
        with stream:
            events = ijson.parse(stream)
            first = next(events, None)
            if first is None or first[1] != ("start_map" if path else "start_array"):
                raise NotStreamable
            for prefix, event, value in events:
                if not path or "." in prefix or event not in _VALUE_EVENTS:
                    continue
                if prefix == path:
                    if event != "start_array":
                        raise NotStreamable
                    found += 1
                elif event in _SCALAR_EVENTS:
                    top[prefix] = value
    except (ijson.JSONError, UnicodeError, ValueError) as exc:
        raise NotStreamable from exc
    if path and found != 1:
        raise NotStreamable  # none, or a duplicate key json.loads would resolve
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


def stream_array(
    open_: Opener, path: str = "", *, x_wrapper: bool = False, spans: bool = False
) -> tuple[Iterator[Any], dict[str, Any]]:
    """The elements of the posts array (the root array, or the root object's
    ``path``) as a lazy iterator, and the root object's scalar values.
    With ``spans``, each element comes as (element, offset, bytes): its
    exact bytes in the file and where they start. The file is checked whole
    first (``_scan``), so it is refused before any post is stored. Raises
    ``NotStreamable`` for what only ``json.loads`` (with the charset
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


def whole(records: list[Any]) -> Records:
    return ((record, None, None) for record in records)


def root_array(
    open_: Opener, name: str, key: str, what: str
) -> tuple[Records, dict[str, Any]]:
    """The posts array at ``key`` of the root object, streamed, and the root
    object's scalar values; read whole if it cannot be streamed."""
    try:
        return stream_array(open_, key, spans=True)
    except NotStreamable:
        with open_() as raw:
            root = read_json(raw.read(), name)
        if not isinstance(root, dict) or not isinstance(root.get(key), list):
            raise ExtractionError(f"{name} is not {what} (no {key} list).") from None
        return whole(root.pop(key)), root


def bytes_opener(data: bytes) -> Opener:
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


def kept_whole(
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


def each_post(
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
        post = one_post(
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
