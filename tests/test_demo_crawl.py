"""Every page of the loaded demo opens, on PostgreSQL, for every role.

The same crawl as ``make run``'s SQLite check (``tests/sqlite_crawl.py``):
from the home page, every link of Glossa's own is followed; none may answer
500, 404 or 403 (a link shown to someone who may not follow it: a viewer
once saw "Add documents").
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from projects.models import Project, Role
from projects.services import membership_set
from tests.sqlite_crawl import crawl


@pytest.fixture
def demo(settings, tmp_path, django_db_blocker):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_defaults", verbosity=0)
    call_command("load_demo", "--url", "http://127.0.0.1:8000/", verbosity=0)
    call_command("load_demo_incidents", verbosity=0)
    return Project.objects.get(slug="strikes-at-sea-demo")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_page_of_the_demo_opens_for_every_role(demo):
    users = {"owner": get_user_model().objects.get(username="demo")}
    for role in (Role.VIEWER, Role.ANALYST, Role.REVIEWER):
        user = get_user_model().objects.create(username=f"crawl-{role.value}")
        membership_set(project=demo, user=user, role=role)
        users[role.value] = user
    pages: dict[str, int] = {}
    for name, user in users.items():
        # The test server's own host name (ALLOWED_HOSTS holds it in tests).
        client = Client(raise_request_exception=False)
        client.force_login(user)

        crawled = crawl(client)

        assert crawled["failures"] == [], (name, crawled)
        pages[name] = crawled["pages"]
    # The crawl reached the workspace, and a viewer sees less than an owner.
    assert min(pages.values()) >= 30, pages
    assert pages[Role.VIEWER.value] < pages["owner"], pages
