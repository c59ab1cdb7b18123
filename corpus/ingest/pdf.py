"""PDF text per page with pypdf; page offsets kept in the metadata.

Offsets are into the normalised text that will be stored (each page is
normalised on its own and pages are joined by a blank line), so
``text[start:end]`` is exactly the page's text and annotations can cite
page numbers.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from typing import Any

from corpus.ingest.base import Extracted, ExtractionError, package_version, parse_date
from corpus.models import normalize_text

NAME = "glossa.pdf"
VERSION = "1"
PAGE_SEPARATOR = "\n\n"


def extract(data: bytes, name: str) -> list[Extracted]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise ExtractionError(
            "The PDF is truncated (its end-of-file marker is missing); "
            "download or export it again."
        )
    # pypdf logs every repaired structure; the user gets one clear message.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (PyPdfError, NotImplementedError, ValueError) as exc:
                raise ExtractionError(
                    f"The PDF is encrypted and cannot be opened ({exc})."
                ) from exc
            if not unlocked:
                raise ExtractionError(
                    "The PDF is encrypted with a password; remove the "
                    "password and upload it again."
                )
        pages = [page.extract_text() or "" for page in reader.pages]
        info: Mapping[str, Any] = reader.metadata or {}
    except ExtractionError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(
            f"The PDF is damaged and cannot be read ({exc})."
        ) from exc
    except Exception as exc:  # pypdf raises many internal types on bad input
        raise ExtractionError(
            f"The PDF is damaged and cannot be read ({exc})."
        ) from exc
    if not pages:
        raise ExtractionError("The PDF has no pages.")
    text, offsets = join_pages(pages)
    if not text:
        raise ExtractionError(
            "The PDF has no extractable text (scanned images?); run OCR on it "
            "first and upload the result."
        )

    def meta(key: str) -> str:
        try:
            value = info.get(key)
        except Exception:
            return ""
        return str(value).strip() if value else ""

    return [
        Extracted(
            text=text,
            extractor=NAME,
            extractor_version=f"{VERSION}+pypdf-{package_version('pypdf')}",
            original=data,
            name=name,
            media_type="application/pdf",
            title=meta("/Title")[:500],
            author=meta("/Author")[:300],
            published_at=_pdf_date(meta("/CreationDate")),
            metadata={"pages": offsets, "page_count": len(pages)},
        )
    ]


def join_pages(pages: list[str]) -> tuple[str, list[dict[str, int]]]:
    """Normalise each page and join them, recording each page's offsets."""
    parts: list[str] = []
    offsets: list[dict[str, int]] = []
    position = 0
    for number, raw in enumerate(pages, start=1):
        page = normalize_text(raw)
        if page and parts:
            position += len(PAGE_SEPARATOR)
        start = position
        if page:
            parts.append(page)
            position += len(page)
        offsets.append({"page": number, "start": start, "end": position})
    return PAGE_SEPARATOR.join(parts), offsets


def _pdf_date(value: str):
    """PDF dates look like D:20250304120000+01'00'."""
    if not value.startswith("D:") or len(value) < 10:
        return None
    digits = value[2:16]
    iso = f"{digits[0:4]}-{digits[4:6] or '01'}-{digits[6:8] or '01'}"
    if len(digits) >= 12:
        iso += f"T{digits[8:10]}:{digits[10:12]}:{digits[12:14] or '00'}"
    return parse_date(iso)
