"""Claimant types become the ten of ``shared/guide/tags.md`` (issue 12).

Stored values are renamed (``FORWARD``). Each renamed claim also gets one
history entry, by no one, from its last recorded state to the renamed one:
older entries keep the old name (the record shows what was stored then),
and the chain stays continuous, so ``audit.selectors.history_replay`` and
the archive integrity check keep working and the next edit's ``before``
matches. Reversing renames back as closely as the old list allows
(``BACKWARD``) and records that too.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

FORWARD = {
    "official": "acting_government",
    "military": "acting_government",
    "un_body": "un",
    "ngo": "rights_group",
    "journalist": "reporter",
    "unattributed": "reporter",
}
"""Old name -> new name; other_government, expert, legislator, witness stay."""

BACKWARD = {
    "acting_government": "official",
    "un": "un_body",
    "rights_group": "ngo",
    "reporter": "unattributed",
    "columnist": "journalist",
    "media": "journalist",
}
"""Best effort: military, journalist and unattributed are not recovered."""

OLD_TYPES = [
    ("official", "Official (acting government)"),
    ("military", "Military"),
    ("other_government", "Other government"),
    ("expert", "Expert or lawyer"),
    ("un_body", "UN body or official"),
    ("ngo", "NGO or rights group"),
    ("journalist", "Journalist or reporter"),
    ("legislator", "Legislator"),
    ("witness", "Witness, survivor or relative"),
    ("unattributed", "Unattributed"),
]

NEW_TYPES = [
    ("acting_government", "Acting government (the state that used force)"),
    ("other_government", "Other government"),
    ("un", "UN body or official"),
    ("rights_group", "Rights group"),
    ("expert", "Expert (lawyer, academic, legal commentator)"),
    ("reporter", "Reporter (the document's own voice)"),
    ("columnist", "Columnist"),
    ("media", "Other media (an outlet cited)"),
    ("legislator", "Legislator"),
    ("witness", "Witness, survivor or relative"),
]


def rename(apps: Any, mapping: dict[str, str]) -> None:
    """Rename stored claimant types and record each change in history."""
    Claim = apps.get_model("legal", "Claim")
    HistoryEntry = apps.get_model("audit", "HistoryEntry")
    for claim in Claim.objects.filter(claimant_type__in=list(mapping)).iterator():
        new = mapping[claim.claimant_type]
        last = (
            HistoryEntry.objects.filter(object_type="claim", object_id=claim.pk)
            .order_by("-at", "-pk")
            .first()
        )
        Claim.objects.filter(pk=claim.pk).update(claimant_type=new)
        if last is not None and isinstance(last.after, dict):
            HistoryEntry.objects.create(
                project_id=claim.project_id,
                object_type="claim",
                object_id=claim.pk,
                action="update",
                actor=None,
                before=last.after,
                after={**last.after, "claimant_type": new},
            )


def forward(apps: Any, schema_editor: Any) -> None:
    rename(apps, FORWARD)


def backward(apps: Any, schema_editor: Any) -> None:
    rename(apps, BACKWARD)


def check(values: list[str]) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(claimant_type__in=values),
        name="claim_claimant_type_valid",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0002_incidents_and_grades"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="claim", name="claim_claimant_type_valid"
        ),
        # Both lists allowed while the rows are renamed, in either direction.
        migrations.AlterField(
            model_name="claim",
            name="claimant_type",
            field=models.CharField(max_length=32),
        ),
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="claim",
            name="claimant_type",
            field=models.CharField(
                choices=NEW_TYPES, default="reporter", max_length=32
            ),
        ),
        migrations.AddConstraint(
            model_name="claim", constraint=check([v for v, _ in NEW_TYPES])
        ),
    ]
