"""Fixtures for ingestion tests: files are generated here, never copied.

Every sample text is fictional and written for these tests.
"""

from __future__ import annotations

import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ARTICLE = (
    "Coast guard says three boats were struck near Porto Lenta\n\n"
    "The Ministry of Defence of Veridia said on Tuesday that its forces struck "
    "three vessels off Porto Lenta, killing 11 people it described as smugglers. "
    "The ministry did not provide evidence that the boats carried contraband. "
    "Professor Hana Ostrova, a maritime law scholar, said the strikes appeared "
    "to be unlawful killings. Relatives of the fishermen gathered at the harbour "
    "office demanding the bodies be returned. A survivor was taken to a clinic "
    "in Isla Merino, local officials said."
)

# A rewritten version of ARTICLE as a second outlet might publish it.
ARTICLE_REWRITE = (
    "Three boats struck near Porto Lenta, ministry says\n\n"
    "The Ministry of Defence of Veridia said on Tuesday that its forces struck "
    "three vessels off Porto Lenta, killing 11 people it described as smugglers. "
    "The ministry did not provide evidence that the boats carried contraband. "
    "Professor Hana Ostrova, a maritime law scholar, said the strikes appeared "
    "to be unlawful killings. Relatives of the fishermen gathered at the harbour "
    "office demanding the bodies be returned. Our correspondent in Isla Merino "
    "reports that one survivor is being treated there."
)

OTHER_ARTICLE = (
    "Harvest festival opens in the northern valley\n\n"
    "Farmers from twelve villages brought apples, pears and honey to the market "
    "square of Velden on Saturday, where the mayor opened the autumn festival "
    "with a short speech about the dry summer and the new irrigation canal."
)


@pytest.fixture(autouse=True)
def _media(media_root):
    """Every ingestion test stores originals under a temporary MEDIA_ROOT."""
    return media_root


def media_files(root) -> list:
    """Every file under MEDIA_ROOT (to check nothing is left behind)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def make_pdf(pages: list[str], *, info_title: str = "") -> bytes:
    """A minimal, valid PDF with one line of Helvetica text per page."""
    objects: list[tuple[int, bytes]] = []
    page_ids = []
    font_id = 3
    next_id = 4
    page_objects = []
    for text in pages:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        page_ids.append(page_id)
        page_objects.append(
            (
                content_id,
                b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            )
        )
        page_objects.append(
            (
                page_id,
                (
                    f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Contents {content_id} 0 R /Resources << /Font << /F1 "
                    f"{font_id} 0 R >> >> >>"
                ).encode(),
            )
        )
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()),
        (3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *page_objects,
    ]
    info_id = None
    if info_title:
        info_id = next_id
        objects.append((info_id, f"<< /Title ({info_title}) >>".encode()))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for oid, body in sorted(objects):
        offsets[oid] = out.tell()
        out.write(b"%d 0 obj\n" % oid + body + b"\nendobj\n")
    xref = out.tell()
    size = max(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for oid in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[oid])
    trailer = f"trailer\n<< /Size {size} /Root 1 0 R"
    if info_id:
        trailer += f" /Info {info_id} 0 R"
    out.write(trailer.encode() + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def make_encrypted_pdf(pages: list[str], password: str = "s3cret") -> bytes:  # noqa: S107
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf(pages))))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(paragraphs: list[str], *, title: str = "", table=None) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Ines Varda"
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


class Site:
    """A tiny web server on 127.0.0.1: ``routes`` maps a path to a response."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                status, headers, body = site.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not found")
                )
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def site():
    server = Site()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def allow_local(settings):
    """Trust only the loopback test server, as a lab would trust one host."""
    settings.GLOSSA_URL_ALLOW_PRIVATE = ["127.0.0.1/32"]
