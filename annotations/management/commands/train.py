"""``manage.py train --project SLUG``: train the project's model now.

Queues the run as a Celery job (with no broker it runs here and then); the
command then reports the version and, when it finished, its figures.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.learning.selectors import model_figures
from annotations.learning.services import training_request
from annotations.models import LearnedModel, TrainingStatus
from projects.errors import ApplicationError
from projects.models import Project


class Command(BaseCommand):
    help = "Train a project's model on its analysts' decisions (a Celery job)."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--user", help="Username recorded as who started it.")

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with slug {options['project']!r}.")
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            queued = training_request(project=project, user=user, trigger="command")
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        model = LearnedModel.objects.get(pk=queued.pk)
        if model.status == TrainingStatus.FAILED:
            raise CommandError(f"Model v{model.version} failed: {model.error}")
        if model.status != TrainingStatus.DONE:
            self.stdout.write(
                f"Model v{model.version} queued (run {model.pk}); follow it on "
                f"/p/{project.slug}/model/."
            )
            return
        self.stdout.write(
            f"Model v{model.version} trained in {model.seconds} s on "
            f"{model.data_size.get('sentences')} sentences; "
            f"artefact {model.artefact_sha256[:12]}, "
            f"snapshot {model.snapshot_sha256[:12]}."
        )
        for row in model_figures(model):
            self.stdout.write(
                f"  {row['tag']:38} n={row['support']:<5} rules {row['f1_rules']} "
                f"model {row['f1_model']} merged {row['f1_merged']} "
                f"(add {row['add']}, veto {row['veto']})"
            )
