"""The history pages name people and objects instead of showing their ids."""

from __future__ import annotations

from audit.models import HistoryEntry
from corpus.services import assignment_create
from tests.factories import make_annotation


def test_history_shows_names_not_ids(client, project, owner, analyst, document):
    # Only this test's entries: a default tag's (its order, say) could show
    # the number the last assertion looks for.
    HistoryEntry.objects.filter(project=project, object_type="tag").delete()
    analyst.first_name, analyst.last_name = "Ana", "Ruiz"
    analyst.save()
    assignment = assignment_create(
        document=document, annotator=analyst, assigned_by=owner
    )
    make_annotation(document, analyst, 0, 6, ["official_claim"], history=True)
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/history/").content.decode()
    body = page.split("<thead>")[1]
    assert '<th scope="row">annotator</th>' in body
    assert "Ana Ruiz" in body  # the annotator, and the actor of the annotation
    assert f'<td class="after">{document.title}</td>' in body
    assert "Official claim" in body  # the tag, not its id
    assert f'<td class="after">{analyst.pk}</td>' not in body
    one = client.get(f"/p/{project.slug}/history/assignment/{assignment.pk}/")
    assert "Ana Ruiz" in one.content.decode()
