"""Bulk ingestion from the command line: files, folders (recursively), archives.

    manage.py ingest PATH... --project SLUG [--kind K] [--source S]
                     [--user NAME] [--no-analyse] [--no-wait]

Shows a progress bar for the files, then one for the analysis, and ends with
a summary that lists every failure with its reason. The exit status is 1 if
anything failed (duplicates are reported but are not failures).
"""

from __future__ import annotations

import getpass
import os
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.ingest import IngestResult, Outcome, ingest_batch
from corpus.ingest.results import FAILED
from corpus.models import DocumentKind, Job, JobKind, JobStatus
from projects.models import Project

ANALYSIS_CHUNK = 64
BATCH_FILES = 32
BATCH_BYTES = 64 * 1024 * 1024


def iter_files(paths: list[str]):
    """Every regular, non-hidden file under the given paths, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


class Command(BaseCommand):
    help = "Ingest files, folders (recursively) and archives into a project."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--project", required=True, help="project slug")
        parser.add_argument("--kind", default="", choices=["", *DocumentKind.values])
        parser.add_argument("--source", default="", help="source (publisher) name")
        parser.add_argument("--user", default="", help="username recorded as captor")
        parser.add_argument(
            "--no-analyse", action="store_true", help="store only; analyse later"
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="with a broker: queue the analysis and return at once",
        )

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with slug {options['project']!r}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        files = list(iter_files(options["paths"]))
        result = IngestResult()
        limit = settings.GLOSSA_MAX_UPLOAD_BYTES
        cli_meta = {"captured_via": "cli", "os_user": _os_user()}
        show = options["verbosity"] > 0
        pending: list[tuple[str, bytes]] = []
        pending_bytes = 0

        def flush() -> None:
            nonlocal pending_bytes
            if pending:
                result.extend(
                    ingest_batch(
                        project=project,
                        files=pending,
                        user=user,
                        kind=options["kind"],
                        source=options["source"] or None,
                        analyse=False,
                        metadata=cli_meta,
                    )
                )
            pending.clear()
            pending_bytes = 0

        # Files are stored in batches (one commit each) bounded in count and bytes.
        for path in tqdm(files, desc="Ingesting", unit="file", disable=not show):
            name = str(path)
            try:
                size = path.stat().st_size
                if size > limit:
                    result.outcomes.append(
                        Outcome(
                            name,
                            FAILED,
                            message=f"The file is too large ({size:,} bytes; the "
                            f"limit is {limit:,} bytes).",
                        )
                    )
                    continue
                data = path.read_bytes()
            except OSError as exc:
                result.outcomes.append(Outcome(name, FAILED, message=str(exc)))
                continue
            pending.append((name, data))
            pending_bytes += len(data)
            if len(pending) >= BATCH_FILES or pending_bytes >= BATCH_BYTES:
                flush()
        flush()
        if not options["no_analyse"]:
            self._analyse(project, user, result, options, show)
        self._summary(result)
        if result.errors:
            raise CommandError(f"{len(result.errors)} item(s) failed; see above.")

    def _analyse(self, project, user, result: IngestResult, options, show) -> None:
        from corpus.tasks import analyse_documents_task

        ids = [d.pk for d in result.documents]
        if not ids:
            return
        jobs: list[int] = []
        eager = settings.CELERY_TASK_ALWAYS_EAGER
        bar = tqdm(total=len(ids), desc="Analysing", unit="doc", disable=not show)
        for start in range(0, len(ids), ANALYSIS_CHUNK):
            chunk = ids[start : start + ANALYSIS_CHUNK]
            job = Job.objects.create(
                project=project,
                kind=JobKind.ANALYSE,
                total=len(chunk),
                created_by=user,
                report={"document_ids": chunk},
            )
            jobs.append(job.pk)
            if eager:
                analyse_documents_task(job.pk, chunk)
                bar.update(len(chunk))
            else:
                analyse_documents_task.delay(job.pk, chunk)
        if not eager:
            if options["no_wait"]:
                bar.close()
                self.stdout.write(f"Analysis queued as jobs {jobs}.")
                return
            done = 0
            while done < len(ids):
                rows = Job.objects.filter(pk__in=jobs).values_list("status", "done")
                now = sum(d for _, d in rows)
                bar.update(now - done)
                done = now
                if all(s in (JobStatus.DONE, JobStatus.FAILED) for s, _ in rows):
                    break
                time.sleep(0.5)
        bar.close()
        failed = Job.objects.filter(pk__in=jobs, status=JobStatus.FAILED)
        for job in failed:
            result.outcomes.append(
                Outcome(f"analysis job {job.pk}", FAILED, None, job.error)
            )

    def _summary(self, result: IngestResult) -> None:
        write = self.stdout.write
        write(
            f"Stored {len(result.documents)} document(s), "
            f"{len(result.duplicates)} duplicate(s), {len(result.errors)} failure(s)."
        )
        for outcome in result.outcomes:
            if outcome.status == "stored" and outcome.message:
                write(f"  note  {outcome.name}: {outcome.message}")
        for name, existing in result.duplicates:
            write(f"  duplicate  {name}: already document {existing.pk}")
        for name, reason in result.errors:
            write(self.style.ERROR(f"  FAILED  {name}: {reason}"))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
