"""manage.py export --project SLUG --format F [--output PATH]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from corpus.nlp.docbin import DocBinReport
from exchange.exports import FORMATS
from projects.models import Project


class Command(BaseCommand):
    help = "Export a project in one of the exchange formats, with a progress bar."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--output", help="File to write (default: a name made from the project)."
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Absolute root for IRIs in JSON-LD exports, e.g. https://glossa.example.org",
        )

        parser.add_argument(
            "--spans-key",
            default="sc",
            help="DocBin only: the span group to fill (spancat reads 'sc').",
        )

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project with the slug {options['project']!r}.")
        export = FORMATS[options["format"]]
        path = options["output"] or export.filename(project)
        bar = tqdm(
            total=0,
            unit="item",
            desc=f"{export.key} export",
            file=sys.stderr,
            disable=None,
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        size = 0
        report = DocBinReport()
        try:
            with open(path, "wb") as handle:
                for chunk in export.stream(
                    project,
                    progress=progress,
                    base_url=options["base_url"] or None,
                    spans_key=options["spans_key"],
                    report=report,
                ):
                    handle.write(chunk)
                    size += len(chunk)
        finally:
            bar.close()
        self.stdout.write(f"Wrote {path} ({size} bytes, {export.label}).")
        if report.span_lengths:
            sizes = ",".join(map(str, report.suggester_sizes()))
            self.stdout.write(
                f"spancat suggester fitted to these spans (token lengths): "
                f'--components.spancat.suggester.sizes "[{sizes}]"'
            )
        if report.widened_spans:
            self.stdout.write(
                f"{len(report.widened_spans)} spans widened to whole tokens "
                "(document: start-end tag -> token start-end): "
                + "; ".join(
                    f"{w['document']}: {w['start']}-{w['end']} {w['label']} -> "
                    f"{w['token_start']}-{w['token_end']}"
                    for w in report.widened_spans[:50]
                )
            )
