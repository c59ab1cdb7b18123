# mypy: ignore-errors
# (runs in doccano's venv: its modules are not importable where mypy checks Glossa)
"""Time doccano 1.8.4's own storing of a JSONL upload (run in doccano's venv).

Started once by ``benchmarks/ingest.py --store-only`` as a subprocess:

    /work/peers/doccano-venv/bin/python benchmarks/peers/doccano_store_harness.py

It sets Django up the way ``doccano``'s command line does (production
settings, SQLite) on a benchmark database of its own
(``$DOCCANO_HOME/bench.sqlite3``, or ``$DOCCANO_BENCH_DATABASE_URL``;
migrated on start), prints ``{"ready":
...}`` and then answers one JSON line per request line ``{"path": FILE}``:

* untimed: a new sequence-labelling project, and the file registered as a
  filepond ``TemporaryUpload`` (what doccano's upload endpoint has done
  when the browser's upload finishes: the bytes are on disk);
* timed: doccano's import task, ``data_import.celery_tasks.import_dataset``,
  called in this process (what its Celery worker runs): file checks,
  ``load_dataset`` (JSONL parser, reader in batches of IMPORT_BATCH_SIZE),
  ``Dataset.save`` (Example rows with ``bulk_create``), and moving the
  upload to its store.

The answer is ``{"seconds": ..., "examples": N, "errors": [...]}``.
Nothing of doccano is copied: its installed code is imported and called.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def setup() -> None:
    home = os.path.expanduser(
        os.environ.get("DOCCANO_HOME", "/work/peers/doccano-data")
    )
    Path(home).mkdir(parents=True, exist_ok=True)
    os.chdir(home)  # doccano's settings look for modules from the working directory
    os.environ["STANDALONE"] = "True"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    # doccano's default (SQLite, as `doccano init` sets it up), or the URL in
    # DOCCANO_BENCH_DATABASE_URL (PostgreSQL: doccano's Docker set-up).
    os.environ["DATABASE_URL"] = os.environ.get(
        "DOCCANO_BENCH_DATABASE_URL", f"sqlite:///{home}/bench.sqlite3"
    )
    os.environ["MEDIA_ROOT"] = os.path.join(home, "bench-media")
    import backend

    # doccano's apps (projects, examples, ...) are top-level modules inside
    # its "backend" package; put them first, and keep Glossa's own apps of
    # the same names (projects) out of the way.
    here = str(Path(__file__).resolve().parents[2])
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(here)]
    sys.path.insert(0, os.path.dirname(backend.__file__))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("create_roles", verbosity=0)


def main() -> None:
    setup()
    import shortuuid
    from data_import.celery_tasks import import_dataset
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_drf_filepond.models import TemporaryUpload
    from examples.models import Example

    from projects.models import SequenceLabelingProject

    user, _ = get_user_model().objects.get_or_create(username="bench")
    from importlib.metadata import version

    from django.db import connection

    ready = {
        "ready": True,
        "doccano": version("doccano"),
        "database": connection.vendor,
    }
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        data = Path(request["path"]).read_bytes()
        project = SequenceLabelingProject.objects.create(
            name=f"bench {time.time_ns()}",
            project_type="SequenceLabeling",
            created_by=user,
        )
        file_id = shortuuid.uuid()
        upload = TemporaryUpload(
            upload_id=shortuuid.uuid(),
            file_id=file_id,
            file=SimpleUploadedFile(file_id, data),
            upload_name=Path(request["path"]).name,
            upload_type=TemporaryUpload.FILE_DATA,
            uploaded_by=user,
        )
        upload.save()
        t0 = time.perf_counter()
        result = import_dataset(
            user_id=user.pk,
            project_id=project.pk,
            file_format="JSONL",
            upload_ids=[upload.upload_id],
            task="SequenceLabeling",
        )
        seconds = time.perf_counter() - t0
        count = Example.objects.filter(project=project).count()
        print(
            json.dumps(
                {"seconds": seconds, "examples": count, "errors": result["error"][:3]}
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
