# mypy: ignore-errors
# (runs in doccano's venv: its modules are not importable where mypy checks Glossa)
"""Set up, or remove, doccano 1.8.4's side of ``benchmarks/load.py`` (run in
doccano's venv, on the PostgreSQL database in ``$DOCCANO_LOAD_DATABASE_URL``).

    .../doccano-venv/bin/python doccano_load_setup.py setup < request.json
    .../doccano-venv/bin/python doccano_load_setup.py delete PROJECT

``setup`` reads one JSON object ``{"texts": [...], "labels": [...],
"username": ..., "password": ...}`` on stdin, sets Django up as ``doccano
webserver`` does (production settings), migrates the database and creates
doccano's roles (what ``doccano init`` does), then creates, with doccano's
own models:

* the user (not a superuser: doccano's superusers skip its permission
  checks, so a plain member is what an analyst costs);
* a sequence-labelling project, its creator made project admin (what
  doccano's "create project" view does, ``Project.add_admin``), with
  overlapping spans allowed (Glossa accepts overlapping annotations, and
  the benchmark's random spans overlap: a refused one would count as an
  error that says nothing about speed);
* one span type per label, and one example per text.

It prints one JSON line: ``{"project": id, "examples": [[id, length],
...], "labels": [id, ...], "doccano": version}``. Projects left by an
earlier, interrupted run of the same user are deleted first. ``delete``
removes the project (its examples, spans and labels go with it).
Nothing of doccano is copied: its installed code is imported and called.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def setup_django() -> None:
    os.environ["STANDALONE"] = "True"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    os.environ["DATABASE_URL"] = os.environ["DOCCANO_LOAD_DATABASE_URL"]
    os.environ.setdefault(
        "MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "doccano-load-media")
    )
    import backend

    # doccano's apps (projects, examples, ...) are top-level modules inside
    # its "backend" package; keep Glossa's apps of the same names out of the way.
    here = Path(__file__).resolve().parents[2]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, os.path.dirname(backend.__file__))
    os.chdir(os.path.dirname(backend.__file__))
    import django

    django.setup()


def create(request: dict) -> dict:
    from importlib.metadata import version

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from examples.models import Example
    from label_types.models import SpanType
    from roles.models import Role

    from projects.models import Member, Project, SequenceLabelingProject

    call_command("migrate", verbosity=0)
    call_command("create_roles", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username=request["username"])
    user.set_password(request["password"])
    user.is_superuser = user.is_staff = False
    user.save()
    Project.objects.filter(created_by=user).delete()
    with transaction.atomic():
        project = SequenceLabelingProject.objects.create(
            name="load",
            project_type="SequenceLabeling",
            created_by=user,
            allow_overlapping=True,
        )
        Member.objects.create(
            project=project,
            user=user,
            role=Role.objects.get(name=settings.ROLE_PROJECT_ADMIN),
        )
        labels = [
            SpanType.objects.create(project=project, text=text).pk
            for text in request["labels"]
        ]
        examples = Example.objects.bulk_create(
            [
                Example(project=project, text=text, upload_name=f"load-{i}.txt")
                for i, text in enumerate(request["texts"])
            ]
        )
    return {
        "project": project.pk,
        "examples": [[e.pk, len(e.text)] for e in examples],
        "labels": labels,
        "doccano": version("doccano"),
    }


def main() -> None:
    command = sys.argv[1]
    setup_django()
    if command == "setup":
        print(json.dumps(create(json.load(sys.stdin))), flush=True)
    elif command == "delete":
        from projects.models import Project

        Project.objects.filter(pk=int(sys.argv[2])).delete()
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
