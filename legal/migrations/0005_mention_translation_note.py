"""A translation note per quote (issue 16): each quoted mention of a claim
(``ClaimMention``) gets its own optional note, shown under that quote in
briefs and edited beside it on the claim's page.

The claim's own note (``Claim.translation_note``, migration 0004) is kept,
not moved: it was written for all of a claim's quotes at once, and it still
stands under every foreign quote that has no note of its own. Moving it
onto one quote would take it away from the others.

Each mention with a recorded history gets one entry, by no one, from its
last recorded state to that state with the new (empty) field, as 0004 does
for claims, so the history chain stays continuous and the next edit's
``before`` matches. Reversing records the field's removal the same way.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

FIELD = "translation_note"


def record(apps: Any, *, added: bool) -> None:
    """Record the field's arrival (``added``) or removal in each mention's history."""
    ClaimMention = apps.get_model("legal", "ClaimMention")
    HistoryEntry = apps.get_model("audit", "HistoryEntry")
    mentions = ClaimMention.objects.select_related("claim").only(
        "pk", "claim__project_id"
    )
    for mention in mentions.iterator():
        last = (
            HistoryEntry.objects.filter(
                object_type="claimmention", object_id=mention.pk
            )
            .order_by("-at", "-pk")
            .first()
        )
        if last is None or not isinstance(last.after, dict):
            continue
        if (FIELD in last.after) == added:
            continue  # already in that shape
        after = dict(last.after)
        if added:
            after[FIELD] = ""  # every mention's value right after AddField
        else:
            after.pop(FIELD)
        HistoryEntry.objects.create(
            project_id=mention.claim.project_id,
            object_type="claimmention",
            object_id=mention.pk,
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
        ("legal", "0004_claim_translation_note"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimmention",
            name=FIELD,
            field=models.TextField(
                blank=True,
                help_text=(
                    "The analyst's translation of this quote into the brief's "
                    "language; the quote itself stays verbatim in the original. "
                    "Shown under the quote in briefs, before the claim's own "
                    "translation note."
                ),
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name=FIELD,
            field=models.TextField(
                blank=True,
                help_text=(
                    "The analyst's translation of the claim's quotes into the "
                    "brief's language, for every quote without a translation "
                    "note of its own (ClaimMention.translation_note); the quotes "
                    "themselves stay verbatim in the original."
                ),
            ),
        ),
        # Backward runs before the column is dropped, while it still holds
        # the values the removal entries record (none on the way forward).
        migrations.RunPython(forward, backward),
    ]
