"""The fast paths of storing a chunk write what Django's own paths would
(issue 13 item 2: faster, with every guarantee of item 1 kept).

``build_document`` fills an instance without Django's constructor, the
COPY writes rows that ``bulk_create`` would, ``_clean_fields`` refuses what
``clean_fields`` refuses, and the one-parameter duplicate query finds what
the ORM query finds. Texts are written for these tests.
"""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_init

from corpus.ingest import ingest_batch, store
from corpus.ingest.rows import build_document, insert_documents
from corpus.models import Document, OriginalFile, sha256_hex

pytestmark = pytest.mark.postgres

# Every character COPY's text format escapes, and a literal "\N" (COPY's
# NULL), in the text, the title and the metadata.
AWKWARD = "Tab\there, back\\slash, \\N literal,\r\ncarriage and new\nline: día ñ 中文"


def _values(project, user, text: str, **extra) -> dict:
    values = {
        "project_id": project.pk,
        "text": text,
        "text_sha256": sha256_hex(text),
        "sha256": sha256_hex(text + "original"),
        "size": len(text),
        "original_name": "record 1",
        "media_type": "application/json",
        "captured_by_id": user.pk,
        "captured_at": datetime.datetime(
            2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC
        ),
        "extractor": "glossa.jsonl",
        "extractor_version": "1",
        "metadata": {"note": AWKWARD, "nested": {"list": [1, 2.5, None, True]}},
        "title": AWKWARD[:40],
        "kind": "statement",
        "language": "es",
        "language_confidence": 0.912,
        "published_at": datetime.datetime(
            2025, 3, 4, 9, 30, tzinfo=ZoneInfo("America/Lima")
        ),
    }
    values.update(extra)
    return values


def _state(document: Document) -> dict:
    return {k: v for k, v in document.__dict__.items() if k != "_state"}


def test_build_document_fills_the_instance_as_django_does(project, analyst):
    values = _values(project, analyst, AWKWARD)
    built = build_document(dict(values), {"project": project, "captured_by": analyst})
    django_made = Document(**values)
    assert _state(built) == _state(django_made)
    assert built._loaded_immutable == django_made._loaded_immutable
    assert built._state.adding and built._state.db is None
    assert built.project is project and built.captured_by is analyst
    assert built.metadata is values["metadata"]
    # A callable default is called per document, never shared.
    a = build_document({"text": "a"}, {})
    b = build_document({"text": "b"}, {})
    assert a.metadata == {} and a.metadata is not b.metadata
    with pytest.raises(TypeError):
        build_document({"no_such_field": 1}, {})


def test_build_document_takes_djangos_constructor_when_it_has_receivers(
    project, analyst
):
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Document)
    try:
        built = build_document({"text": "x", "project_id": project.pk}, {})
    finally:
        post_init.disconnect(receiver, sender=Document)
    assert seen == [built]


def test_copy_writes_the_rows_bulk_create_writes(project, analyst):
    """The COPY path and the ORM's insert store the same values, to the
    character, for text that holds every character COPY escapes."""
    copied = build_document(_values(project, analyst, AWKWARD), {})
    [written] = insert_documents([copied])
    assert written is copied and copied.pk is not None and not copied._state.adding
    other = AWKWARD + " (the ORM's copy)"
    created = Document(**_values(project, analyst, other))
    Document.objects.bulk_create([created])
    fields = [f.attname for f in Document._meta.concrete_fields]
    rows = {
        row["id"]: row
        for row in Document.objects.filter(pk__in=[copied.pk, created.pk]).values(
            *fields
        )
    }
    a, b = rows[copied.pk], rows[created.pk]
    assert a["text"] == AWKWARD and a["title"] == AWKWARD[:40]
    assert a["metadata"] == json.loads(json.dumps(copied.metadata))
    assert a["published_at"] == copied.published_at
    assert a["created_at"] == copied.created_at  # set on the instance too
    for name in ("id", "text", "text_sha256", "sha256", "size", "created_at"):
        a.pop(name), b.pop(name)
    assert a == b


def test_copy_builds_each_document_as_it_goes_and_leaves_unused_ids(project, analyst):
    texts = [f"Statement {i} of the harbour office." for i in range(3)]
    made = []

    def built():
        for text in texts[:2]:  # one fewer than announced (a refused record)
            made.append(build_document(_values(project, analyst, text), {}))
            yield made[-1]

    written = insert_documents(built(), count=3)
    assert written == made and all(d.pk for d in written)
    assert (
        sorted(Document.objects.filter(project=project).values_list("text", flat=True))
        == texts[:2]
    )


def test_clean_fields_refuses_what_django_refuses(project, analyst):
    checked: dict = {}
    for bad in (
        {"speaker_role": "x" * 201},
        {"url": "not a url"},
        {"published_precision": "week"},
        {"language": "l" * 17},
    ):
        document = build_document(_values(project, analyst, "Some text.", **bad), {})
        twin = Document(**_values(project, analyst, "Some text.", **bad))
        with pytest.raises(ValidationError) as django_error:
            twin.clean_fields(exclude=store._NOT_FROM_INPUT)
        for _ in range(2):  # a remembered value is refused again
            with pytest.raises(ValidationError) as ours:
                store._clean_fields(document, checked)
            assert ours.value.message_dict == django_error.value.message_dict
    good = build_document(_values(project, analyst, "Some text."), {})
    store._clean_fields(good, checked)
    store._clean_fields(good, checked)


def test_a_refused_record_in_a_streamed_chunk_is_refused_alone(
    project, analyst, media_root
):
    lines = [
        {"text": "The harbour office reopened on Monday morning."},
        {"text": "Relatives asked for the bodies to be returned.", "url": "nope"},
        {"text": "A survivor was taken to a clinic in Isla Merino."},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    result = ingest_batch(
        project=project, files=[("r.jsonl", data)], user=analyst, analyse=False
    )
    assert len(result.documents) == 2 and len(result.errors) == 1
    [(name, message)] = result.errors
    assert name == "r.jsonl line 2" and "url" in message.lower()
    assert Document.objects.filter(project=project).count() == 2
    [kept] = OriginalFile.objects.filter(project=project)
    for document in Document.objects.filter(project=project):
        assert document.original_sha256() == document.sha256
        assert document.captured_by == analyst and document.container == kept


def test_the_duplicate_query_finds_what_the_orm_finds(project, analyst):
    texts = ["First statement of the ministry.", "Second statement of the ministry."]
    ingest_batch(
        project=project,
        files=[(f"{i}.txt", t.encode()) for i, t in enumerate(texts)],
        user=analyst,
        analyse=False,
    )
    hashes = {sha256_hex(t.encode()) for t in texts} | {sha256_hex(b"unknown")}
    found = store._stored_with_hashes(project, hashes)
    orm = {
        d.sha256: d
        for d in Document.objects.filter(project=project, sha256__in=hashes).only(
            "pk", "sha256", "title"
        )
    }
    assert found.keys() == orm.keys() and len(found) == 2
    for sha, document in found.items():
        assert document.pk == orm[sha].pk and document.title == orm[sha].title
        assert document.get_deferred_fields() == orm[sha].get_deferred_fields()
    assert store._stored_with_hashes(project, set()) == {}
