"""Load the default taxonomy and legal framework into projects (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from annotations.defaults import tags_load_defaults
from legal.defaults import framework_load_default
from projects.models import Project


class Command(BaseCommand):
    help = "Load the default tags and legal framework into every project (or one)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", help="Slug of one project (default: all).")

    def handle(self, *args, project: str | None = None, **options) -> None:
        projects = Project.objects.all()
        if project:
            projects = projects.filter(slug=project)
            if not projects.exists():
                raise CommandError(f"No project with slug {project!r}.")
        for item in projects:
            tags_load_defaults(project=item)
            framework_load_default(project=item)
            self.stdout.write(
                f"{item.slug}: {item.tags.count()} tags, "
                f"{sum(f.criteria.count() for f in item.frameworks.all())} criteria"
            )
