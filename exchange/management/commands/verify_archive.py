"""manage.py verify_archive FILE [--public-key PEM]: check an archive offline.

For a recipient with no Glossa database: every check the import makes
before writing — the signature (against the key given, or the archive's
own key, whose fingerprint is printed to compare with the sender's), the
BagIt bag's hashes and completeness (``bagit``; a format-1 zip's
manifest), the history chain and annotation states, and each document's
text and original against their SHA-256 — without touching a database.
Exit status 1 with the problem named when any check fails.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.models import sha256_hex
from exchange.imports.archive import ArchiveError, _Archive, _BagArchive, open_archive


class Command(BaseCommand):
    help = "Verify a Glossa project archive offline (signature, hashes, history)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--public-key",
            help="PEM file of the key the archive must be signed with.",
        )

    def handle(self, *args, **options) -> None:
        trusted = None
        if options["public_key"]:
            trusted = Path(options["public_key"]).read_bytes()
        try:
            with (
                open(options["path"], "rb") as handle,
                open_archive(handle, trusted_key=trusted) as archive,
            ):
                documents = check_documents(archive)
                files = len(archive.manifest["files"])
                signed_by = archive.signed_by
        except OSError as exc:
            raise CommandError(f"Cannot read {options['path']}: {exc}") from exc
        except ArchiveError as exc:
            raise CommandError(f"NOT VERIFIED: {exc.message}") from exc
        if signed_by:
            self.stdout.write(f"Signed by key {signed_by}.")
        else:
            self.stdout.write("Not signed: only the hashes could be checked.")
        self.stdout.write(
            f"Verified: {files} members match the manifest, {documents} documents "
            "match their hashes, the history is continuous."
        )


def check_documents(archive: _Archive | _BagArchive) -> int:
    count = 0
    for row in archive.rows("documents.jsonl"):
        if sha256_hex(row.get("text") or "") != row.get("text_sha256"):
            raise ArchiveError(f"Document {row.get('id')}: text does not match.")
        if row.get("original"):
            member = f"originals/{row.get('sha256')}"
            if member not in archive.manifest["files"]:
                raise ArchiveError(f"Document {row.get('id')}: {member} is missing.")
            if sha256_hex(archive.read(member)) != row.get("sha256"):
                raise ArchiveError(
                    f"Document {row.get('id')}: the original does not match."
                )
        count += 1
    return count
