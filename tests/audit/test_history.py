"""History: replay reproduces every state; tag changes are recorded;
pages, exports and the API show it to the right people only."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from annotations.models import Annotation, Tag
from annotations.services.annotations import annotation_update
from annotations.services.taxonomy import tag_create, tag_delete, tag_update
from audit.models import HistoryAction, HistoryEntry
from audit.selectors import HistoryGapError, history_replay
from audit.services import history_record, snapshot
from corpus.services import assignment_create, assignment_submit
from projects.errors import ApplicationError
from review.services import adjudication_accept, adjudication_reject
from tests.factories import make_annotation


def _state(state: dict[str, Any] | None) -> dict[str, Any]:
    """A snapshot that is present (``None`` is a deleted or not-yet-made object)."""
    assert state is not None
    return state


def record_edit(annotation: Annotation, user, add_tag=None, **changes) -> dict:
    """Edit through the model and record it, as a service does."""
    before = snapshot(annotation)
    if add_tag is not None:
        annotation.tags.add(add_tag)
    for name, value in changes.items():
        setattr(annotation, name, value)
    annotation.version += 1
    annotation.save()
    after = snapshot(annotation)
    history_record(
        project=annotation.project,
        actor=user,
        obj=annotation,
        action=HistoryAction.UPDATE,
        before=before,
        after=after,
    )
    return after


def test_replay_reproduces_every_state(sample_document, analyst, reviewer, owner):
    """States come from recorded edits, a submission and adjudication."""
    doc = sample_document
    ann = make_annotation(doc, analyst, 0, 16, ["official_claim"])
    states: list[dict[str, Any] | None] = [snapshot(ann)]
    history_record(
        project=doc.project,
        actor=analyst,
        obj=ann,
        action=HistoryAction.CREATE,
        after=states[0],
    )
    states.append(record_edit(ann, analyst, note="First reading"))
    casualty = Tag.objects.get(project=doc.project, key="casualty_figure")
    states.append(
        record_edit(ann, analyst, add_tag=casualty, note="Adds the casualty figure")
    )
    assignment = assignment_create(document=doc, annotator=analyst, assigned_by=owner)
    assignment_submit(assignment=assignment, user=analyst)  # draft -> submitted
    ann.refresh_from_db()
    states.append(snapshot(ann))
    adjudication_reject(
        document=doc,
        reviewer=reviewer,
        start=0,
        end=16,
        tag=Tag.objects.get(project=doc.project, key="official_claim"),
    )
    ann.refresh_from_db()
    states.append(snapshot(ann))
    pk = ann.pk
    before = snapshot(ann)
    ann.delete()
    history_record(
        project=doc.project,
        actor=owner,
        obj=ann,
        action=HistoryAction.DELETE,
        before=before,
        object_id=pk,
    )
    states.append(None)

    replay = history_replay("annotation", pk)
    assert replay == states
    assert [_state(s)["version"] for s in replay[:-1]] == [1, 2, 3, 4, 5]
    assert _state(replay[2])["tags"] == sorted(
        Tag.objects.filter(
            project=doc.project, key__in=["official_claim", "casualty_figure"]
        ).values_list("pk", flat=True)
    )
    assert _state(replay[3])["status"] == "submitted"
    assert _state(replay[4])["status"] == "rejected"


def test_replay_with_annotation_update(sample_document, analyst):
    """The same through the annotator's ``annotation_update`` service."""
    ann = make_annotation(sample_document, analyst, 0, 16, ["official_claim"])
    history_record(
        project=ann.project,
        actor=analyst,
        obj=ann,
        action=HistoryAction.CREATE,
        after=snapshot(ann),
    )
    states = [snapshot(ann)]
    for step, note in enumerate(["one", "two", "three"], start=1):
        ann = annotation_update(
            annotation=ann, user=analyst, expected_version=step, note=note
        )
        states.append(snapshot(ann))
    ann = annotation_update(
        annotation=ann,
        user=analyst,
        expected_version=4,
        tag_keys=["casualty_figure"],
    )
    states.append(snapshot(ann))
    assert history_replay("annotation", ann.pk) == states


def test_replay_detects_a_gap(sample_document, analyst):
    ann = make_annotation(sample_document, analyst, 0, 16, ["official_claim"])
    history_record(
        project=ann.project,
        actor=analyst,
        obj=ann,
        action=HistoryAction.CREATE,
        after=snapshot(ann),
    )
    ann.note = "written without a history entry"
    ann.save()
    record_edit(ann, analyst, note="recorded")
    with pytest.raises(HistoryGapError):
        history_replay("annotation", ann.pk)


