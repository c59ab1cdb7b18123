"""List background jobs, requeue stale ones, retry one.

    manage.py jobs [--project SLUG] [--limit N]     list recent jobs
    manage.py jobs --stale [--stale-after SECONDS]  requeue (or fail) jobs
                                                    whose worker stopped beating
    manage.py jobs --retry ID                       queue again the documents of
                                                    job ID that are not analysed

``--stale`` does what the periodic ``corpus.reap_stale_jobs`` task does, for
deployments without ``celery beat`` (e.g. from cron). See docs/jobs.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from corpus.jobs import reap_stale_jobs, retry_job
from corpus.models import Job


class Command(BaseCommand):
    help = "List background jobs; requeue stale jobs; retry a job."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", default="", help="only this project (slug)")
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument(
            "--stale", action="store_true", help="requeue or fail stale jobs now"
        )
        parser.add_argument(
            "--stale-after",
            type=float,
            default=None,
            help="seconds without heartbeat (default GLOSSA_JOB_STALE_SECONDS)",
        )
        parser.add_argument("--retry", type=int, default=None, metavar="ID")

    def handle(self, *args, **options) -> None:
        if options["retry"] is not None:
            job = Job.objects.filter(pk=options["retry"]).first()
            if job is None:
                raise CommandError(f"No job with id {options['retry']}.")
            count = retry_job(job)
            self.stdout.write(f"Job {job.pk}: {count} document(s) queued again.")
            return
        if options["stale"]:
            reaped = reap_stale_jobs(options["stale_after"])
            for item in reaped:
                self.stdout.write(
                    f"Job {item.job.pk}: {item.action} ({item.documents} document(s))."
                )
            self.stdout.write(f"{len(reaped)} stale job(s).")
            return
        jobs = Job.objects.select_related("project").order_by("-created_at")
        if options["project"]:
            jobs = jobs.filter(project__slug=options["project"])
        now = timezone.now()
        for job in jobs[: options["limit"]]:
            beat = (
                f"{(now - job.heartbeat_at).total_seconds():.0f}s ago"
                if job.heartbeat_at
                else "-"
            )
            self.stdout.write(
                f"{job.pk:>6}  {job.project.slug:<20} {job.kind:<8} "
                f"{job.status:<8} {job.done}/{job.total}  heartbeat {beat}  "
                f"attempts {job.attempts}  {job.error[:80]}"
            )
