"""Every page of the loaded demo opens, on PostgreSQL, for its owner.

The same crawl as ``make run``'s SQLite check (``tests/sqlite_crawl.py``):
from the home page, every link of Glossa's own is followed; none may answer
500 or 404.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.sqlite_crawl import crawl


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_every_page_of_the_demo_opens(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("load_defaults", verbosity=0)
    call_command("load_demo", "--url", "http://127.0.0.1:8000/", verbosity=0)
    call_command("load_demo_incidents", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="demo"))

    crawled = crawl(client)

    assert crawled["failures"] == [], crawled
    assert crawled["pages"] >= 30, crawled
