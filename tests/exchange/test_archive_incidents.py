"""A project archive carries the incident layer: incidents, the claims linked
to them, source grades and rejected proposals, with every id remapped."""

from __future__ import annotations

import io

from exchange.imports.archive import import_archive
from legal.incident_proposals import link_key, merge_key
from legal.models import Claim, Incident, ProposalRejection, SourceGrade
from legal.services.grades import source_grade_set
from legal.services.incidents import (
    incident_create,
    incident_link_claim,
    proposal_reject,
)
from tests.exchange.test_archive import export_bytes


def test_incidents_grades_and_rejections_survive_the_archive(rich_project, owner):
    project = rich_project["project"]
    claim = rich_project["claim"]
    first = incident_create(
        project=project, user=owner, date=claim.created_at.date(), description="A"
    )
    second = incident_create(
        project=project, user=owner, date=claim.created_at.date(), description="B"
    )
    incident_link_claim(incident=first, claim=claim, user=owner)
    source = rich_project["documents"][0].source
    source_grade_set(source=source, user=owner, reliability="B", rationale="Usual")
    proposal_reject(project=project, user=owner, key=link_key(claim.pk, second.pk))
    proposal_reject(project=project, user=owner, key=merge_key(first.pk, second.pk))

    copy = import_archive(io.BytesIO(export_bytes(project)), as_slug="copy").project

    incidents = {i.description: i for i in Incident.objects.filter(project=copy)}
    assert set(incidents) == {"A", "B"}
    assert {i.code for i in incidents.values()} == {first.code, second.code}
    copied_claim = Claim.objects.get(project=copy, proposition=claim.proposition)
    assert copied_claim.incident_id == incidents["A"].pk
    grade = SourceGrade.objects.get(project=copy)
    assert (grade.source.name, grade.reliability) == (source.name, "B")
    keys = set(
        ProposalRejection.objects.filter(project=copy).values_list("key", flat=True)
    )
    new_a, new_b = incidents["A"].pk, incidents["B"].pk
    assert keys == {link_key(copied_claim.pk, new_b), merge_key(new_a, new_b)}
