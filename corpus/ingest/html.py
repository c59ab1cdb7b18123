"""HTML pages: main text and metadata with trafilatura.

Scripts, styles, navigation and other boilerplate are removed. Event-handler
attributes never reach the text, which is plain text (never HTML). Pages
too short for trafilatura's main-text heuristics fall back to the visible
text of the cleaned tree.
"""

from __future__ import annotations

from corpus.ingest.base import Extracted, ExtractionError, package_version, parse_date
from corpus.ingest.text import decode_text

NAME = "glossa.html"
VERSION = "1"

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "head",
    "nav",
    "form",
    "button",
    "select",
    "textarea",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "figcaption",
}


def html_fragment_to_text(html: str) -> str:
    """Visible text of an HTML fragment (feed entries, fallback), blocks kept."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.iter(*_DROP_TAGS):
        bad.drop_tree() if bad.getparent() is not None else bad.clear()
    etree.strip_elements(
        root, etree.Comment, etree.ProcessingInstruction, with_tail=False
    )
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n\n")
        if node.text and tag not in _DROP_TAGS:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK_TAGS:
            parts.append("\n\n")

    walk(root)
    text = "".join(parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines)


def extract(data: bytes, name: str, *, url: str = "") -> list[Extracted]:
    import trafilatura

    source, encoding = decode_text(data)
    result = trafilatura.bare_extraction(
        source,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        favor_recall=True,
    )
    # as_dict=False (the default): a trafilatura Document, not a dict.
    meta = result.as_dict() if result is not None else {}  # type: ignore[union-attr]
    text = (meta.get("text") or "").strip()
    method = "trafilatura"
    if len(text.split()) < 5:
        fallback = html_fragment_to_text(source)
        if len(fallback.split()) > len(text.split()):
            text, method = fallback, "visible-text"
    if not text.strip():
        raise ExtractionError("The HTML page has no readable text.")
    metadata = {
        "encoding": encoding,
        "method": method,
        "hostname": meta.get("hostname") or "",
        "description": meta.get("description") or "",
        "categories": meta.get("categories") or [],
        "tags": meta.get("tags") or [],
    }
    return [
        Extracted(
            text=text,
            extractor=NAME,
            extractor_version=f"{VERSION}+trafilatura-{package_version('trafilatura')}",
            original=data,
            name=name,
            media_type="text/html",
            title=(meta.get("title") or "")[:500],
            author=(meta.get("author") or "")[:300],
            published_at=parse_date(meta.get("date")),
            url=(meta.get("url") or url or "")[:2000],
            site=(meta.get("sitename") or "")[:300],
            metadata={k: v for k, v in metadata.items() if v},
        )
    ]
