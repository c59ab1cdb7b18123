"""An archive exported before the split into apps still imports.

``data/archive_before_the_move.zip`` was written by the exporter of commit
0825dc4 (``annotations/exports/archive.py``, the last commit before the move; a
script in a checkout of that commit made the project below through its services
and called ``write_archive``), when Claim, Assessment, Assignment,
ClaimMention, ClaimQuantity and HistoryEntry lived in the ``annotations`` app
and Project and Membership in ``corpus``. Its project: two users, one document,
two annotations (one edited) and a third created and deleted, a comment, a
claim (edited) with a mention and a figure, an assessment citing the
annotation, an assignment, and the twelve history entries those writes
recorded.

Archives name objects without app labels: rows are keyed by member file and
history entries by the bare model name (``audit.services.object_type``),
which the move did not change; this test keeps it that way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from django.contrib.auth import get_user_model

from annotations.models import Annotation, Comment
from audit.models import HistoryEntry
from audit.selectors import history_replay
from corpus.models import Assignment, Document
from exchange.imports.archive import import_archive
from legal.models import Assessment, Claim, ClaimMention, ClaimQuantity

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ARCHIVE = Path(__file__).parent / "data" / "archive_before_the_move.zip"


@pytest.fixture
def imported(media_root):
    return import_archive(ARCHIVE)


def test_every_member_is_imported(imported):
    assert imported.project.slug == "before-move"
    assert imported.project.name == "Strikes before the move"
    assert imported.counts == {
        "sources": 1,
        "documents": 1,
        "analyses": 0,
        "tags": 18,
        "frameworks": 1,
        "criteria": 29,
        "elements": 105,
        "annotations": 2,
        "comments": 1,
        "suggestions": 0,
        "claims": 1,
        "mentions": 1,
        "quantities": 1,
        "assessments": 1,
        "assignments": 1,
        # The incident layer came later: an older archive simply has none.
        "incidents": 0,
        "source_grades": 0,
        "rejections": 0,
        # So did the account registry and blind decisions.
        "social_accounts": 0,
        "blind_decisions": 0,
        # And social posts with the exports they came from.
        "social_exports": 0,
        "social_posts": 0,
        "history": 12,
    }
    assert sorted(imported.users_created) == ["anton", "olga"]
    assert not get_user_model().objects.filter(is_active=True).exists()


def test_the_objects_of_moved_models_are_linked_as_before(imported):
    project = imported.project
    document = Document.objects.get(project=project)
    assert document.original_sha256() == document.sha256
    killed = Annotation.objects.get(project=project, quote__startswith="forces")
    assert killed.note == "Figure from the minister."
    assert sorted(killed.tags.values_list("key", flat=True)) == [
        "casualty_figure",
        "official_claim",
    ]
    claim = Claim.objects.get(project=project)
    assert claim.evidence_status == "not_provided"
    # "official" in the archive, renamed as migration legal 0003 renames it.
    assert claim.claimant_type == "acting_government"
    assert claim.created_by.username == "anton"
    assert list(
        ClaimMention.objects.filter(claim=claim).values_list("annotation", flat=True)
    ) == [killed.pk]
    quantity = ClaimQuantity.objects.get(claim=claim)
    assert (quantity.value, quantity.annotation_id) == (14, killed.pk)
    assessment = Assessment.objects.get(claim=claim)
    assert assessment.element is not None
    assert assessment.element.criterion.framework.project == project
    assert list(assessment.sources.all()) == [killed]
    assert Comment.objects.get(annotation=killed).author.username == "olga"
    assignment = Assignment.objects.get(document=document)
    assert assignment.annotator.username == "anton"


def test_history_of_moved_models_points_at_the_imported_objects(imported):
    """Entries recorded when Claim & co. lived in ``annotations`` are mapped
    to the new ids of the objects, which now live in ``legal`` and
    ``corpus``; the deleted annotation gets an id no object has."""
    project = imported.project
    entries = HistoryEntry.objects.filter(project=project)
    assert sorted(entries.values_list("object_type", "action")) == sorted(
        [
            ("annotation", "create"),
            ("annotation", "update"),
            ("annotation", "create"),
            ("annotation", "create"),
            ("annotation", "delete"),
            ("comment", "create"),
            ("claim", "create"),
            ("claimmention", "create"),
            ("claim", "update"),
            ("claimquantity", "create"),
            ("assessment", "create"),
            ("assignment", "create"),
        ]
    )
    live = {
        "claim": Claim.objects.filter(project=project),
        "claimmention": ClaimMention.objects.filter(claim__project=project),
        "claimquantity": ClaimQuantity.objects.filter(claim__project=project),
        "assessment": Assessment.objects.filter(project=project),
        "assignment": Assignment.objects.filter(document__project=project),
        "comment": Comment.objects.filter(annotation__project=project),
    }
    for object_type, queryset in live.items():
        ids = set(queryset.values_list("pk", flat=True))
        recorded = set(
            entries.filter(object_type=object_type).values_list("object_id", flat=True)
        )
        assert recorded == ids, object_type
    claim = Claim.objects.get(project=project)
    # Created and updated, never deleted: every state is a snapshot.
    states = cast(list[dict[str, Any]], history_replay("claim", claim.pk))
    assert [s["evidence_status"] for s in states] == ["unknown", "not_provided"]
    assert {s["claimant_type"] for s in states} == {"acting_government"}
    assert {s["id"] for s in states} == {claim.pk}
    assert {s["project_id"] for s in states} == {project.pk}
    deleted = entries.get(object_type="annotation", action="delete")
    assert not Annotation.objects.filter(pk=deleted.object_id).exists()
    assert deleted.before is not None
    assert deleted.before["quote"] == "Defence Minister"


def test_model_names_are_unique_across_apps():
    """History entries and archives name models without their app, which is
    only unambiguous while no two apps have a model of the same name."""
    from django.apps import apps

    names = [model._meta.model_name for model in apps.get_models()]
    assert len(names) == len(set(names))
