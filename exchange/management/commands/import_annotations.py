"""manage.py import_annotations --project SLUG --format F --user NAME PATH"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.models import Document
from exchange.imports.common import ImportRefused
from exchange.imports.formats import ANCHORED, IMPORTERS
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Import doccano, Label Studio, Prodigy, BRAT, Hypothesis, INCEpTION or "
        "W3C annotations into a project; every span is checked, any mismatch "
        "refuses the file. "
        "Unknown labels refuse the import unless --create-tags is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--project", required=True)
        parser.add_argument("--format", required=True, choices=sorted(IMPORTERS))
        parser.add_argument("--user", required=True, help="Author of the annotations.")
        parser.add_argument("--create-tags", action="store_true")
        parser.add_argument(
            "--document",
            type=int,
            help="W3C and Hypothesis only: put every annotation on this id.",
        )

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with the slug {options['project']!r}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        _, importer = IMPORTERS[options["format"]]
        extra = {}
        if options["document"]:
            if options["format"] not in ANCHORED:
                raise CommandError(
                    "--document only applies to --format w3c or hypothesis."
                )
            document = Document.objects.filter(
                project=project, pk=options["document"]
            ).first()
            if document is None:
                raise CommandError(f"No document {options['document']} in {project}.")
            extra["document"] = document
        bar = tqdm(unit="record", desc="import", file=sys.stderr, disable=None)
        try:
            with open(options["path"], "rb") as handle:
                result = importer(
                    handle,
                    project=project,
                    user=user,
                    create_tags=options["create_tags"],
                    name=options["path"],
                    progress=lambda n: bar.update(n - bar.n),
                    **extra,
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {options['path']}: {exc}") from exc
        except ImportRefused as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        self.stdout.write(
            f"{result.documents_created} documents created, "
            f"{result.documents_reused} reused, "
            f"{result.annotations_created} annotations created, "
            f"{result.annotations_skipped} already present."
        )
        if result.tags_created:
            self.stdout.write("New tags: " + ", ".join(result.tags_created))
        for where, reason in result.refused:
            self.stdout.write(f"Refused {where}: {reason}")
