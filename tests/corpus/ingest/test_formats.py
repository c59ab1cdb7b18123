"""Every supported format goes in with its text, metadata and provenance."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile

import pytest

from corpus.ingest import ingest_file
from corpus.models import Document
from tests.corpus.ingest.conftest import ARTICLE, make_docx, make_pdf, make_zip

pytestmark = pytest.mark.postgres


def only_document(result) -> Document:
    assert result.errors == []
    assert len(result.documents) == 1, result.outcomes
    document = result.documents[0]
    document.refresh_from_db()
    return document


def test_plain_text_keeps_provenance(project, analyst):
    data = ARTICLE.encode()
    document = only_document(
        ingest_file(project=project, name="boats.txt", data=data, user=analyst)
    )
    assert document.text.startswith("Coast guard says three boats")
    assert document.title == "Coast guard says three boats were struck near Porto Lenta"
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.original.read() == data
    assert document.media_type == "text/plain"
    assert document.captured_by == analyst
    assert document.captured_at is not None
    assert document.extractor == "glossa.text"
    assert document.extractor_version.startswith("1+charset-normalizer-")
    assert document.size == len(data)
    assert document.original_sha256() == document.sha256


def test_legacy_encoding_is_detected(project, analyst):
    text = (
        "Déclaration du ministère : les frappes près de Porto Lenta ont visé des "
        "embarcations suspectes ; aucune preuve n'a été présentée à la presse. "
        "Les familles réclament des réponses à propos des pêcheurs disparus."
    )
    data = text.encode("cp1252")
    document = only_document(
        ingest_file(project=project, name="declaration.txt", data=data, user=analyst)
    )
    assert "ministère" in document.text
    assert "présentée" in document.text
    assert document.metadata["encoding"] in {"cp1252", "latin_1", "iso8859_15"}


def test_utf16_with_bom(project, analyst):
    data = "Statement on the incident near Cabo Frisa.".encode("utf-16")
    document = only_document(
        ingest_file(project=project, name="s.txt", data=data, user=analyst)
    )
    assert document.text == "Statement on the incident near Cabo Frisa."


def test_markdown_becomes_text_without_markup(project, analyst):
    data = (
        b"# Briefing on the Carval Strait\n\nThe **minister** said *three* boats "
        b"were hit.\n\n- first item\n- second item\n\n<script>alert(1)</script>\n\n"
        b"See [the report](https://example.org/r)."
    )
    document = only_document(
        ingest_file(project=project, name="brief.md", data=data, user=analyst)
    )
    assert document.title == "Briefing on the Carval Strait"
    assert "The minister said three boats were hit." in document.text
    assert "See the report." in document.text
    assert "**" not in document.text and "<script>" not in document.text
    assert "alert" not in document.text
    assert document.media_type == "text/markdown"


HOSTILE_HTML = b"""<!doctype html><html><head>
<title>Strikes at sea | The Velden Courier</title>
<meta name="author" content="Ana Reyes">
<meta property="og:site_name" content="The Velden Courier">
<meta property="article:published_time" content="2025-03-04T10:00:00Z">
<style>body { color: red }</style>
<script>document.cookie = "stolen"</script>
</head><body onload="alert('onload')">
<nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe now</nav>
<article>
<h1>Navy strikes three boats near Porto Lenta</h1>
<p>The ministry said its forces killed 11 people on three boats near Porto Lenta,
describing them as smugglers. It did not provide evidence.</p>
<p><img src="x" onerror="alert('xss')">Professor Hana Ostrova said the strikes
appeared to be unlawful killings under international law.</p>
<p>Relatives gathered outside the harbour office on Wednesday morning asking for
the bodies of the fishermen to be returned to their families.</p>
<script>alert("inline")</script>
</article>
<footer>Copyright The Velden Courier. All rights reserved. Cookie settings.</footer>
</body></html>"""


def test_html_main_text_and_metadata_without_scripts(project, analyst):
    document = only_document(
        ingest_file(project=project, name="page.html", data=HOSTILE_HTML, user=analyst)
    )
    assert "The ministry said its forces killed 11 people" in document.text
    assert "unlawful killings under international law" in document.text
    for payload in ("alert", "onerror", "document.cookie", "<", "color: red"):
        assert payload not in document.text
    assert "Subscribe now" not in document.text
    assert document.author == "Ana Reyes"
    assert document.publisher == "The Velden Courier"
    assert document.published_at is not None
    assert document.published_at.year == 2025
    assert document.published_at.month == 3
    assert "Navy strikes three boats" in document.title
    assert document.media_type == "text/html"
    assert document.extractor == "glossa.html"
    # The original bytes are kept exactly, payloads included: they are evidence.
    assert document.original.read() == HOSTILE_HTML


def test_pdf_text_per_page_with_offsets(project, analyst):
    pages = [
        "Page one: the minister announced the strikes.",
        "",
        "Page three: no evidence was shown to journalists.",
    ]
    data = make_pdf(pages, info_title="Press briefing transcript")
    document = only_document(
        ingest_file(project=project, name="briefing.pdf", data=data, user=analyst)
    )
    assert document.title == "Press briefing transcript"
    assert document.media_type == "application/pdf"
    offsets = document.metadata["pages"]
    assert [p["page"] for p in offsets] == [1, 2, 3]
    first, empty, third = offsets
    assert document.text[first["start"] : first["end"]] == pages[0]
    assert empty["start"] == empty["end"]
    assert document.text[third["start"] : third["end"]] == pages[2]
    assert document.metadata["page_count"] == 3


def test_docx_paragraphs_and_tables(project, analyst):
    data = make_docx(
        ["Statement of the Harbour Families Association.", "We ask for answers."],
        title="Families' statement",
        table=[["Name", "Village"], ["Rafi Oduya", "Porto Lenta"]],
    )
    document = only_document(
        ingest_file(project=project, name="families.docx", data=data, user=analyst)
    )
    assert document.text.startswith("Statement of the Harbour Families Association.")
    assert "We ask for answers." in document.text
    assert "Rafi Oduya\tPorto Lenta" in document.text
    assert document.title == "Families' statement"
    assert document.author == "Ines Varda"


RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Velden Courier: World</title>
<link>https://courier.example/world</link><description>World news</description>
<item><title>Strikes reported near Isla Merino</title>
<link>https://courier.example/world/strikes-isla-merino</link>
<guid>courier-1</guid><author>desk@courier.example (Ana Reyes)</author>
<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate>
<description><![CDATA[<p>Officials said two boats were hit.</p>
<script>alert(1)</script>]]></description>
</item>
<item><title>Families ask for bodies to be returned</title>
<link>https://courier.example/world/families</link><guid>courier-2</guid>
<pubDate>Wed, 05 Mar 2025 09:30:00 GMT</pubDate>
<description>Relatives gathered at the harbour office.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ministry of Defence releases</title>
<id>urn:mod:releases</id><updated>2025-03-04T12:00:00Z</updated>
<entry><title>Statement on maritime operations</title><id>urn:mod:1</id>
<link href="https://mod.example/releases/1"/><updated>2025-03-04T12:00:00Z</updated>
<author><name>Press Office</name></author>
<content type="html">&lt;p&gt;Our forces acted against narco-terrorist vessels.
&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_feed_one_document_per_entry(project, analyst):
    result = ingest_file(project=project, name="world.rss", data=RSS, user=analyst)
    assert result.errors == []
    assert len(result.documents) == 2
    first = Document.objects.get(
        url="https://courier.example/world/strikes-isla-merino"
    )
    assert first.title == "Strikes reported near Isla Merino"
    assert first.text == "Officials said two boats were hit."
    assert first.published_at is not None
    assert first.published_at.isoformat() == "2025-03-04T10:00:00+00:00"
    assert first.metadata["entry_id"] == "courier-1"
    assert first.metadata["container_sha256"] == hashlib.sha256(RSS).hexdigest()
    assert first.publisher == "Velden Courier: World"
    assert json.loads(first.original.read())["link"].endswith("strikes-isla-merino")


def test_atom_feed(project, analyst):
    result = ingest_file(project=project, name="releases.xml", data=ATOM, user=analyst)
    document = only_document(result)
    assert document.text == "Our forces acted against narco-terrorist vessels."
    assert document.author == "Press Office"
    assert document.url == "https://mod.example/releases/1"


def test_jsonl_records_with_fields_and_metadata(project, analyst):
    lines = [
        {
            "text": "We destroyed a vessel operated by a designated group.",
            "title": "Post by the minister",
            "speaker": "Tomas Relk",
            "role": "Minister of Defence",
            "platform": "X",
            "kind": "social",
            "date": "2025-03-04T08:15:00Z",
            "source": "Ministry of Defence of Veridia",
            "post_id": "1234",
        },
        {"text": "A second post about the same operation.", "kind": "social"},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    result = ingest_file(project=project, name="posts.jsonl", data=data, user=analyst)
    assert result.errors == []
    assert len(result.documents) == 2
    post = Document.objects.get(title="Post by the minister")
    assert post.author == "Tomas Relk"
    assert post.speaker_role == "Minister of Defence"
    assert post.platform == "X"
    assert post.kind == "social"
    assert post.source is not None
    assert post.source.name == "Ministry of Defence of Veridia"
    assert post.metadata["post_id"] == "1234"
    assert post.published_at is not None
    assert post.published_at.hour == 8
    # The line's own bytes, read from the file kept once for both records.
    assert post.original_bytes() == json.dumps(lines[0]).encode()
    assert not post.original and post.container is not None


def test_csv_records(project, analyst):
    data = (
        b"title,text,speaker,date\n"
        b'Briefing,"The admiral said, again, that the boats were armed.",'
        b"Ines Varda,2025-03-05\n"
        b'Answer,"No comment on the survivors.",Leo Amsel,2025-03-06\n'
    )
    result = ingest_file(project=project, name="quotes.csv", data=data, user=analyst)
    assert result.errors == []
    assert {d.title for d in result.documents} == {"Briefing", "Answer"}
    briefing = Document.objects.get(title="Briefing")
    assert briefing.text == "The admiral said, again, that the boats were armed."
    assert briefing.author == "Ines Varda"
    assert briefing.media_type == "text/csv"


def test_zip_and_tar_archives_recursively(project, analyst):
    inner = make_zip(
        {"nested/note.txt": b"A note from the nested archive about boats."}
    )
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w:gz") as archive:
        body = b"A statement inside a tarball, written for this test."
        info = tarfile.TarInfo("statements/one.txt")
        info.size = len(body)
        archive.addfile(info, io.BytesIO(body))
    data = make_zip(
        {
            "folder/article.txt": ARTICLE.encode(),
            "folder/briefing.pdf": make_pdf(["A PDF inside a ZIP archive."]),
            "inner.zip": inner,
            "bundle.tar.gz": tar_buffer.getvalue(),
            "__MACOSX/._article.txt": b"resource fork",
        }
    )
    result = ingest_file(project=project, name="bundle.zip", data=data, user=analyst)
    assert result.errors == []
    names = sorted(d.original_name for d in result.documents)
    assert names == [
        "bundle.zip/bundle.tar.gz/statements/one.txt",
        "bundle.zip/folder/article.txt",
        "bundle.zip/folder/briefing.pdf",
        "bundle.zip/inner.zip/nested/note.txt",
    ]
    pdf_doc = Document.objects.get(original_name="bundle.zip/folder/briefing.pdf")
    assert pdf_doc.text == "A PDF inside a ZIP archive."
    assert pdf_doc.metadata["archive"] == "bundle.zip"
    assert pdf_doc.metadata["archive_sha256"] == hashlib.sha256(data).hexdigest()


def test_pdf_named_file_that_is_html_is_read_as_html(project, analyst):
    result = ingest_file(
        project=project, name="report.pdf", data=HOSTILE_HTML, user=analyst
    )
    document = only_document(result)
    assert document.extractor == "glossa.html"
    assert document.media_type == "text/html"
    assert "name says PDF" in document.metadata["warning"]
    assert "alert" not in document.text


def test_user_metadata_overrides_a_single_document(project, analyst):
    result = ingest_file(
        project=project,
        name="boats.txt",
        data=ARTICLE.encode(),
        user=analyst,
        kind="report",
        source="Velden Courier",
        title="Analyst's title",
    )
    document = only_document(result)
    assert document.title == "Analyst's title"
    assert document.kind == "report"
    assert document.source is not None
    assert document.source.name == "Velden Courier"


def test_unknown_metadata_field_is_a_programming_error(project, analyst):
    with pytest.raises(TypeError, match="colour"):
        ingest_file(
            project=project, name="a.txt", data=b"Text.", user=analyst, colour=1
        )


def test_json_array_and_tsv(project, analyst):
    data = json.dumps(
        [
            {"text": "First record of an exported array.", "title": "One"},
            {"body": "Second record uses the body key.", "title": "Two"},
        ]
    ).encode()
    result = ingest_file(project=project, name="export.json", data=data, user=analyst)
    assert result.errors == []
    assert sorted(d.title for d in result.documents) == ["One", "Two"]
    tsv = b"title\ttext\nTabbed\tA statement separated by tabs, with a comma.\n"
    result = ingest_file(project=project, name="quotes.tsv", data=tsv, user=analyst)
    document = only_document(result)
    assert document.text == "A statement separated by tabs, with a comma."


def test_text_file_holding_html_source_is_read_as_html(project, analyst):
    result = ingest_file(
        project=project, name="saved.txt", data=HOSTILE_HTML, user=analyst
    )
    document = only_document(result)
    assert document.extractor == "glossa.html"
    assert "alert" not in document.text
