"""The one document search: the document list and ``/api/search/`` agree.

Both go through ``corpus.selectors.documents_search`` (stored
``search_vector``, GIN index, bounded candidate set). The plan tests run
EXPLAIN on the SQL the endpoints actually sent, with sequential scans (and,
for the list, sorts) priced out: on a table of a few rows the planner would
otherwise pick them whatever the query shape; what matters is that the shape
lets PostgreSQL use the index at all.
"""

from __future__ import annotations

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from corpus.models import Document
from projects.services import project_create
from tests.factories import DocumentFactory, UserFactory

pytestmark = pytest.mark.django_db
postgres = pytest.mark.postgres


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def corpus(project):
    """Matches of different strength, a miss, and a match in another project."""
    DocumentFactory(
        project=project,
        title="Survivors of the coast guard strike",
        text="The coast guard said survivors were taken to port.",
    )
    DocumentFactory(
        project=project,
        title="Statement",
        text="Survivors were left in the water. Survivors waited for rescue.",
    )
    DocumentFactory(
        project=project,
        title="Briefing",
        text="One survivor was seen near the guard post on the coast.",
    )
    DocumentFactory(
        project=project, title="Other", text="The ministry issued a statement."
    )
    stranger = cast(User, UserFactory(username="stranger"))
    secret = project_create(name="Secret", slug="secret", created_by=stranger)
    DocumentFactory(
        project=secret, title="Hidden survivors", text="Survivors hidden elsewhere."
    )
    return stranger


def list_page_ids(user, q: str) -> list[int]:
    client = Client()
    client.force_login(user)
    response = client.get("/p/strikes/documents/", {"q": q})
    assert response.status_code == 200
    return [doc.pk for doc in response.context["page"].object_list]


@postgres
@pytest.mark.parametrize("q", ["survivors", '"coast guard"', "survivor -rescue"])
def test_document_list_and_api_search_return_the_same_documents(owner, corpus, q):
    """Same ids in the same order, scoped or not to the project."""
    expected = list_page_ids(owner, q)
    assert expected, "the query must match something"
    api = api_as(owner)
    for params in ({"q": q}, {"q": q, "project": "strikes"}):
        response = api.get("/api/search/", params)
        assert response.status_code == 200
        assert [d["id"] for d in response.data["results"]] == expected
        assert response.data["count"] == len(expected)


@postgres
def test_api_search_keeps_rank_and_headline(owner, corpus):
    results = api_as(owner).get("/api/search/", {"q": "survivors"}).data["results"]
    assert [d["title"] for d in results] == [
        "Survivors of the coast guard strike",  # title hit (weight A) first
        "Statement",
        "Briefing",
    ]
    assert all(d["rank"] > 0 for d in results)
    assert results[0]["rank"] > results[1]["rank"]
    assert "«Survivors» were left" in results[1]["headline"]
    assert results[0]["project"] == "strikes" and "text" not in results[0]


@postgres
def test_api_search_page_fetches_rows_once(owner, project, django_assert_num_queries):
    """Rank ids, then one query for the page's rows, rank and headline."""
    for n in range(7):
        DocumentFactory(project=project, text=f"Survivors report number {n}.")
    api = api_as(owner)
    # Ranked ids (membership subquery inside), then the page's rows with
    # rank and headline; the count is the length of the id list.
    params: dict[str, str | int] = {"q": "survivors", "page_size": 3}
    with django_assert_num_queries(2):
        response = api.get("/api/search/", params)
    assert response.data["count"] == 7
    assert all(d["headline"] for d in response.data["results"])


def test_non_members_find_nothing(corpus, owner):
    stranger = corpus
    response = api_as(stranger).get("/api/search/", {"q": "survivors"})
    assert [d["title"] for d in response.data["results"]] == ["Hidden survivors"]
    forbidden = api_as(stranger).get(
        "/api/search/", {"q": "survivors", "project": "strikes"}
    )
    assert forbidden.status_code == 404
    nobody = UserFactory(username="nobody")
    assert api_as(nobody).get("/api/search/", {"q": "survivors"}).data["count"] == 0
    assert api_as(nobody).get("/api/documents/").data["count"] == 0
    owner_titles = {
        d["title"]
        for d in api_as(owner).get("/api/search/", {"q": "survivors"}).data["results"]
    }
    assert "Hidden survivors" not in owner_titles


def plan_of(sql: str, *settings: str) -> str:
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in settings:
            cursor.execute(f"RESET {setting}")
    return plan


def sent_sql(client, path: str, params: dict, marker: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    matching = [q["sql"] for q in ctx.captured_queries if marker in q["sql"]]
    assert len(matching) == 1, [q["sql"] for q in ctx.captured_queries]
    return matching[0]


@postgres
def test_api_search_uses_the_gin_index(owner, corpus):
    """The match is on the stored vector, so the GIN index can serve it.

    Every other way to reach the rows is priced out (sequential and plain
    index scans, and nested loops, which would let a bitmap scan of the
    project index run per membership): on a few rows the planner's choice
    among them depends on statistics. A tsvector rebuilt per row, as the
    endpoint once did, offers no index at all.
    """
    sql = sent_sql(
        api_as(owner), "/api/search/", {"q": "survivors"}, "search_vector @@"
    )
    plan = plan_of(sql, "enable_seqscan", "enable_indexscan", "enable_nestloop")
    assert "Bitmap Index Scan on corpus_document_search_gin" in plan, plan


@postgres
@pytest.mark.parametrize("params", [{"project": "strikes"}, {}])
def test_document_list_walks_the_project_index_without_sorting(owner, project, params):
    """One project (named, or the user's only one): an ordered index scan
    that stops after one page, never a sort of the whole project."""
    DocumentFactory.create_batch(3, project=project)
    sql = sent_sql(api_as(owner), "/api/documents/", params, '"captured_at" DESC')
    plan = plan_of(sql, "enable_seqscan", "enable_sort")
    assert "document_project_captured" in plan
    assert "Sort" not in plan, plan


@postgres
def test_document_list_over_several_projects_merges_per_project_walks(owner, project):
    """A member of several projects gets one list, newest capture first,
    paginated across projects; each project is read through its own index
    walk, never a sort of all their documents."""
    from datetime import timedelta

    from django.utils import timezone

    other = project_create(name="Second case", slug="second", created_by=owner)
    now = timezone.now()
    expected = []
    for n in range(7):
        doc = cast(
            Document,
            DocumentFactory(
                project=project if n % 3 else other,
                captured_at=now - timedelta(minutes=n),
            ),
        )
        expected.append(doc.pk)
    api = api_as(owner)
    first = api.get("/api/documents/", {"page_size": 3})
    assert first.data["count"] == 7
    ids = [d["id"] for d in first.data["results"]]
    for page in (2, 3):
        more = api.get("/api/documents/", {"page_size": 3, "page": page})
        ids += [d["id"] for d in more.data["results"]]
    assert ids == expected
    statements = api.get("/api/documents/", {"kind": "statement"})
    assert statements.data["count"] == 0
    sql = sent_sql(api, "/api/documents/", {}, "UNION ALL")
    plan = plan_of(sql, "enable_seqscan", "enable_sort")
    assert plan.count("document_project_captured") == 2, plan


def test_api_search_works_on_any_database(owner, corpus):
    """PostgreSQL matches words (stemmed), SQLite substrings: here both
    find the same documents, each with a rank and a passage."""
    results = api_as(owner).get("/api/search/", {"q": "statement"}).data["results"]
    assert {d["title"] for d in results} == {"Statement", "Other"}
    assert all(isinstance(d["rank"], float) and d["headline"] for d in results)
