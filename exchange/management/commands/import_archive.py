"""manage.py import_archive PATH [--as-slug SLUG] [--owner USERNAME]"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from exchange.imports.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Import a Glossa project archive as a new project. Every hash is "
        "checked; on any error nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--as-slug", default="", help="Slug for the new project.")
        parser.add_argument(
            "--owner", default="", help="Username to make owner of the new project."
        )
        parser.add_argument(
            "--public-key",
            default="",
            help="PEM file of the key the archive must be signed with.",
        )

    def handle(self, *args, **options) -> None:
        owner = None
        if options["owner"]:
            owner = get_user_model().objects.filter(username=options["owner"]).first()
            if owner is None:
                raise CommandError(f"No user {options['owner']!r}.")
        bar = tqdm(total=0, unit="object", desc="import", file=sys.stderr, disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            with open(options["path"], "rb") as handle:
                result = import_archive(
                    handle,
                    as_slug=options["as_slug"],
                    owner=owner,
                    progress=progress,
                    trusted_key=(
                        Path(options["public_key"]).read_bytes()
                        if options["public_key"]
                        else None
                    ),
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {options['path']}: {exc}") from exc
        except ArchiveError as exc:
            raise CommandError(exc.message) from exc
        finally:
            bar.close()
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
        self.stdout.write(f"Imported project {result.project.slug}: {counts}.")
        self.stdout.write(
            f"Signed by key {result.signed_by}."
            if result.signed_by
            else "The archive was not signed."
        )
        if result.users_created:
            self.stdout.write(
                "Created inactive users (activate them to let them log in): "
                + ", ".join(result.users_created)
            )
