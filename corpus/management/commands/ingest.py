"""Bulk ingestion from the command line: files, folders (recursively), archives.

    manage.py ingest PATH... --project SLUG [--kind K] [--source S]
                     [--user NAME] [--no-analyse] [--no-wait] [--strict]

Shows a progress bar for the files, then one for the analysis, and ends with
a summary that lists every failure with its reason. A bad file, record or
archive member never stops the run: every other file is still tried. The
exit status is 0 unless ``--strict`` is given and something failed
(duplicates are reported but are not failures). The analysis is one job,
queued in chunks so that every worker shares it.
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

from corpus.ingest import IngestResult, Outcome, ingest_batch, queue_analysis
from corpus.ingest.results import FAILED
from corpus.ingest.store import failure_reason
from corpus.models import AnalysisStatus, Document, DocumentKind, JobStatus
from projects.models import Project

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
            "--strict",
            action="store_true",
            help="exit with status 1 if any file, record or analysis failed",
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

        def store(batch: list[tuple[str, bytes]]) -> IngestResult:
            return ingest_batch(
                project=project,
                files=batch,
                user=user,
                kind=options["kind"],
                source=options["source"] or None,
                analyse=False,
                metadata=cli_meta,
            )

        def flush() -> None:
            nonlocal pending_bytes
            if pending:
                try:
                    result.extend(store(pending))
                except Exception:
                    # The batch as a whole failed (its transaction was rolled
                    # back): store its files one by one, reporting any that
                    # fails, so that one file never sinks the others.
                    for one in pending:
                        try:
                            result.extend(store([one]))
                        except Exception as exc:
                            result.outcomes.append(
                                Outcome(one[0], FAILED, message=failure_reason(exc))
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
        if result.errors and options["strict"]:
            raise CommandError(f"{len(result.errors)} item(s) failed; see above.")

    def _analyse(self, project, user, result: IngestResult, options, show) -> None:
        """One analysis job for the whole run, queued in chunks (corpus.jobs)."""
        documents = result.documents
        if not documents:
            return
        job = queue_analysis(project=project, documents=documents, user=user)
        if job is None:
            return
        total = len(documents)
        bar = tqdm(total=total, desc="Analysing", unit="doc", disable=not show)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            job.refresh_from_db()
            bar.update(job.done)
        elif options["no_wait"]:
            bar.close()
            self.stdout.write(f"Analysis queued as job {job.pk}.")
            return
        else:
            shown = 0
            while True:
                job.refresh_from_db()
                bar.update(job.done - shown)
                shown = job.done
                if job.status in (JobStatus.DONE, JobStatus.FAILED):
                    break
                time.sleep(0.5)  # polling a job's progress, not waiting on it
        bar.close()
        job.refresh_from_db()
        failed = Document.objects.filter(
            pk__in=[d.pk for d in documents], analysis_status=AnalysisStatus.FAILED
        ).values_list("original_name", "analysis_error")
        for name, error in failed:
            result.outcomes.append(Outcome(f"analysis of {name}", FAILED, None, error))
        if job.status == JobStatus.FAILED and not failed:
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
