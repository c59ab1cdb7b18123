"""The demo campaign: four incidents from eight reports, conflicting
figures, and a tally that disagrees with the register."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from legal.incident_selectors import incident_list, register_rows
from legal.models import Incident
from legal.tallies import TALLY_HIGHER, tally_checks
from projects.services import project_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_demo_campaign_shows_ranges_and_a_discrepancy(owner, media_root):
    project = project_create(name="Demo", slug="strikes-at-sea-demo", created_by=owner)
    call_command("load_demo_incidents")
    call_command("load_demo_incidents")  # idempotent
    assert Incident.objects.filter(project=project).count() == 4
    assert project.documents.count() == 8
    rows = register_rows(user=owner, incidents=incident_list(project=project))
    killed = {r.incident.code: str(r.killed) for r in rows}
    assert killed == {
        "STR-0001": "3\u20134",
        "STR-0002": "6\u20138",
        "STR-0003": "2",
        "STR-0004": "4\u20135",
    }
    checks = tally_checks(user=owner, project=project)
    killed_check = next(c for c in checks if c.figure.category == "killed")
    assert killed_check.status == TALLY_HIGHER
    assert "The tally counts 5 strikes, the register 3: 2 missing." in (
        killed_check.message
    )
    assert {r.best_grade for r in rows} >= {"B?", "A?"}
