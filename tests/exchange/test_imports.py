"""doccano, Label Studio and W3C imports, good and hostile payloads."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from annotations.models import Annotation, Origin, Tag
from audit.models import HistoryEntry
from corpus.models import Document, Job, JobKind
from exchange.exports.w3c import stream_w3c
from exchange.imports.common import ImportRefused, find_anchor
from exchange.imports.spans import import_spans
from exchange.imports.w3c import import_w3c

pytestmark = pytest.mark.django_db

TEXT = "The ministry said 14 people were killed. Lawyers called it unlawful."


def jsonl(*records) -> io.BytesIO:
    return io.BytesIO("\n".join(json.dumps(r) for r in records).encode())


def spans_of(document) -> list[tuple[int, int, str, list[str]]]:
    return [
        (a.start, a.end, a.quote, sorted(a.tags.values_list("key", flat=True)))
        for a in Annotation.objects.filter(document=document).order_by("start")
    ]


def test_doccano_label_form_creates_document_and_annotations(project, owner):
    data = jsonl(
        {
            "text": TEXT,
            "label": [[0, 40, "official_claim"], [41, 68, "Experts say illegal"]],
        }
    )
    result = import_spans(data, tool="doccano", project=project, user=owner)
    assert (result.documents_created, result.annotations_created) == (1, 2)
    assert [d.text for d in result.new_documents] == [TEXT]
    document = Document.objects.get(project=project)
    assert document.text == TEXT and document.extractor == "doccano-import"
    assert spans_of(document) == [
        (0, 40, "The ministry said 14 people were killed.", ["official_claim"]),
        (41, 68, "Lawyers called it unlawful.", ["experts_say_illegal"]),
    ]
    annotation = Annotation.objects.filter(document=document).first()
    assert annotation is not None
    assert annotation.origin == Origin.IMPORT and annotation.author == owner
    job = Job.objects.get(project=project, kind=JobKind.ANALYSE)
    assert job.report["document_ids"] == [document.pk]
    assert (
        HistoryEntry.objects.filter(
            object_type="annotation", action="create", actor=owner
        ).count()
        == 2
    )


def test_doccano_entities_form_and_reimport_is_idempotent(project, owner):
    record = {
        "text": TEXT,
        "entities": [
            {"id": 7, "start_offset": 18, "end_offset": 27, "label": "casualty_figure"}
        ],
    }
    first = import_spans(
        jsonl(record), tool="doccano", project=project, user=owner, create_tags=True
    )
    assert first.tags_created == []  # an existing tag, matched by key
    assert spans_of(Document.objects.get(project=project)) == [
        (18, 27, "14 people", ["casualty_figure"])
    ]
    again = import_spans(
        jsonl(record), tool="doccano", project=project, user=owner, create_tags=True
    )
    assert (again.documents_reused, again.annotations_created) == (1, 0)
    assert again.annotations_skipped == 1
    assert Annotation.objects.filter(project=project).count() == 1
    # A re-import creates no document, so it queues no analysis.
    assert Job.objects.filter(project=project, kind=JobKind.ANALYSE).count() == 1


def test_unknown_labels_refuse_everything_unless_asked(project, owner):
    data = jsonl(
        {"text": TEXT, "label": [[0, 3, "Wholly new label"], [4, 12, "Another"]]}
    )
    with pytest.raises(ImportRefused, match="'Wholly new label', 'Another'"):
        import_spans(data, tool="doccano", project=project, user=owner)
    assert not Document.objects.filter(project=project).exists()
    data.seek(0)
    result = import_spans(
        data, tool="doccano", project=project, user=owner, create_tags=True
    )
    assert result.tags_created == ["wholly_new_label", "another"]
    tag = Tag.objects.get(project=project, key="wholly_new_label")
    assert tag.name == "Wholly new label"
    assert HistoryEntry.objects.filter(object_type="tag", object_id=tag.pk).exists()


def test_offsets_are_reanchored_after_normalisation(project, owner):
    """CRLF and leading spaces are normalised away; spans must follow."""
    raw = "  Line one.\r\nThe minister said 14 were killed.\r\n"
    start = raw.index("14 were killed")
    data = jsonl({"text": raw, "label": [[start, start + 14, "casualty_figure"]]})
    import_spans(data, tool="doccano", project=project, user=owner, create_tags=True)
    document = Document.objects.get(project=project)
    assert document.text.startswith("Line one.\nThe")
    assert spans_of(document)[0][2] == "14 were killed"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "is empty"),
        (b"{not json", "neither JSON nor JSON Lines"),
        (b'{"text": "ok", "label": [[0, 2, "official_claim"]]}\n{oops', "line 2"),
        (b'{"label": []}', "'text' must be a non-empty string"),
        (b'{"text": "   "}', "'text' must be a non-empty string"),
        (b'{"text": "abc", "label": "x"}', "'label' must be a list"),
        (b'{"text": "abc", "label": [[0, 1]]}', "each label must be"),
        (b"[1, 2]", "expected an object"),
    ],
)
def test_bad_doccano_payloads_are_refused_clearly(project, owner, payload, message):
    with pytest.raises(ImportRefused, match=message):
        import_spans(io.BytesIO(payload), tool="doccano", project=project, user=owner)
    assert not Document.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ([60, 999, "official_claim"], r"span 2 \[60, 999, 'official_claim'\].*outside"),
        (["a", 3, "official_claim"], r"span 2 \['a', 3, 'official_claim'\].*integers"),
        ([5, 5, "official_claim"], r"span 2 \[5, 5, 'official_claim'\].*empty"),
    ],
)
def test_a_bad_span_refuses_the_whole_file_naming_it(project, owner, span, message):
    """A span that cannot be converted is an error, not a skipped line: the
    file is refused, the message names the span, and nothing is written
    (not even the good span or the document)."""
    data = jsonl({"text": TEXT, "label": [[0, 40, "official_claim"], span]})
    with pytest.raises(ImportRefused, match=message):
        import_spans(data, tool="doccano", project=project, user=owner)
    assert not Document.objects.filter(project=project).exists()
    assert not Annotation.objects.filter(project=project).exists()


def test_label_studio_full_json_export(project, owner):
    tasks = [
        {
            "id": 1,
            "data": {"text": TEXT},
            "annotations": [
                {
                    "result": [
                        {
                            "type": "labels",
                            "from_name": "label",
                            "to_name": "text",
                            "value": {
                                "start": 0,
                                "end": 40,
                                "text": TEXT[:40],
                                "labels": ["Official claim"],
                            },
                        },
                        {"type": "choices", "value": {"choices": ["relevant"]}},
                    ]
                },
                {
                    "was_cancelled": True,
                    "result": [
                        {
                            "type": "labels",
                            "value": {"start": 1, "end": 2, "labels": ["x"]},
                        }
                    ],
                },
            ],
        }
    ]
    result = import_spans(
        io.BytesIO(json.dumps(tasks).encode()),
        tool="labelstudio",
        project=project,
        user=owner,
    )
    assert result.annotations_created == 1
    document = Document.objects.get(project=project)
    assert spans_of(document) == [(0, 40, TEXT[:40], ["official_claim"])]


def test_label_studio_min_jsonl_and_quote_mismatch(project, owner):
    data = jsonl(
        {
            "text": TEXT,
            "label": [
                {
                    "start": 41,
                    "end": 68,
                    "text": "Lawyers called it unlawful.",
                    "labels": ["experts_say_illegal"],
                },
                {
                    "start": 0,
                    "end": 3,
                    "text": "Not this",
                    "labels": ["official_claim"],
                },
            ],
        }
    )
    with pytest.raises(ImportRefused, match=r"item 1|line 1") as refused:
        import_spans(data, tool="labelstudio", project=project, user=owner)
    assert "'Not this'" in refused.value.message
    assert "span 2 [0, 3," in refused.value.message
    assert not Document.objects.filter(project=project).exists()


def test_label_studio_bad_payload(project, owner):
    bad = json.dumps(
        [{"data": {"text": TEXT}, "annotations": [{"result": [{"value": 3}]}]}]
    )
    with pytest.raises(ImportRefused, match="no 'value' object"):
        import_spans(
            io.BytesIO(bad.encode()), tool="labelstudio", project=project, user=owner
        )


def test_w3c_round_trip_onto_the_same_documents(rich_project, owner, project):
    exported = b"".join(stream_w3c(project))
    Annotation.objects.filter(project=project).delete()
    result = import_w3c(io.BytesIO(exported), project=project, user=owner)
    assert result.annotations_created == 4 and result.refused == []
    doc1 = rich_project["documents"][0]
    keys = [s[3] for s in spans_of(doc1)]
    assert keys == [
        ["official_claim"],
        ["no_evidence_provided"],
        ["experts_say_illegal"],
    ]
    note = Annotation.objects.get(
        document=doc1, start=rich_project["annotations"][0].start
    )
    assert note.note == "Figure from the admiral."


def w3c(source, exact=None, start=None, end=None, prefix="", body=None):
    selectors = []
    if exact is not None:
        selectors.append(
            {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix}
        )
    if start is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    item = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:x:{exact}:{start}",
        "type": "Annotation",
        "target": {"source": source, "selector": selectors},
    }
    if body is not None:
        item["body"] = body
    return item


def test_w3c_reanchors_by_quote_and_refuses_what_does_not_match(
    project, owner, document
):
    text = document.text
    iri = f"http://elsewhere.example/p/{project.slug}/d/{document.pk}/"
    quote = "14 people were killed"
    right = text.index(quote)
    wrong = w3c(iri, exact="20 people were killed", start=right, end=right + 21)
    items = [
        # stale offsets, quote still there: re-anchored by quote
        w3c(
            iri,
            exact=quote,
            start=0,
            end=5,
            body={
                "type": "TextualBody",
                "purpose": "tagging",
                "value": "casualty_figure",
            },
        ),
        # a source that is no document of ours
        w3c("https://other.example/x", exact=quote),
        # offsets only, inside the text
        w3c(
            iri,
            start=0,
            end=6,
            body={"type": "TextualBody", "value": "Check", "purpose": "commenting"},
        ),
        # no selector at all
        {"type": "Annotation", "target": iri},
    ]
    # A quote that is not in the text refuses the file, naming it.
    with pytest.raises(ImportRefused, match=r"20 people were killed.*not found"):
        import_w3c(
            io.BytesIO(json.dumps([*items, wrong]).encode()),
            project=project,
            user=owner,
            create_tags=True,
        )
    assert not Annotation.objects.filter(document=document).exists()
    result = import_w3c(
        io.BytesIO(json.dumps(items).encode()),
        project=project,
        user=owner,
        create_tags=True,
    )
    assert result.annotations_created == 2
    created = spans_of(document)
    assert (right, right + len(quote)) in [(s, e) for s, e, *_ in created]
    reasons = dict(result.refused)
    assert "not a document of this project" in reasons[f"urn:x:{quote}:None"]
    assert len(result.refused) == 2


def test_find_anchor_prefers_matching_context():
    text = "He said no. She said no. They said no."
    assert find_anchor(text, exact="no", prefix="She said ") == (21, 23)
    assert find_anchor(text, exact="no", start=36, end=99) == (35, 37)
    assert find_anchor(text, exact="yes") is None


def test_import_command(project, owner, tmp_path, capsys):
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps({"text": TEXT, "label": [[0, 3, "Novel"]]}))
    with pytest.raises(CommandError, match="'Novel'"):
        call_command(
            "import_annotations",
            str(path),
            project="strikes",
            format="doccano",
            user="owner",
        )
    call_command(
        "import_annotations",
        str(path),
        project="strikes",
        format="doccano",
        user="owner",
        create_tags=True,
    )
    assert "1 annotations created" in capsys.readouterr().out
