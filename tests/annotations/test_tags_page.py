"""The owner's tags page: create, edit (patterns JSON validated), delete."""

from __future__ import annotations

from annotations.models import Tag
from audit.models import HistoryEntry
from tests.factories import make_annotation


def form(**overrides):
    data = {
        "key": "vessel_seized",
        "name": "Vessel seized",
        "description": "",
        "colour": "#334455",
        "hotkey": "9",
        "patterns": '[{"lemma": "seize"}]',
        "order": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_owner_creates_and_edits_a_tag(client, project, owner):
    client.force_login(owner)
    url = f"/p/{project.slug}/tags/"
    bad = client.post(url, form(patterns="{not json"))
    assert bad.status_code == 400
    assert b"not valid JSON" in bad.content
    no_condition = client.post(url, form(patterns='[{"confidence": 0.5}]'))
    assert no_condition.status_code == 400
    assert b"has no condition" in no_condition.content
    assert not Tag.objects.filter(project=project, key="vessel_seized").exists()
    taken = client.post(url, form(key="official_claim"))
    assert taken.status_code == 400
    assert client.post(url, form()).status_code == 302
    tag = Tag.objects.get(project=project, key="vessel_seized")
    assert (tag.hotkey, tag.patterns) == ("9", [{"lemma": "seize"}])
    edit = f"/p/{project.slug}/tags/{tag.pk}/"
    assert b"&quot;seize&quot;" in client.get(edit).content
    client.post(edit, form(name="Vessel seized or boarded", hotkey="", patterns="[]"))
    tag.refresh_from_db()
    assert (tag.name, tag.hotkey, tag.patterns) == ("Vessel seized or boarded", "", [])
    actions = list(
        HistoryEntry.objects.filter(object_type="tag", object_id=tag.pk).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "update"]
    history = client.get(f"/p/{project.slug}/history/tag/{tag.pk}/")
    assert b"Vessel seized or boarded" in history.content


def test_used_tag_is_kept(client, project, owner, sample_document, analyst):
    make_annotation(sample_document, analyst, 0, 16, ["official_claim"])
    tag = Tag.objects.get(project=project, key="official_claim")
    client.force_login(owner)
    response = client.post(
        f"/p/{project.slug}/tags/{tag.pk}/", {"action": "delete"}, follow=True
    )
    assert b"deactivate it instead" in response.content
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_tag_of_another_project_is_404(client, project, owner, other_project):
    client.force_login(owner)
    foreign = other_project.tags.first()
    assert client.get(f"/p/{project.slug}/tags/{foreign.pk}/").status_code == 404
