"""Default taxonomy and framework are loaded with every new project."""

from __future__ import annotations

from django.core.management import call_command

from annotations.defaults import default_tags
from annotations.models import Tag
from legal.defaults import default_framework
from legal.models import Criterion, Element
from projects.services import project_create

REQUIRED_TAGS = {
    "official_claim",
    "no_evidence_provided",
    "experts_say_illegal",
    "legal_characterization_by_official",
    "casualty_figure",
    "hedged_allegation",
    "refusal_or_non_answer",
    "rescue_or_survivor",
    "denial_or_rebuttal",
}


def test_new_project_gets_default_tags_and_framework(project):
    keys = set(project.tags.values_list("key", flat=True))
    assert keys >= REQUIRED_TAGS
    assert Criterion.objects.filter(framework__project=project).count() >= 12
    assert Element.objects.filter(criterion__framework__project=project).count() >= 30


def test_default_framework_covers_the_required_instruments():
    text = " ".join(
        f"{c['instrument']} {c['article']} {c['title']}"
        for c in default_framework()["criteria"]
    ).lower()
    for needle in [
        "charter",
        "iccpr",
        "basic principles",
        "unclos",
        "1988",
        "investigat",
    ]:
        assert needle in text, needle
    for article in ["87", "92", "98", "108", "110"]:
        assert (
            f"art. {article}" in text or f"arts. {article}" in text or article in text
        )


def test_element_tags_refer_to_default_tags():
    keys = {t["key"] for t in default_tags()}
    for criterion in default_framework()["criteria"]:
        for element in criterion["elements"]:
            assert set(element["tags"]) <= keys, (criterion["key"], element["key"])


def test_hotkeys_are_unique():
    hotkeys = [t["hotkey"] for t in default_tags() if t.get("hotkey")]
    assert len(hotkeys) == len(set(hotkeys))


def test_load_defaults_is_idempotent_and_keeps_owner_edits(project):
    tag = project.tags.get(key="official_claim")
    tag.name = "Government claim"
    tag.save()
    counts = (Tag.objects.count(), Criterion.objects.count(), Element.objects.count())
    call_command("load_defaults")
    call_command("load_defaults", project=project.slug)
    assert (
        Tag.objects.count(),
        Criterion.objects.count(),
        Element.objects.count(),
    ) == counts
    assert project.tags.get(key="official_claim").name == "Government claim"


def test_each_project_gets_its_own_copy(owner):
    first = project_create(name="One", created_by=owner)
    second = project_create(name="Two", created_by=owner)
    assert first.tags.count() == second.tags.count() > 0
    assert not set(first.tags.values_list("pk", flat=True)) & set(
        second.tags.values_list("pk", flat=True)
    )


def test_load_defaults_fills_missing_patterns_but_keeps_edited_ones(project):
    defaults = {t["key"]: t for t in default_tags()}
    project.tags.filter(key="official_claim").update(patterns=[])
    edited = [{"lemma": ["proclaim"]}]
    project.tags.filter(key="casualty_figure").update(patterns=edited)
    call_command("load_defaults", project=project.slug)
    assert (
        project.tags.get(key="official_claim").patterns
        == defaults["official_claim"]["patterns"]
    )
    assert project.tags.get(key="casualty_figure").patterns == edited
