"""Every tool format both ways: export, remove the annotations, import the
file, and compare span by span (offsets, quote, tags, note where the
format carries it). Texts with emoji, CJK, a flag and right-to-left names
come from the doccano fixture; notes and an untagged span from
``rich_project``. Also the text representation the exports point to.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.models import Annotation
from corpus.models import Document
from exchange.exports import FORMATS
from exchange.imports.common import ImportRefused
from exchange.imports.formats import IMPORTERS
from exchange.imports.spans import import_spans

pytestmark = pytest.mark.django_db

PEERS = Path(__file__).parent / "data" / "peers"
# format -> (importer key, carries notes, carries untagged spans)
ROUND_TRIPS = {
    "doccano": ("doccano", False, False),
    "doccano-graphemes": ("doccano-graphemes", False, False),
    "labelstudio": ("labelstudio", True, False),
    "prodigy": ("prodigy", False, False),
    "brat": ("brat", True, False),
    "hypothesis": ("hypothesis", True, True),
    "inception": ("inception", True, True),
    "w3c": ("w3c", True, True),
}


def spans(project, *, notes: bool, untagged: bool) -> set[tuple]:
    rows = set()
    for a in Annotation.objects.filter(project=project).prefetch_related("tags"):
        keys = tuple(sorted(t.key for t in a.tags.all()))
        if keys or untagged:
            rows.add((a.document_id, a.start, a.end, a.quote, keys, a.note * notes))
    return rows


@pytest.fixture
def unicode_project(rich_project, project, owner):
    with (PEERS / "doccano_utf16.jsonl").open("rb") as handle:
        import_spans(handle, tool="doccano", project=project, user=owner)
    return project


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
def test_round_trip(unicode_project, owner, fmt):
    project = unicode_project
    key, notes, untagged = ROUND_TRIPS[fmt]
    before = spans(project, notes=notes, untagged=untagged)
    assert len(before) == (16 if untagged else 15)  # 12 + 3 (+ 1 untagged)
    exported = b"".join(FORMATS[fmt].stream(project))
    documents = Document.objects.filter(project=project).count()
    Annotation.objects.filter(project=project).delete()
    _, importer = IMPORTERS[key]
    result = importer(io.BytesIO(exported), project=project, user=owner, name=fmt)
    assert result.documents_created == 0  # every text matched by its hash
    assert Document.objects.filter(project=project).count() == documents
    assert spans(project, notes=notes, untagged=untagged) == before
    assert result.refused == []


def test_brat_zip_has_the_standoff_files(unicode_project):
    data = b"".join(FORMATS["brat"].stream(unicode_project))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert "annotation.conf" in names
    document = Document.objects.filter(project=unicode_project).first()
    assert document is not None
    assert archive.read(f"doc-{document.pk}.txt").decode() == document.text
    for line in archive.read(f"doc-{document.pk}.ann").decode().splitlines():
        ident, middle, text = line.split("\t")
        if ident.startswith("T"):
            _, start, end = middle.split(" ")
            assert document.text[int(start) : int(end)].replace("\n", " ") == text


def test_brat_mismatch_is_refused_naming_the_line(project, owner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "Update 🚢 the navy struck two boats.")
        archive.writestr(
            "a.ann",
            "T1\tofficial_claim 10 31\tthe navy struck two\n"
            "T2\tofficial_claim 0 6\tUpdate\n",
        )
    buffer.seek(0)
    with pytest.raises(
        ImportRefused, match=r"a\.ann, line 1 \(T1 .*not the tool's quote"
    ):
        IMPORTERS["brat"][1](buffer, project=project, user=owner)
    assert not Document.objects.filter(project=project).exists()


def test_prodigy_tokens_and_spans_agree(unicode_project):
    for line in b"".join(FORMATS["prodigy"].stream(unicode_project)).splitlines():
        record = json.loads(line)
        tokens = record["tokens"]
        for token in tokens:
            assert record["text"][token["start"] : token["end"]] == token["text"]
        for span in record["spans"]:
            first, last = tokens[span["token_start"]], tokens[span["token_end"]]
            assert first["start"] <= span["start"] < first["end"] or (
                first["start"] == span["start"]
            )
            assert last["start"] < span["end"] <= last["end"]


def test_prodigy_rejected_examples_are_not_imported(project, owner):
    lines = [
        {"text": "The navy struck.", "spans": [], "answer": "reject"},
        {
            "text": "The navy struck two boats.",
            "spans": [{"start": 4, "end": 8, "label": "official_claim"}],
            "answer": "accept",
        },
    ]
    data = "\n".join(json.dumps(x) for x in lines).encode()
    result = import_spans(io.BytesIO(data), tool="prodigy", project=project, user=owner)
    assert (result.documents_created, result.annotations_created) == (1, 1)


def test_hypothesis_positions_are_utf16(unicode_project):
    rows = json.loads(b"".join(FORMATS["hypothesis"].stream(unicode_project)))["rows"]
    assert rows
    for row in rows:
        document = Document.objects.get(
            pk=int(row["uri"].split("/d/")[1].split("/")[0])
        )
        position, quote = row["target"][0]["selector"]
        encoded = document.text.encode("utf-16-le")
        text = encoded[2 * position["start"] : 2 * position["end"]].decode("utf-16-le")
        assert text == quote["exact"]
        assert row["uri"].endswith(f"/d/{document.pk}/text.txt")


def test_text_representation_is_exactly_the_stored_text(
    unicode_project, client, owner, stranger
):
    exported = json.loads(b"".join(FORMATS["w3c"].stream(unicode_project)))
    items = exported["first"]["items"]
    client.force_login(owner)
    bodies: dict[str, str] = {}
    anchored = 0
    for item in items:
        source = item["target"]["source"]
        path = source.removeprefix("http://127.0.0.1:8000")
        if path not in bodies:
            response = client.get(path)
            assert response.status_code == 200
            assert response["Content-Type"] == "text/plain; charset=utf-8"
            bodies[path] = response.content.decode("utf-8")
        text = bodies[path]
        quote, position = item["target"]["selector"]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        anchored += 1
    assert (
        anchored
        == len(items)
        == Annotation.objects.filter(project=unicode_project).count()
    )
    for document in Document.objects.filter(project=unicode_project):
        path = f"/p/{unicode_project.slug}/d/{document.pk}/text.txt"
        assert client.get(path).content == document.text.encode("utf-8")
    client.force_login(stranger)
    assert client.get(path).status_code == 404
    client.logout()
    assert client.get(path).status_code == 302


def test_every_format_from_the_command_line_and_the_api(
    unicode_project, owner, api, tmp_path
):
    for fmt in ROUND_TRIPS:
        out = tmp_path / f"export.{fmt}"
        call_command("export", project=unicode_project.slug, format=fmt, output=out)
        assert out.stat().st_size > 0
        response = api.get(
            f"/api/projects/{unicode_project.slug}/export/", {"format": fmt}
        )
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        # the same records; only the IRIs' host differs (the request's)
        assert body.count(b"\n") == out.read_bytes().count(b"\n") or fmt in (
            "brat",
            "inception",
        )
        extension = FORMATS[fmt].extension
        assert response["Content-Disposition"].endswith(f'.{extension}"')
    Annotation.objects.filter(project=unicode_project).delete()
    path = tmp_path / "export.labelstudio"
    call_command(
        "import_annotations",
        str(path),
        project=unicode_project.slug,
        format="labelstudio",
        user=owner.username,
    )
    assert Annotation.objects.filter(project=unicode_project).count() >= 15
    Annotation.objects.filter(project=unicode_project).delete()
    with (tmp_path / "export.brat").open("rb") as handle:
        response = api.post(
            f"/api/projects/{unicode_project.slug}/import/",
            {"format": "brat", "file": handle},
            format="multipart",
        )
    assert response.status_code == 200, response.content
    assert response.json()["documents_created"] == 0
    assert response.json()["annotations_created"] >= 15


def _inception_zip(text: str, spans: list[tuple[int, int, str, str]]) -> io.BytesIO:
    """A zip as INCEpTION exports it: an .xmi and the type system beside it."""
    from cassis import Cas, load_typesystem  # type: ignore[import-untyped]

    from exchange.inception import SPAN_TYPE, glossa_typesystem_xml

    xml = glossa_typesystem_xml()
    typesystem = load_typesystem(io.BytesIO(xml.encode()))
    cas = Cas(typesystem=typesystem)
    cas.sofa_string = text
    entity = typesystem.get_type(
        "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
    )
    span = typesystem.get_type(SPAN_TYPE)
    for start, end, label, quote in spans:
        if quote:
            cas.add(span(begin=start, end=end, label=label, quote=quote))
        else:
            cas.add(entity(begin=start, end=end, value=label))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/notes.txt/TypeSystem.xml", xml)
        archive.writestr("notes/notes.txt/admin.xmi", cas.to_xmi())
    buffer.seek(0)
    return buffer


def test_inception_xmi_counts_utf16_and_checks_quotes(project, owner):
    text = "Update 🚢🔥 船上有十四人 The navy struck two boats."
    start = text.index("The navy")
    data = _inception_zip(
        text,
        [
            (start, start + 8, "official_claim", "The navy"),
            (7, 9, "victim_identity", ""),
        ],
    )
    xmi = zipfile.ZipFile(data).read("notes/notes.txt/admin.xmi").decode()
    assert f'begin="{start + 2}"' in xmi  # two emoji: two more UTF-16 units
    result = IMPORTERS["inception"][1](data, project=project, user=owner)
    assert result.annotations_created == 2
    quotes = set(Annotation.objects.values_list("quote", flat=True))
    assert quotes == {"The navy", "🚢🔥"}
    wrong = _inception_zip(text, [(start, start + 8, "official_claim", "The army")])
    with pytest.raises(ImportRefused, match=r"GlossaSpan 1 .*'The army'"):
        IMPORTERS["inception"][1](wrong, project=project, user=owner)
    assert Annotation.objects.count() == 2


JS = Path(__file__).parent / "js"


def test_apache_annotator_reanchors_every_selector_on_the_text_representation(
    unicode_project, api, client, owner
):
    """The W3C export's ``target.source`` is fetched (as a member) and every
    TextQuoteSelector and TextPositionSelector is anchored there by Apache
    Annotator 0.2.0 (npm, run by node; installed by ``make install-dev``)."""
    assert shutil.which("node"), "node is needed (Debian's nodejs)"
    assert (JS / "node_modules" / "@apache-annotator" / "selector").is_dir(), (
        "run `make install-dev` (npm ci --prefix tests/exchange/js)"
    )
    response = api.get(f"/api/projects/{unicode_project.slug}/export/?format=w3c")
    collection = json.loads(b"".join(response.streaming_content))
    items = collection["first"]["items"]
    client.force_login(owner)
    texts = {}
    for item in items:
        source = item["target"]["source"]
        if source not in texts:
            fetched = client.get(source.removeprefix("http://testserver"))
            assert fetched.status_code == 200
            texts[source] = fetched.content.decode("utf-8")
    run = subprocess.run(
        ["node", "reanchor.mjs"],
        cwd=JS,
        input=json.dumps({"texts": texts, "annotations": items}),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    anchored = 0
    for item, found in zip(items, json.loads(run.stdout), strict=True):
        _, position = item["target"]["selector"]
        expected = [position["start"], position["end"]]
        assert found["position"] == expected, item["id"]
        assert found["quote"] == [expected], item["id"]  # one match, the same
        anchored += 1
    assert anchored == len(items) == 16
