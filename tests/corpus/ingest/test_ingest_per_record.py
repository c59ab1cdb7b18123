"""Per-record failure, bulk storing, bounded fingerprints and long texts (issue 13)."""

from __future__ import annotations

import io
import json
import resource
import zipfile

import pytest
from django.core.management import call_command

from corpus.ingest import dedup, ingest_batch, ingest_file, store
from corpus.models import AnalysisStatus, Document, DocumentFingerprint, Job, JobKind
from corpus.services import document_create
from tests.corpus.ingest.conftest import ARTICLE, OTHER_ARTICLE, media_files

pytestmark = pytest.mark.postgres

GOOD = "Fishermen in Porto Lenta said their relatives left port before dawn."


def test_lone_surrogate_record_fails_alone(project, analyst, media_root):
    lines = [
        json.dumps({"text": GOOD}),
        '{"text": "Bad \\ud800 record with a lone surrogate."}',
        '{"text": "A good text with a bad title.", "title": "x\\udfff"}',
        json.dumps({"text": OTHER_ARTICLE}),
    ]
    result = ingest_file(
        project=project, name="r.jsonl", data="\n".join(lines).encode(), user=analyst
    )
    assert [o.status for o in result.outcomes] == [
        "stored",
        "failed",
        "failed",
        "stored",
    ]
    errors = dict(result.errors)
    assert "lone UTF-16 surrogate (U+D800) at character 5" in errors["r.jsonl line 2"]
    assert errors["r.jsonl line 3"].startswith("The title contains")
    assert Document.objects.count() == 2
    # The file is kept once for the records stored from it.
    assert len(media_files(media_root)) == 1


def test_lone_surrogate_in_a_json_array_fails_alone(project, analyst):
    data = '[{"text": "' + GOOD + '"}, {"text": "bad \\ud800"}]'
    result = ingest_file(
        project=project, name="a.json", data=data.encode(), user=analyst
    )
    assert len(result.documents) == 1
    [(name, reason)] = result.errors
    assert name == "a.json record 2" and "surrogate" in reason


def test_web_upload_with_a_surrogate_record_is_not_a_server_error(
    client, project, analyst
):
    client.force_login(analyst)
    upload = io.BytesIO(
        (json.dumps({"text": GOOD}) + '\n{"text": "\\ud800"}\n').encode()
    )
    upload.name = "mixed.jsonl"
    response = client.post(
        f"/p/{project.slug}/ingest/", {"form": "upload", "upload-files": [upload]}
    )
    assert response.status_code in (200, 302)
    assert Document.objects.filter(project=project).count() == 1


def test_a_database_error_in_a_chunk_falls_back_to_one_by_one(
    project, analyst, media_root, monkeypatch
):
    """If the bulk insert fails, each document is tried alone with its reason."""
    real = store.insert_documents

    def refuse_bulk(documents, count=None):
        documents = list(documents)  # built (files written), then refused
        if len(documents) > 1:
            raise RuntimeError("bulk insert refused")
        return real(documents)

    monkeypatch.setattr(store, "insert_documents", refuse_bulk)
    files = [
        ("a.txt", ARTICLE.encode()),
        ("b.txt", OTHER_ARTICLE.encode()),
        ("c.txt", GOOD.encode()),
    ]
    result = ingest_batch(project=project, files=files, user=analyst, analyse=False)
    assert len(result.documents) == 3
    assert Document.objects.count() == 3
    assert DocumentFingerprint.objects.count() == 3
    assert len(media_files(media_root)) == 3


def test_bulk_batch_links_duplicates_and_near_duplicates_inside_it(project, analyst):
    rewrite = ARTICLE.replace("Professor Hana Ostrova", "Professor H. Ostrova")
    files = [
        ("a.txt", ARTICLE.encode()),
        ("a-again.txt", ARTICLE.encode()),
        ("b.txt", rewrite.encode()),
    ]
    result = ingest_batch(project=project, files=files, user=analyst, analyse=False)
    first, near = result.documents
    [(name, existing)] = result.duplicates
    assert (name, existing) == ("a-again.txt", first)
    near.refresh_from_db()
    assert near.near_duplicate_of == first
    assert f"Near-duplicate of document {first.pk}" in result.outcomes[2].message


def test_storing_many_documents_uses_a_bounded_number_of_queries(
    project, analyst, django_assert_max_num_queries
):
    files = [(f"s{i}.txt", f"{GOOD} Number {i}.".encode()) for i in range(250)]
    # A few queries per chunk, none per document.
    with django_assert_max_num_queries(40):
        result = ingest_batch(project=project, files=files, user=analyst, analyse=False)
    assert len(result.documents) == 250


def test_cli_goes_on_past_a_file_that_breaks_the_batch(project, tmp_path, monkeypatch):
    """Even an unexpected exception for one file leaves the other files stored."""
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "boom.txt").write_text(OTHER_ARTICLE)
    (tmp_path / "c.txt").write_text(GOOD)
    real = store.store_groups

    def explode_on_boom(groups, **kwargs):
        groups = list(groups)
        names = [i.name for g in groups for i in g]
        if any(n.endswith("boom.txt") for n in names):
            raise MemoryError("simulated worker trouble")
        return real(groups, **kwargs)

    monkeypatch.setattr("corpus.ingest.service.store_groups", explode_on_boom)
    out = io.StringIO()
    call_command(
        "ingest", str(tmp_path), project=project.slug, no_analyse=True, stdout=out
    )
    text = out.getvalue()
    assert "Stored 2 document(s), 0 duplicate(s), 1 failure(s)." in text
    assert "boom.txt" in text and "MemoryError" in text


