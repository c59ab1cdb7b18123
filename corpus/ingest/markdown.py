"""Markdown to plain text with markdown-it-py; raw HTML inside is dropped."""

from __future__ import annotations

from corpus.ingest.base import Extracted, ExtractionError, package_version
from corpus.ingest.text import decode_text

NAME = "glossa.markdown"
VERSION = "1"

_BLOCK_ENDS = {
    "paragraph_close",
    "heading_close",
    "list_item_close",
    "blockquote_close",
    "table_close",
    "tr_close",
}


def markdown_to_text(source: str) -> tuple[str, str]:
    """Return (text, title): block structure kept as blank lines."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    parts: list[str] = []
    title = ""
    in_heading = False
    for token in md.parse(source):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "inline":
            inline = _inline_text(token.children or [])
            if in_heading and not title:
                title = inline.strip()
            parts.append(inline)
        elif token.type in {"fence", "code_block"}:
            parts.append(token.content.rstrip("\n") + "\n\n")
        elif token.type in {"th_close", "td_close"}:
            parts.append("\t")
        elif token.type in _BLOCK_ENDS:
            if token.type == "heading_close":
                in_heading = False
            parts.append("\n\n" if token.type != "tr_close" else "\n")
        # html_block tokens are skipped: raw HTML is markup, not text.
    return "".join(parts), title


def _inline_text(children) -> str:
    out: list[str] = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            out.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            out.append("\n")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)


def extract(data: bytes, name: str) -> list[Extracted]:
    source, encoding = decode_text(data)
    text, title = markdown_to_text(source)
    if not text.strip():
        raise ExtractionError("The Markdown file has no text.")
    return [
        Extracted(
            text=text,
            extractor=NAME,
            extractor_version=f"{VERSION}+markdown-it-py-"
            f"{package_version('markdown-it-py')}",
            original=data,
            name=name,
            media_type="text/markdown",
            title=title,
            metadata={"encoding": encoding},
        )
    ]
