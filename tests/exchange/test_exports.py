"""The structure of every export format, checked against the data."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC
from typing import cast

import pytest
from openpyxl import load_workbook

from annotations.models import Annotation
from corpus.models import Document
from corpus.nlp.docbin import DocBinReport
from exchange.exports import FORMATS
from legal.models import Claim, ClaimMention
from tests.factories import DocumentFactory, make_annotation

pytestmark = pytest.mark.django_db
IRI = re.compile(r"^https?://[^\s/]+/\S*$")


def export(project, key: str, **kwargs) -> bytes:
    seen: list[tuple[int, int]] = []
    data = b"".join(
        FORMATS[key].stream(
            project, progress=lambda d, t: seen.append((d, t)), **kwargs
        )
    )
    assert seen, "the export reported no progress"
    done, total = seen[-1]
    assert done == total
    return data


def test_w3c_structure(rich_project):
    project = rich_project["project"]
    data = json.loads(export(project, "w3c", base_url="https://glossa.example.org"))
    assert data["type"] == "AnnotationCollection" and data["total"] == 4
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage" and len(items) == 4
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation" and IRI.match(item["id"])
        assert item["id"].startswith("https://glossa.example.org/")
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", item["created"])
        assert item["creator"]["type"] == "Person"
        target = item["target"]
        assert target["type"] == "SpecificResource" and IRI.match(target["source"])
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        annotation = Annotation.objects.get(
            pk=int(item["id"].rstrip("/").split("/")[-1])
        )
        text = annotation.document.text
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        assert target["source"].endswith(
            f"/p/strikes/d/{annotation.document_id}/text.txt"
        )
    first = items[0]
    assert first["motivation"] == "tagging"
    assert first["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "official_claim"},
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "value": "Figure from the admiral.",
            "format": "text/plain",
        },
    ]
    untagged = items[-1]
    assert untagged["motivation"] == "commenting"
    # A single body is written as an object, not a one-item list.
    assert untagged["body"] == {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": "Count of the missing.",
        "format": "text/plain",
    }


def test_csv_has_a_row_per_annotation_and_claim_and_defuses_formulas(rich_project):
    text = export(rich_project["project"], "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["record"] for r in rows] == ["annotation"] * 4 + ["claim"] * 2
    first = rows[0]
    assert first["quote"] == 'killing 14 "narco-terrorists"'
    assert first["source"] == "Estrania Ministry"
    assert first["document_url"] == "https://news.example.org/strikes"
    assert first["tags"] == "official_claim"
    assert first["claim_ids"] == str(rich_project["claim"].pk)
    injected = rows[2]
    assert injected["note"].startswith("'=HYPERLINK")
    claim = next(r for r in rows if r["proposition"].startswith("The navy killed"))
    assert claim["quote"] == 'killing 14 "narco-terrorists"'
    assert claim["evidence_status"] == "not_provided"
    assert "undermines" in claim["assessments"]
    assert claim["quantities"] == "Exactly 14 killed"


def test_xlsx_matches_the_csv_rows(rich_project):
    project = rich_project["project"]
    workbook = load_workbook(io.BytesIO(export(project, "xlsx")), read_only=True)
    sheet = workbook["Glossa"]
    rows = [
        [c if c is not None else "" for c in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    text = export(project, "csv").decode("utf-8-sig")
    expected = list(csv.reader(io.StringIO(text)))
    # The same values, except that the CSV's formula guard prefixes a quote
    # where the XLSX types the cell as text instead (test_spreadsheets.py).
    assert [[str(c) for c in row] for row in rows] == [
        [c[1:] if c.startswith("'=") else c for c in row] for row in expected
    ]


def test_jsonl_has_documents_with_their_annotations(rich_project):
    lines = export(rich_project["project"], "jsonl").decode().splitlines()
    documents = [json.loads(line) for line in lines]
    assert len(documents) == 2
    doc1 = documents[0]
    assert doc1["sha256"] == rich_project["documents"][0].sha256
    for annotation in doc1["annotations"]:
        assert (
            doc1["text"][annotation["start"] : annotation["end"]] == annotation["quote"]
        )
    assert [a["tags"] for a in doc1["annotations"]] == [
        ["official_claim"],
        ["no_evidence_provided"],
        ["experts_say_illegal"],
    ]


def test_claimreview_only_reviewed_claims(rich_project):
    data = json.loads(export(rich_project["project"], "claimreview"))
    assert len(data) == 1
    review = data[0]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == rich_project["claim"].proposition
    assert review["itemReviewed"]["author"]["name"] == "Admiral Vela Korst"
    appearance = review["itemReviewed"]["appearance"][0]
    assert appearance["url"] == "https://news.example.org/strikes"
    assert appearance["text"] == 'killing 14 "narco-terrorists"'
    assert review["reviewRating"]["alternateName"] == "No evidence provided"
    assert "not a verdict" in review["reviewRating"]["ratingExplanation"]
    assert "Undermines. No evidence of an imminent threat" in review["reviewBody"]
    assert Claim.objects.filter(project=rich_project["project"]).count() == 2
    document = rich_project["documents"][0]
    assert review["itemReviewed"]["datePublished"] == (
        document.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    assert review["author"]["url"] == "http://127.0.0.1:8000"
    # Glossa's claim page needs a login: no url unless the project publishes one
    assert "url" not in review and "publishes no reviews" in review["_glossa_note"]


def test_claimreview_one_appearance_per_url_and_a_published_url(
    rich_project, owner, settings
):
    claim = rich_project["claim"]
    a1 = rich_project["annotations"][0]
    second = make_annotation(a1.document, owner, "struck two boats", tags=[])
    ClaimMention.objects.create(claim=claim, annotation=second, linked_by=owner)
    settings.GLOSSA_CLAIMREVIEW_URLS = {
        "strikes": "https://checks.example.org/{claim_id}"
    }
    settings.GLOSSA_CLAIMREVIEW_PUBLISHER_URL = "https://checks.example.org/"
    review = json.loads(export(rich_project["project"], "claimreview"))[0]
    urls = [a["url"] for a in review["itemReviewed"]["appearance"]]
    assert urls == ["https://news.example.org/strikes"]
    assert review["url"] == f"https://checks.example.org/{claim.pk}"
    assert review["author"]["url"] == "https://checks.example.org/"
    assert "_glossa_note" not in review


def test_archive_manifest_lists_every_member_with_its_hash(rich_project):
    data = export(rich_project["project"], "archive")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = "glossa-strikes/"
        assert all(name.startswith(root) for name in zf.namelist())
        glossa = json.loads(zf.read(root + "glossa.json"))
        assert glossa["format"] == "glossa-archive" and glossa["format_version"] == 2
        assert glossa["counts"]["annotations.jsonl"] == 4
        listed = {}
        for line in zf.read(root + "manifest-sha256.txt").decode().splitlines():
            digest, name = line.split("  ", 1)
            listed[name] = digest
        payload = {
            n[len(root) :] for n in zf.namelist() if n.startswith(root + "data/")
        }
        assert payload == set(listed)
        import hashlib

        for name, digest in listed.items():
            assert hashlib.sha256(zf.read(root + name)).hexdigest() == digest
        for document in rich_project["documents"]:
            assert f"data/originals/{document.sha256}" in payload
        tags = set(zf.namelist()) - {root + n for n in payload}
        assert {n[len(root) :] for n in tags} == {
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt",
            "glossa.json",
            "manifest.sig",
            "signing-key.pub",
        }


@pytest.mark.spacy
def test_docbin_loads_and_spans_match(rich_project, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    path = tmp_path / "train.spacy"
    path.write_bytes(export(rich_project["project"], "docbin"))
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 2
    got = sorted(
        (d.text[:10], s.start_char, s.end_char, s.label_)
        for d in docs
        for s in d.spans["sc"]
    )
    expected = sorted(
        (a.document.text[:10], a.start, a.end, t.key)
        for a in Annotation.objects.filter(project=rich_project["project"])
        for t in a.tags.all()
    )
    assert got == expected and len(got) == 3


@pytest.mark.spacy
def test_docbin_passes_spacy_debug_data(project, owner, tmp_path):
    """spaCy refuses fewer than 100 training documents, so make 120."""
    texts = [
        f"Report {n}. The minister said {n + 3} people were killed. "
        f"No evidence was provided for the claim about boat {n}."
        for n in range(120)
    ]
    for text in texts:
        document = cast(Document, DocumentFactory(project=project, text=text))
        make_annotation(
            document, owner, "The minister said", tags=["official_claim"], history=True
        )
        make_annotation(
            document,
            owner,
            "No evidence was provided",
            tags=["no_evidence_provided"],
            history=True,
        )
    path = tmp_path / "train.spacy"
    report = DocBinReport()
    path.write_bytes(export(project, "docbin", report=report))
    # "The minister said" is 3 tokens, "No evidence was provided" 4.
    assert report.suggester_sizes() == [3, 4]
    config = tmp_path / "config.cfg"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "init",
            "config",
            str(config),
            "--lang",
            "en",
            "--pipeline",
            "spancat",
            "--force",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "debug",
            "data",
            str(config),
            "--paths.train",
            str(path),
            "--paths.dev",
            str(path),
            # The documented recipe: the suggester the export fitted.
            "--components.spancat.suggester.sizes",
            json.dumps(report.suggester_sizes()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "ANSI_COLORS_DISABLED": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sizes = [1, 2, 3]" in config.read_text()  # spaCy's default misses 4
    assert "Corpus is loadable" in result.stdout
    # debug data's span lengths are the ones the fitted suggester proposes.
    assert "(min=3, max=4)" in result.stdout
    flat = " ".join(result.stdout.split())  # wasabi wraps long lines
    common = flat.split("most common span lengths are: ", 1)[1]
    common = common.split(". If you", 1)[0]
    assert sorted(int(n) for n in re.findall(r"(\d+) \(", common)) == [3, 4]
    assert "Span Categorization" in result.stdout
    assert (
        "'no_evidence_provided'" in result.stdout
        and "'official_claim'" in result.stdout
    )


@pytest.mark.spacy
def test_export_command_writes_a_docbin_with_another_span_group(rich_project, tmp_path):
    import spacy
    from django.core.management import call_command
    from spacy.tokens import DocBin

    path = tmp_path / "claims.spacy"
    call_command(
        "export",
        project="strikes",
        format="docbin",
        output=str(path),
        spans_key="claims",
    )
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    assert sum(len(d.spans["claims"]) for d in docs) == 3
    assert all("sc" not in d.spans for d in docs)


@pytest.mark.spacy
def test_docbin_uses_each_documents_language_and_reports_widening(
    project, owner, tmp_path, capsys
):
    """A Chinese document after an English one is tokenised by characters,
    so its span stays exact; a span inside an English word is widened, and
    the command says so."""
    import spacy
    from django.core.management import call_command
    from spacy.tokens import DocBin

    from corpus.services import document_create

    english = document_create(
        project=project,
        original=b"The ministry said fourteen people were killed.",
        text="The ministry said fourteen people were killed.",
        language="en",
    )
    chinese = document_create(
        project=project,
        original="部长说船上有十四人。".encode(),
        text="部长说船上有十四人。",
        language="zh",
    )
    make_annotation(chinese, owner, "十四人", tags=["casualty_figure"])
    make_annotation(english, owner, "teen people", tags=["casualty_figure"])
    path = tmp_path / "train.spacy"
    call_command("export", project=project.slug, format="docbin", output=str(path))
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))
    spans = {d.text: [(s.start_char, s.end_char) for s in d.spans["sc"]] for d in docs}
    assert spans[chinese.text] == [(6, 9)]  # exact: 十四人
    assert spans[english.text] == [(18, 33)]  # widened to "fourteen people"
    out = capsys.readouterr().out
    assert "1 spans widened" in out
    assert f"{english.pk}: 22-33 casualty_figure -> 18-33" in out


@pytest.mark.spacy
def test_a_spanish_document_is_tokenised_as_spanish(project, owner, tmp_path):
    """Spanish splits "pal" into "pa" + "l" (English keeps one token), so a
    span on "pa" stays exact only when the document's own language is used."""
    import spacy
    from spacy.tokens import DocBin

    from corpus.services import document_create
    from exchange.exports.docbin import stream_docbin

    text = "El Sr. Vidal dijo que fue pal puerto."
    spanish = document_create(
        project=project, original=text.encode(), text=text, language="es"
    )
    start = text.index("pal")
    make_annotation(spanish, owner, start, start + 2, tags=["official_claim"])
    report = DocBinReport()
    path = tmp_path / "es.spacy"
    path.write_bytes(b"".join(stream_docbin(project, report=report)))
    (doc,) = DocBin().from_disk(path).get_docs(spacy.blank("es").vocab)
    assert [(s.start_char, s.end_char) for s in doc.spans["sc"]] == [(start, start + 2)]
    assert [t.text for t in doc][1:3] == ["Sr.", "Vidal"]  # Spanish abbreviation
    assert report.widened_spans == []
