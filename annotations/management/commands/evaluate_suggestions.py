"""Score the default suggestion rules against a gold JSONL file (no DB).

Prints per-tag precision, recall and F1 at sentence level, claimant
accuracy and number-extraction figures; the last line is one JSON object
with every figure. ``--errors`` lists each false positive, false negative
and number mismatch. The gold format is in docs/suggestions.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Evaluate suggestions against a gold JSONL file (sentence level)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("gold", help="Gold JSONL file (docs/suggestions.md).")
        parser.add_argument(
            "--errors", action="store_true", help="List every error too."
        )

    def handle(self, *args, gold: str, errors: bool, **options) -> None:
        from annotations.evaluation import GoldError, evaluate, gold_read, predict_texts

        path = Path(gold)
        if not path.is_file():
            raise CommandError(f"No such file: {gold}")
        try:
            docs = gold_read(path.read_text(encoding="utf-8").splitlines())
        except (GoldError, UnicodeDecodeError) as exc:
            raise CommandError(f"{gold}: {exc}") from exc
        if not docs:
            raise CommandError(f"{gold} holds no documents.")
        report = evaluate(docs, predict_texts)
        out = self.stdout.write
        out(f"{report['documents']} documents, {report['sentences']} sentences")
        out(f"{'tag':<38} {'P':>6} {'R':>6} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
        for tag, m in report["tags"].items():
            out(
                f"{tag:<38} {m['precision']:>6.3f} {m['recall']:>6.3f} "
                f"{m['f1']:>6.3f} {m['tp']:>4} {m['fp']:>4} {m['fn']:>4}"
            )
        out(
            f"claimant type accuracy {report['claimant_type_accuracy']:.3f}, "
            f"name accuracy {report['claimant_name_accuracy']:.3f} "
            f"(on {report['claimant_sentences']} tagged sentences)"
        )
        n = report["numbers"]
        out(
            f"numbers: P {n['precision']:.3f} R {n['recall']:.3f} F1 {n['f1']:.3f} "
            f"(TP {n['tp']}, FP {n['fp']}, FN {n['fn']})"
        )
        if errors:
            for doc_id, kind, what, text in report["errors"]:
                out(f"  {kind:<3} {what:<34} [{doc_id}] {text[:90]}")
        summary = {k: v for k, v in report.items() if k != "errors"}
        out(json.dumps(summary))
