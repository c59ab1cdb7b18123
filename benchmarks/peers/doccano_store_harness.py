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

One file, one fresh process (``benchmarks/memory.py``)::

    .../python doccano_store_harness.py --migrate
    .../python doccano_store_harness.py --file PATH [--format TextFile|JSONL]

``--migrate`` only migrates the database (and creates doccano's roles), so
the measured process never runs migrations. ``--file`` imports that one file
with the same import task (``TextFile``: the whole file is one document, read
as UTF-8 as doccano's upload form sends it) into a new project and prints
one JSON line: the peak resident memory (``ru_maxrss``) when the upload is
registered (Django set up, project created, the file copied to filepond's
temporary store in chunks, not read) as ``baseline_mb``, the peak after the
import as ``peak_mb``, the memory the import itself took as ``growth_mb``
(``VmHWM`` since it was reset to the resident memory just before, through
``/proc/self/clear_refs``), the time, the examples stored and their
characters, doccano's errors (a file over its ``MAX_UPLOAD_SIZE`` setting,
1 GiB by default, comes back as its own error) and that setting.
The project, its examples and the stored file are deleted afterwards.
Nothing of doccano is copied: its installed code is imported and called.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Glossa's benchmarks folder last on the path (doccano's own modules first):
# rss.py is standard library only.
sys.path.append(str(Path(__file__).resolve().parents[1]))
from rss import peak_mb, peak_since_reset, reset_peak


def setup(migrate: bool = True, media: str | None = None) -> None:
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
    os.environ["MEDIA_ROOT"] = media or os.path.join(home, "bench-media")
    import backend

    # doccano's apps (projects, examples, ...) are top-level modules inside
    # its "backend" package; put them first, and keep Glossa's own apps of
    # the same names (projects) out of the way.
    here = str(Path(__file__).resolve().parents[2])
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(here)]
    sys.path.insert(0, os.path.dirname(backend.__file__))
    import django

    django.setup()
    if not migrate:
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("create_roles", verbosity=0)


def import_one(path: Path, file_format: str) -> dict:
    """Import one file with doccano's own import task; its memory and time.

    The file is registered as a filepond ``TemporaryUpload`` by copying it in
    chunks (what doccano's upload endpoint leaves on disk), so the baseline
    holds none of the text: reading it is doccano's import code's own work.
    """
    import shortuuid
    from data_import.celery_tasks import import_dataset
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.files import File
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Length
    from django_drf_filepond.models import TemporaryUpload
    from examples.models import Example

    from projects.models import SequenceLabelingProject

    user, _ = get_user_model().objects.get_or_create(username="bench")
    project = SequenceLabelingProject.objects.create(
        name=f"bench memory {time.time_ns()}",
        project_type="SequenceLabeling",
        created_by=user,
    )
    try:
        file_id = shortuuid.uuid()
        with path.open("rb") as handle:
            upload = TemporaryUpload(
                upload_id=shortuuid.uuid(),
                file_id=file_id,
                file=File(handle, name=file_id),
                upload_name=path.name,
                upload_type=TemporaryUpload.FILE_DATA,
                uploaded_by=user,
            )
            upload.save()
        # What the browser sends with doccano's upload form (its default).
        options = {"encoding": "utf_8"} if file_format == "TextFile" else {}
        baseline = peak_mb()
        resident = reset_peak()
        t0 = time.perf_counter()
        result = import_dataset(
            user_id=user.pk,
            project_id=project.pk,
            file_format=file_format,
            upload_ids=[upload.upload_id],
            task="SequenceLabeling",
            **options,
        )
        seconds = time.perf_counter() - t0
        growth = peak_since_reset() - resident
        peak = max(baseline, peak_mb())  # reset_peak restarted ru_maxrss too
        examples = Example.objects.filter(project=project)
        totals = examples.aggregate(characters=Sum(Length("text")))
        count = examples.count()
    finally:
        project.delete()
    from importlib.metadata import version

    return {
        "doccano": version("doccano"),
        "database": connection.vendor,
        "format": file_format,
        "bytes": path.stat().st_size,
        "max_upload_bytes": settings.MAX_UPLOAD_SIZE,
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak, 1),
        "growth_mb": round(growth, 1),
        "seconds": round(seconds, 2),
        "examples": count,
        "characters": totals["characters"] or 0,
        "errors": result["error"][:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--format", default="TextFile", choices=["TextFile", "JSONL"])
    args = parser.parse_args()
    if args.migrate:
        setup()
        print(json.dumps({"migrated": True}), flush=True)
        return
    if args.file is not None:
        media = tempfile.mkdtemp(prefix="doccano-bench-mem-")
        try:  # the stored upload goes with this folder
            setup(migrate=False, media=media)
            print(json.dumps(import_one(args.file.resolve(), args.format)), flush=True)
        finally:
            shutil.rmtree(media, ignore_errors=True)
        return
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
