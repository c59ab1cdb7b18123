"""Print suggested tags for each sentence of a text file, without a database.

Output (``--format jsonl``, the default): one JSON object per sentence with
``start``, ``end``, ``text``, ``tags`` (keys of the default tags),
``claimant``, ``claimant_type`` and ``numbers`` (``value``, ``counts``,
``cumulative``, ``bound``, ``text``). ``--explain`` adds ``fired`` (rule,
confidence and explanation per tag). Documented in docs/suggestions.md;
scripts and the evaluation rely on this shape.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Suggest default tags for each sentence of a UTF-8 text file (no DB)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="A UTF-8 text file, or - for stdin.")
        parser.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
        parser.add_argument(
            "--explain", action="store_true", help="Include the rules that fired."
        )

    def handle(self, *args, file: str, format: str, explain: bool, **options):
        from annotations.rules import text_predictions
        from corpus.models import normalize_text

        text = self._read(file)
        text = normalize_text(text)
        if not text.strip():
            raise CommandError(f"{file} contains no text.")
        for item in text_predictions(text):
            fired = item.pop("fired")
            if explain:
                item["fired"] = fired
            if format == "jsonl":
                self.stdout.write(json.dumps(item, ensure_ascii=False))
            else:
                tags = ", ".join(item["tags"]) or "-"
                who = item["claimant"] or item["claimant_type"]
                self.stdout.write(f"[{item['start']}-{item['end']}] {tags} ({who})")
                self.stdout.write(f"    {item['text']}")

    @staticmethod
    def _read(file: str) -> str:
        import sys

        if file == "-":
            return sys.stdin.read()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file} is not UTF-8 text (byte {exc.start} cannot be decoded)."
            ) from exc