def test_zip_member_count_is_refused_before_extraction(project, analyst, settings):
    settings.GLOSSA_MAX_ARCHIVE_MEMBERS = 5
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(6):
            archive.writestr(f"m{i}.txt", f"{GOOD} {i}")
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, *args, **kwargs):
        opened.append(args[0])
        return real_open(self, *args, **kwargs)

    zipfile.ZipFile.open = spy  # type: ignore[method-assign]
    try:
        result = ingest_file(
            project=project, name="many.zip", data=out.getvalue(), user=analyst
        )
    finally:
        zipfile.ZipFile.open = real_open  # type: ignore[method-assign]
    assert "too many files" in result.errors[0][1]
    assert opened == []
    assert Document.objects.count() == 0


def test_fingerprint_memory_is_bounded_for_a_large_text():
    words = " ".join(f"w{i % 50_000} x{i % 7919}" for i in range(1_000_000))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sig = dedup.signature(words)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert sig is not None and len(sig) == dedup.PERMUTATIONS
    # ~2M shingles: the old 128 x n-gram matrix needed ~2 GB here.
    assert grown_mb < 200


def test_signature_does_not_depend_on_segmenting(monkeypatch):
    text = " ".join(ARTICLE.split() * 40)
    whole = dedup.signature(text)
    monkeypatch.setattr(dedup, "SEGMENT", 97)
    monkeypatch.setattr(dedup, "BLOCK", 13)
    assert dedup.signature(text) == whole


@pytest.mark.spacy
def test_text_over_max_length_is_analysed_in_pieces(
    project, analyst, django_capture_on_commit_callbacks
):
    """Over spaCy's max_length: analysed in paragraph-aligned pieces, with
    every offset of the stored analysis pointing into the whole text."""
    from annotations.models import Suggestion
    from corpus.nlp import get_nlp
    from corpus.tasks import analyse_documents_task

    nlp = get_nlp()
    long_text = (ARTICLE + "\n\n") * 4
    long_doc = document_create(project=project, original=b"L", text=long_text)
    short_doc = document_create(project=project, original=b"S", text=OTHER_ARTICLE)
    ids = [long_doc.pk, short_doc.pk]
    job = Job.objects.create(
        project=project, kind=JobKind.ANALYSE, total=2, report={"document_ids": ids}
    )
    period = len(ARTICLE) + 2
    saved = nlp.max_length
    nlp.max_length = period  # one copy of the article per piece
    try:
        analyse_documents_task(job.pk, ids)
    finally:
        nlp.max_length = saved
    long_doc.refresh_from_db()
    short_doc.refresh_from_db()
    assert long_doc.analysis_status == AnalysisStatus.DONE, long_doc.analysis_error
    assert short_doc.analysis_status == AnalysisStatus.DONE
    job.refresh_from_db()
    assert job.status == "done"
    data = long_doc.analysis.data
    # Four copies of the article: the same findings four times, each shifted
    # by one copy's length, and every quoted text where its offsets say.
    for key in ("sentences", "entities", "cues", "quantities", "attributions"):
        items = data[key]
        assert items and len(items) % 4 == 0, key
        quarter = len(items) // 4
        for i, item in enumerate(items[quarter:], start=quarter):
            assert item["start"] == items[i - quarter]["start"] + period, key
    for key in ("cues", "quantities"):
        for item in data[key]:
            assert long_text[item["start"] : item["end"]] == item["text"]
            assert data["sentences"][item["sentence"]]["start"] <= item["start"]
    for item in data["attributions"]:
        for part in ("source", "cue", "content"):
            span = item[part]
            assert long_text[span["start"] : span["end"]] == span["text"]
    last = data["tokens"][-1]
    assert long_text[last["start"] : last["end"]] == long_text.rstrip()[-1]
    suggestions = Suggestion.objects.filter(document=long_doc)
    assert suggestions.count() >= 4
    assert {s.start for s in suggestions if s.start >= 3 * period}


def test_dropped_xml_entities_are_a_warning_on_the_document(project, analyst):
    feed = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY secret SYSTEM "file:///etc/hostname">
  <!ENTITY boats "three boats">
]>
<rss version="2.0"><channel><title>Harbour wire</title>
<item><title>Strikes near Porto Lenta</title><link>https://wire.example/1</link>
<description>The ministry said its forces struck &boats; near Porto Lenta; &secret;
relatives gathered at the harbour office demanding the bodies.</description></item>
</channel></rss>"""
    result = ingest_file(project=project, name="wire.xml", data=feed, user=analyst)
    [document] = result.documents
    assert document.metadata["xml_entities_dropped"] is True
    assert "not expanded" in document.metadata["warning"]
    assert "not expanded" in result.outcomes[0].message
    with open("/etc/hostname") as handle:
        assert handle.read().strip() not in document.text
