"""An optional translation note per claim (issue 16): briefs quote in the
original language and show the analyst's translation beside the quote.

Each claim with a recorded history also gets one entry, by no one, from its
last recorded state to that state with the new (empty) field, as migration
0003 does for its renames: the chain stays continuous, so
``audit.selectors.history_replay`` and the archive integrity check keep
working and the next edit's ``before`` matches. Reversing records the
field's removal the same way.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

FIELD = "translation_note"


def record(apps: Any, *, added: bool) -> None:
    """Record the field's arrival (``added``) or removal in each claim's history."""
    Claim = apps.get_model("legal", "Claim")
    HistoryEntry = apps.get_model("audit", "HistoryEntry")
    for claim in Claim.objects.only("pk", "project_id").iterator():
        last = (
            HistoryEntry.objects.filter(object_type="claim", object_id=claim.pk)
            .order_by("-at", "-pk")
            .first()
        )
        if last is None or not isinstance(last.after, dict):
            continue
        if (FIELD in last.after) == added:
            continue  # already in that shape
        after = dict(last.after)
        if added:
            after[FIELD] = ""  # every claim's value right after AddField
        else:
            after.pop(FIELD)
        HistoryEntry.objects.create(
            project_id=claim.project_id,
            object_type="claim",
            object_id=claim.pk,
            action="update",
            actor=None,
            before=last.after,
            after=after,
        )


def forward(apps: Any, schema_editor: Any) -> None:
    record(apps, added=True)


def backward(apps: Any, schema_editor: Any) -> None:
    record(apps, added=False)


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0003_claimant_types_of_tags_guide"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name=FIELD,
            field=models.TextField(
                blank=True,
                help_text=(
                    "The analyst's translation of the claim's quotes into the "
                    "brief's language; the quotes themselves stay verbatim in "
                    "the original."
                ),
            ),
        ),
        # Backward runs before the column is dropped, while it still holds
        # the values the removal entries record (none on the way forward).
        migrations.RunPython(forward, backward),
    ]
