"""Word DOCX: paragraphs and tables in document order, with core properties."""

from __future__ import annotations

import io
import zipfile

from corpus.ingest.base import Extracted, ExtractionError, package_version

NAME = "glossa.docx"
VERSION = "1"


def extract(data: bytes, name: str) -> list[Extracted]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                blocks.append(Paragraph(child, document).text)
            elif tag == "tbl":
                table = Table(child, document)
                rows = [
                    "\t".join(cell.text for cell in row.cells) for row in table.rows
                ]
                blocks.append("\n".join(rows))
        props = document.core_properties
        title, author, created = props.title or "", props.author or "", props.created
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        XMLSyntaxError,
        AttributeError,
    ) as exc:
        raise ExtractionError(f"Corrupt DOCX file: it cannot be read ({exc}).") from exc
    text = "\n\n".join(block for block in blocks if block.strip())
    if not text.strip():
        raise ExtractionError("The DOCX document has no text.")
    return [
        Extracted(
            text=text,
            extractor=NAME,
            extractor_version=f"{VERSION}+python-docx-{package_version('python-docx')}",
            original=data,
            name=name,
            media_type="application/vnd.openxmlformats-officedocument."
            "wordprocessingml.document",
            title=title[:500],
            author=author[:300],
            # The "created" property is often a template's date, so it is kept
            # as metadata rather than taken as the publication date.
            metadata={"created": created.isoformat()} if created else {},
        )
    ]