def test_tag_changes_are_recorded_and_validated(project, owner):
    tag = tag_create(
        project=project,
        user=owner,
        key="vessel_seized",
        name="Vessel seized",
        colour="#112233",
        hotkey="7",
        patterns='[{"lemma": ["seize", "board"]}, {"cue": "hedge"}]',
    )
    assert tag.patterns == [{"lemma": ["seize", "board"]}, {"cue": "hedge"}]
    tag_update(tag=tag, user=owner, name="Vessel seized or boarded", hotkey="8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        tag_update(tag=tag, user=owner, patterns="[oops")
    with pytest.raises(ValidationError, match="Rule 1 must be an object"):
        tag_update(tag=tag, user=owner, patterns="[1, 2]")
    with pytest.raises(ValidationError, match="unknown keys: colour"):
        tag_update(tag=tag, user=owner, patterns='[{"cue": "x", "colour": "red"}]')
    with pytest.raises(ValidationError, match="must be a list"):
        tag_update(tag=tag, user=owner, patterns='{"cue": "x"}')
    with pytest.raises(ValidationError):
        tag_update(tag=tag, user=owner, colour="red")
    taken = project.tags.exclude(pk=tag.pk).exclude(hotkey="").first().hotkey
    with pytest.raises(ValidationError):
        tag_update(tag=tag, user=owner, hotkey=taken)
    pk = tag.pk
    tag_delete(tag=tag, user=owner)
    entries = HistoryEntry.objects.filter(object_type="tag", object_id=pk)
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert _state(entries[1].before)["name"] == "Vessel seized"
    assert _state(entries[1].after)["hotkey"] == "8"
    states = history_replay("tag", pk)
    assert _state(states[1])["name"] == "Vessel seized or boarded" and states[2] is None


def test_used_tag_cannot_be_deleted_or_rekeyed(sample_document, analyst, owner):
    tag = Tag.objects.get(project=sample_document.project, key="official_claim")
    make_annotation(sample_document, analyst, 0, 16, ["official_claim"])
    with pytest.raises(ApplicationError, match="deactivate"):
        tag_delete(tag=tag, user=owner)
    with pytest.raises(ApplicationError, match="key cannot change"):
        tag_update(tag=tag, user=owner, key="renamed")


@pytest.fixture
def edited(sample_document, analyst, reviewer):
    ann = make_annotation(sample_document, analyst, 0, 16, ["official_claim"])
    history_record(
        project=ann.project,
        actor=analyst,
        obj=ann,
        action=HistoryAction.CREATE,
        after=snapshot(ann),
    )
    record_edit(ann, analyst, note='=HYPERLINK("http://evil")')
    adjudication_accept(
        document=sample_document,
        reviewer=reviewer,
        start=0,
        end=16,
        tag=Tag.objects.get(project=ann.project, key="official_claim"),
    )
    return ann


def test_history_pages_filters_and_exports(client, edited, owner, project):
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/history/")
    assert page.status_code == 200
    # Names, not ids: the annotation by its quote, people by their names.
    assert f"annotation “{edited.quote}”".encode() in page.content
    assert b"annotation #" not in page.content
    only_reviewer = client.get(f"/p/{project.slug}/history/?actor=reviewer")
    assert b"analyst" not in only_reviewer.content.split(b"<tbody>")[1]
    obj = client.get(f"/p/{project.slug}/history/annotation/{edited.pk}/")
    assert obj.status_code == 200
    assert obj.content.count(b"<li>") >= 3  # create, update, accepted
    jsonl = b"".join(
        client.get(f"/p/{project.slug}/history/export.jsonl?type=annotation")
    )
    rows = [json.loads(line) for line in jsonl.decode().splitlines()]
    assert {r["object_type"] for r in rows} == {"annotation"}
    assert rows[0]["action"] == "create" and rows[0]["actor"] == "analyst"
    text = b"".join(
        client.get(f"/p/{project.slug}/history/export.csv").streaming_content
    ).decode()
    records = list(csv.DictReader(io.StringIO(text)))
    assert len(records) == HistoryEntry.objects.filter(project=project).count()
    assert all(not r["after"].startswith("=") for r in records)
    api = client.get(
        f"/api/history/?project={project.slug}&type=annotation&id={edited.pk}"
    )
    assert api.status_code == 200
    assert api.json()["count"] >= 3


def test_blind_mode_hides_history_from_analysts(client, edited, analyst, project):
    client.force_login(analyst)
    assert client.get(f"/p/{project.slug}/history/").status_code == 200
    project.blind_mode = True
    project.save()
    assert client.get(f"/p/{project.slug}/history/").status_code == 403
    assert client.get(f"/p/{project.slug}/history/export.jsonl").status_code == 403
    assert client.get(f"/api/history/?project={project.slug}").json()["count"] == 0


def test_default_tags_have_a_history_from_the_start(client, owner, project):
    """The tags page links each tag's history: a new project's default tags
    were made by Glossa and say so, rather than the link leading nowhere."""
    tags = list(Tag.objects.filter(project=project))
    created = HistoryEntry.objects.filter(
        project=project, object_type="tag", action=HistoryAction.CREATE
    )
    assert tags and {e.object_id for e in created} == {t.pk for t in tags}
    assert all(e.actor_id is None and _state(e.after)["key"] for e in created)
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/history/tag/{tags[0].pk}/")
    assert page.status_code == 200
    assert b"(system)" in page.content and b"Created" in page.content


def test_an_object_without_history_has_an_empty_state(client, owner, project):
    HistoryEntry.objects.filter(project=project, object_type="tag").delete()
    tag = Tag.objects.filter(project=project).first()
    assert tag is not None
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/history/tag/{tag.pk}/")
    assert page.status_code == 200
    assert b"No change to this tag has been recorded" in page.content
    assert b"Export this history" not in page.content
