"""Plain text, in any common encoding (charset-normalizer picks it)."""

from __future__ import annotations

import re

from corpus.ingest.base import Extracted, ExtractionError, package_version

NAME = "glossa.text"
VERSION = "1"

# Share of control characters (other than tab/newline/CR/FF) above which a
# decoded "text" is really binary garbage.
MAX_CONTROL_RATIO = 0.02


def decode_text(data: bytes, *, partial: bool = False) -> tuple[str, str]:
    """Decode bytes to text; return (text, encoding) or raise for binary data.

    UTF-8 (with or without BOM) is tried first because it is both the common
    case and unambiguous; anything else goes through charset-normalizer.
    ``partial`` tolerates a multi-byte character cut at the end of a sample.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text: str | None = None
    encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if partial and exc.start >= len(data) - 4:
            text = data[: exc.start].decode("utf-8", errors="strict")
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise ExtractionError("The file is binary data, not text.")
        text, encoding = str(best), best.encoding
    if _control_ratio(text) > MAX_CONTROL_RATIO:
        raise ExtractionError("The file is binary data, not text.")
    return text, encoding


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _control_ratio(text: str) -> float:
    """Share of control and replacement characters in the first 64 KB."""
    if not text:
        return 0.0
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) / len(sample)


def first_line_title(text: str, limit: int = 200) -> str:
    """The first non-empty line, if it is short enough to be a title."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else ""
    return ""


def extract(data: bytes, name: str) -> list[Extracted]:
    text, encoding = decode_text(data)
    if not text.strip():
        raise ExtractionError("The file contains only whitespace.")
    return [
        Extracted(
            text=text,
            extractor=NAME,
            extractor_version=f"{VERSION}+charset-normalizer-"
            f"{package_version('charset-normalizer')}",
            original=data,
            name=name,
            media_type="text/plain",
            title=first_line_title(text),
            metadata={"encoding": encoding},
        )
    ]
