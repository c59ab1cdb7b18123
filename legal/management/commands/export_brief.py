"""Write an evidence brief (PDF or HTML) from the command line.

    python manage.py export_brief strikes --user alice --out brief.pdf
    python manage.py export_brief strikes --user alice --criterion D1 --out d1.html

The user must be a member of the project: the brief names who exported it.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from legal.models import Criterion
from legal.reports import brief_html, brief_pdf
from projects.models import Project
from projects.permissions import membership_for


class Command(BaseCommand):
    help = "Write a project's evidence brief as PDF or HTML (by the --out suffix)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("project", help="Project slug")
        parser.add_argument("--user", required=True, help="Exporting member")
        parser.add_argument("--out", required=True, help="File ending .pdf or .html")
        parser.add_argument("--criterion", default="", help="Criterion code, e.g. D1")

    def handle(self, *args, project: str, user: str, out: str, criterion: str, **kw):
        proj = Project.objects.filter(slug=project).first()
        if proj is None:
            raise CommandError(f"No project with the slug {project!r}.")
        member = get_user_model().objects.filter(username=user).first()
        if member is None or membership_for(member, proj) is None:
            raise CommandError(f"{user!r} is not a member of {proj.name}.")
        crit = None
        if criterion:
            crit = Criterion.objects.filter(
                framework__project=proj, code=criterion
            ).first()
            if crit is None:
                raise CommandError(f"No criterion with the code {criterion!r}.")
        path = Path(out)
        if path.suffix.lower() == ".pdf":
            path.write_bytes(brief_pdf(project=proj, user=member, criterion=crit))
        elif path.suffix.lower() in {".html", ".htm"}:
            path.write_text(
                brief_html(project=proj, user=member, criterion=crit), encoding="utf-8"
            )
        else:
            raise CommandError("--out must end in .pdf or .html.")
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")
