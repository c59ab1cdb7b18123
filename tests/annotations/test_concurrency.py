"""Eight clients editing the same annotations at once lose no update.

Runs against the annotator branch's ``annotation_update`` (contract in the
brief: row lock with ``select_for_update``, version check, ``ConflictError``
on a stale version, ``version += 1`` and a history entry on success). Each
thread has its own database connection and closes it at the end. Every save
must either land (its note visible in the history, with its own version) or
raise ``ConflictError``; the final version is 1 + the saves that landed.
"""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from typing import Any, cast

import pytest
from django.contrib.auth.models import User
from django.db import connection

from annotations.models import Annotation
from annotations.services.annotations import annotation_update
from audit.models import HistoryAction, HistoryEntry
from corpus.models import Document
from projects.errors import ConflictError
from projects.models import Role
from projects.services import membership_set, project_create
from tests.factories import DocumentFactory, UserFactory, make_annotation

THREADS = 8
ROUNDS = 6


def _after(entry: HistoryEntry) -> dict[str, Any]:
    """An update entry's ``after`` snapshot (set on every update)."""
    assert entry.after is not None
    return entry.after


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_clients_lose_no_update():
    owner = cast(User, UserFactory(username="owner"))
    project = project_create(name="Concurrency", slug="concurrency", created_by=owner)
    document = cast(
        Document,
        DocumentFactory(
            project=project,
            text="The vessel Orlan was struck twice. Nine people were aboard.",
        ),
    )
    users = []
    for i in range(THREADS):
        user = cast(User, UserFactory(username=f"editor{i}"))
        membership_set(project=project, user=user, role=Role.ANALYST)
        users.append(user)
    targets = [
        make_annotation(document, owner, 11, 16, ["official_claim"]),
        make_annotation(document, owner, 35, 39, ["casualty_figure"]),
    ]
    barrier = threading.Barrier(THREADS)
    lock = threading.Lock()
    landed: dict[int, list[tuple[str, int]]] = defaultdict(list)
    conflicts: dict[int, int] = defaultdict(int)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for round_ in range(ROUNDS):
                for target in targets:
                    current = Annotation.objects.get(pk=target.pk)
                    note = f"editor{index} round{round_}"
                    try:
                        saved = annotation_update(
                            annotation=current,
                            user=users[index],
                            expected_version=current.version,
                            note=note,
                        )
                    except ConflictError as exc:
                        assert exc.current is not None
                        assert exc.current.version > current.version
                        with lock:
                            conflicts[target.pk] += 1
                    else:
                        with lock:
                            landed[target.pk].append((note, saved.version))
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert all(not t.is_alive() for t in threads)

    for target in targets:
        saves = landed[target.pk]
        attempts = THREADS * ROUNDS
        assert len(saves) + conflicts[target.pk] == attempts
        assert saves, "at least one save must land"
        final = Annotation.objects.get(pk=target.pk)
        assert final.version == 1 + len(saves)
        # Each landed save produced its own version, 2..N without gaps.
        versions = sorted(version for _, version in saves)
        assert versions == list(range(2, 2 + len(saves)))
        # The history holds every landed save, in version order, and only them.
        updates = list(
            HistoryEntry.objects.filter(
                object_type="annotation",
                object_id=target.pk,
                action=HistoryAction.UPDATE,
            ).order_by("at", "pk")
        )
        assert [(_after(e)["note"], _after(e)["version"]) for e in updates] == sorted(
            saves, key=lambda s: s[1]
        )
        for previous, entry in itertools.pairwise(updates):
            assert entry.before is not None and previous.after is not None
            assert entry.before["version"] == previous.after["version"]
        last_note = max(saves, key=lambda s: s[1])[0]
        assert final.note == last_note
