"""RSS and Atom feed files: one document per entry.

Each entry's original bytes are the entry as canonical JSON (what the feed
said about it); the feed file's own SHA-256 is kept in the metadata so every
entry can be traced back to the exact file it came from.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from corpus.ingest.base import Extracted, ExtractionError, package_version
from corpus.ingest.html import html_fragment_to_text

NAME = "glossa.feed"
VERSION = "1"


def extract(data: bytes, name: str) -> list[Extracted]:
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise ExtractionError(f"The feed has no entries{reason}.")
    feed_title = parsed.feed.get("title", "")
    version = f"{VERSION}+feedparser-{package_version('feedparser')}"
    items: list[Extracted] = []
    for index, entry in enumerate(parsed.entries, start=1):
        html = ""
        if entry.get("content"):
            html = "\n".join(part.get("value", "") for part in entry.content)
        html = html or entry.get("summary", "")
        text = html_fragment_to_text(html) if "<" in html else html
        title = html_fragment_to_text(entry.get("title", "")).strip()
        if not text.strip():
            text = title
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        record = {
            "feed": feed_title,
            "id": entry.get("id", ""),
            "link": entry.get("link", ""),
            "title": entry.get("title", ""),
            "author": entry.get("author", ""),
            "published": entry.get("published", entry.get("updated", "")),
            "content": html,
        }
        original = json.dumps(record, ensure_ascii=False, sort_keys=True).encode()
        items.append(
            Extracted(
                text=text,
                extractor=NAME,
                extractor_version=version,
                original=original,
                name=f"{name} entry {index}",
                media_type="application/json",
                title=title[:500],
                author=(entry.get("author") or "")[:300],
                published_at=(
                    # Six fields, so tzinfo is never filled positionally.
                    datetime(*published[:6], tzinfo=UTC)  # type: ignore[misc]
                    if published
                    else None
                ),
                url=(entry.get("link") or "")[:2000],
                site=feed_title[:300],
                metadata={
                    "feed_title": feed_title,
                    "feed_format": parsed.get("version", ""),
                    "entry_id": entry.get("id", ""),
                    "entry_index": index,
                },
            )
        )
    return items
