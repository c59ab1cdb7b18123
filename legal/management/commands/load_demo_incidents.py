"""Load a small fictional campaign into the demo project: eight short
reports (written for Glossa, about invented places), four incidents with
conflicting figures, graded sources and a tally that disagrees with the sum.

Idempotent: does nothing if the project already has incidents. Run after
``load_demo`` (``make run``): ``manage.py load_demo_incidents``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from annotations.services.annotations import annotation_create
from corpus.models import Source, SourceKind
from corpus.services import DuplicateDocument, document_create
from legal.models import Incident
from legal.services.claims import claim_create, claim_quantity_add
from legal.services.grades import claim_grade_set, source_grade_set
from legal.services.incidents import incident_create, incident_link_claim
from projects.models import Project, Role

# (source, kind, reliability, day, title, text, [(quote, claimant, claimant
# type, incident index or None, [(value, counts, bound, cumulative)])])
REPORTS: list[tuple[Any, ...]] = [
    (
        "Harbour Watch Collective", SourceKind.NGO, "B", date(2025, 10, 3),
        "Fishing skiff sunk off Cabo Lirio",
        "A fishing skiff from Puerto Salma was sunk off Cabo Lirio on 2 October. "
        "Relatives said five men were aboard and that three were killed. Two "
        "survivors were taken to the clinic in Puerto Salma.",
        [("three were killed", "Relatives of the crew", "witness", 0,
          [(3, "killed", "exact", False), (5, "aboard", "exact", False)]),
         ("Two survivors were taken to the clinic", "Harbour Watch Collective",
          "rights_group", 0, [(2, "survivors", "exact", False)])],
    ),
    (
        "Navy of Veridia", SourceKind.GOVERNMENT, "D", date(2025, 10, 2),
        "Navy statement on the Cabo Lirio engagement",
        "The Navy of Veridia engaged a vessel carrying contraband near Cabo Lirio. "
        "Four combatants were neutralised. No survivors were observed.",
        [("Four combatants were neutralised", "Navy of Veridia", "acting_government", 0,
          [(4, "killed", "exact", False)])],
    ),
    (
        "Meridian Wire", SourceKind.WIRE, "B", date(2025, 10, 9),
        "Second strike in a week near the Salma banks",
        "At least six people died when two boats were hit near the Salma banks on "
        "8 October, a port official said. One person is missing.",
        [("At least six people died when two boats were hit",
          "A port official", "acting_government", 1,
          [(6, "killed", "at_least", False)]),
         ("One person is missing", "A port official", "acting_government", 1,
          [(1, "missing", "exact", False)])],
    ),
    (
        "Salma Coast Radio", SourceKind.OUTLET, "C", date(2025, 10, 10),
        "Families mourn eight after strike on the banks",
        "Families in Puerto Salma said eight fishermen were killed on the banks "
        "on Wednesday.",
        [("eight fishermen were killed", "Families in Puerto Salma", "witness", 1,
          [(8, "killed", "exact", False)])],
    ),
    (
        "Navy of Veridia", SourceKind.GOVERNMENT, "D", date(2025, 10, 21),
        "Navy statement on operations of 20 October",
        "In an operation on 20 October the Navy of Veridia struck a semi-submersible "
        "west of Isla Brava. Two combatants were killed.",
        [("Two combatants were killed", "Navy of Veridia", "acting_government", 2,
          [(2, "killed", "exact", False)])],
    ),
    (
        "Office of the Regional Rapporteur", SourceKind.UN_BODY, "A",
        date(2025, 10, 24),
        "Rapporteur alarmed by strikes at sea",
        "The Rapporteur said the strike west of Isla Brava killed two people and "
        "that a third was injured. Since the campaign began at least 25 people "
        "have been killed in five strikes.",
        [("killed two people and that a third was injured", "The Rapporteur",
          "un", 2,
          [(2, "killed", "exact", False), (1, "injured", "exact", False)]),
         ("at least 25 people have been killed in five strikes", "The Rapporteur",
          "un", None,
          [(25, "killed", "at_least", True), (5, "strikes", "exact", True)])],
    ),
    (
        "Meridian Wire", SourceKind.WIRE, "B", date(2025, 10, 29),
        "Boat struck off Punta Gris, four dead",
        "Four people were killed when a boat was struck off Punta Gris on 28 October, "
        "according to the coast guard of Corvania, which rescued one survivor.",
        [("Four people were killed when a boat was struck", "Coast guard of Corvania",
          "other_government", 3, [(4, "killed", "exact", False)]),
         ("rescued one survivor", "Coast guard of Corvania", "other_government", 3,
          [(1, "survivors", "exact", False)])],
    ),
    (
        "Salma Coast Radio", SourceKind.OUTLET, "C", date(2025, 10, 30),
        "Survivor of Punta Gris strike speaks",
        "The survivor said six men had been aboard and that up to five of them died.",
        [("up to five of them died", "The survivor", "witness", 3,
          [(5, "killed", "up_to", False), (6, "aboard", "exact", False)])],
    ),
]  # fmt: skip

INCIDENTS = [
    (date(2025, 10, 2), "Cabo Lirio", 13.1, -72.4, "Fishing skiff from Puerto "
     "Salma sunk off Cabo Lirio.", "fishing skiff", 1, "acknowledged"),
    (date(2025, 10, 8), "Salma banks", 12.7, -71.9, "Two boats struck near the "
     "Salma banks.", "fishing boat", 2, "alleged"),
    (date(2025, 10, 20), "West of Isla Brava", 12.2, -73.3, "Semi-submersible "
     "struck west of Isla Brava.", "semi-submersible", 1, "acknowledged"),
    (date(2025, 10, 28), "Off Punta Gris", 11.8, -72.8, "Boat struck off Punta "
     "Gris; one survivor rescued.", "boat", 1, "disputed"),
]  # fmt: skip


class Command(BaseCommand):
    help = "Load a small fictional campaign of incidents into the demo project."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", default="strikes-at-sea-demo")

    @transaction.atomic
    def handle(self, *args, project: str, **options) -> None:
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(f"No project {project!r}: run load_demo first.")
        if Incident.objects.filter(project=target).exists():
            self.stdout.write(f"{project}: incidents already loaded.")
            return
        owner = target.memberships.filter(role=Role.OWNER).first()
        if owner is None:
            raise CommandError(f"{project} has no owner to record the work.")
        user = owner.user
        incidents = [
            incident_create(
                project=target, user=user, date=day, place=place,
                latitude=lat, longitude=lon, description=description,
                acting_forces="Navy of Veridia", targets=targets,
                target_count=count, status=status, area="Gulf of Salma",
            )
            for day, place, lat, lon, description, targets, count, status in INCIDENTS
        ]  # fmt: skip
        graded: set[str] = set()
        for source_name, kind, grade, day, title, text, claims in REPORTS:
            source, _ = Source.objects.get_or_create(
                project=target, name=source_name, defaults={"kind": kind}
            )
            if source_name not in graded:
                source_grade_set(
                    source=source, user=user, reliability=grade,
                    rationale="Demo grade: track record in this campaign.",
                )  # fmt: skip
                graded.add(source_name)
            try:
                document = document_create(
                    project=target,
                    original=f"{title}\n\n{text}".encode(),
                    text=text,
                    title=title,
                    source=source,
                    captured_by=user,
                    published_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                )
            except DuplicateDocument:
                continue
            for quote, claimant, claimant_type, index, figures in claims:
                start = text.index(quote)
                annotation = annotation_create(
                    document=document, author=user, start=start,
                    end=start + len(quote), tag_keys=["casualty_figure"],
                )  # fmt: skip
                claim = claim_create(
                    project=target, user=user, proposition=quote[0].upper() + quote[1:],
                    claimant=claimant, claimant_type=claimant_type,
                    event_date=None if index is None else INCIDENTS[index][0],
                    annotation=annotation,
                )  # fmt: skip
                for value, counts, bound, cumulative in figures:
                    claim_quantity_add(
                        claim=claim, user=user, value=value, counts=counts,
                        bound=bound, cumulative=cumulative,
                        as_of=day if cumulative else None, annotation=annotation,
                    )  # fmt: skip
                if index is not None:
                    claim = incident_link_claim(
                        incident=incidents[index], claim=claim, user=user
                    )
                if claimant == "Navy of Veridia":
                    claim_grade_set(
                        claim=claim, user=user, expected_version=claim.version,
                        credibility="4",
                        rationale="Demo grade: no evidence offered for 'combatants'.",
                    )  # fmt: skip
        self.stdout.write(
            f"{project}: {len(incidents)} incidents from {len(REPORTS)} reports."
        )
