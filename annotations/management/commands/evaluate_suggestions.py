"""Score the default suggestion rules, without a database.

Two modes:

- ``evaluate_suggestions GOLD.jsonl [--errors]``: a fictional gold set
  (annotations/gold/, format in docs/suggestions.md). Prints per-tag
  precision, recall and F1 at sentence level, claimant accuracy and number
  figures; the last line is always one JSON object with every figure.
- ``evaluate_suggestions --devset corpus/nlp/devset [--cache DIR] [--lang
  en|es] [--errors] [--json] [--bootstrap N] [--seed S]``: the real-text dev
  set, its texts read from the cache (``$DEVSET_CACHE`` or
  var/devset-cache). Each text is analysed with the DocumentContext of its
  manifest line. Prints, for all segments, headlines and bodies: per-tag
  P/R/F1 with bootstrap 95% intervals over texts, key-tag macro F1, micro
  P/R/F1, claimant type accuracy, casualty-number precision and recall and
  scope accuracy. ``--json`` ends with one JSON line of all figures. What
  each figure means: docs/evaluation.md.

``--errors`` lists each false positive, false negative, claimant type and
number mismatch with its sentence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Evaluate suggestions against a gold JSONL file or the real-text dev set."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "gold", nargs="?", help="Gold JSONL file (docs/suggestions.md)."
        )
        parser.add_argument(
            "--devset",
            metavar="DIR",
            help="Dev-set directory (manifest.jsonl, labels.jsonl), e.g. "
            "corpus/nlp/devset.",
        )
        parser.add_argument(
            "--cache",
            metavar="DIR",
            help="Cached dev-set texts (default $DEVSET_CACHE or var/devset-cache).",
        )
        parser.add_argument(
            "--lang", choices=["en", "es"], help="Only texts in this language."
        )
        parser.add_argument(
            "--labels",
            default="labels.jsonl",
            help="Label file inside the dev set (default labels.jsonl).",
        )
        parser.add_argument(
            "--errors", action="store_true", help="List every error too."
        )
        parser.add_argument(
            "--json", action="store_true", help="End with one JSON line of figures."
        )
        parser.add_argument("--bootstrap", type=int, default=1000, metavar="N")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, gold: str | None, devset: str | None, **options) -> None:
        if bool(gold) == bool(devset):
            raise CommandError("Give either a gold JSONL file or --devset DIR.")
        if devset:
            self._devset(devset, **options)
        else:
            self._gold(str(gold), errors=options["errors"])

    # -- fictional gold sets --------------------------------------------------

    def _gold(self, gold: str, *, errors: bool) -> None:
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

    # -- the real-text dev set --------------------------------------------------

    def _devset(
        self,
        directory: str,
        *,
        cache: str | None,
        lang: str | None,
        labels: str,
        errors: bool,
        json: bool,
        bootstrap: int,
        seed: int,
        **options,
    ) -> None:
        from annotations.devset import DevsetError, default_cache, devset_load
        from annotations.evaluation import (
            devset_evaluate,
            devset_predict,
            errors_format,
        )

        if bootstrap < 0:
            raise CommandError("--bootstrap must be 0 or more.")
        cache_dir = Path(cache) if cache else default_cache()
        if not cache_dir.is_dir():
            raise CommandError(
                f"No dev-set cache at {cache_dir}; fill it as docs/evaluation.md "
                "says, or give --cache."
            )
        try:
            loaded = devset_load(directory, cache_dir, lang=lang, labels=labels)
        except DevsetError as exc:
            raise CommandError(str(exc)) from exc
        out, err = self.stdout.write, self.stderr.write
        if loaded.missing:
            err(
                f"{len(loaded.missing)} text(s) not in the cache {cache_dir}, "
                f"skipped: {', '.join(loaded.missing)}"
            )
        for problem in loaded.problems:
            err(problem)
        if not loaded.texts:
            raise CommandError(f"No dev-set text to score in {cache_dir}.")
        from corpus.nlp import pipeline_info

        report = devset_evaluate(
            loaded,
            devset_predict(loaded.texts),
            bootstrap=bootstrap,
            seed=seed,
        )
        report["pipeline"] = pipeline_info(lang or "en")
        report["lang"] = lang or "all"
        out(
            f"{report['texts']} texts ({report['units']} units: "
            f"{report['units_by_segment']['headline']} headline, "
            f"{report['units_by_segment']['body']} body), lang {report['lang']}; "
            f"{len(report['missing'])} missing from the cache, "
            f"{len(report['changed'])} changed (SHA-256 differs), "
            f"{report['lost_units']} units not found"
        )
        info = report["pipeline"]
        out(
            f"pipeline {info['pipeline']} v{info['pipeline_version']}, "
            f"{info['model']} {info['model_version']}, "
            f"patterns {info['patterns_sha256'][:12]}; "
            f"bootstrap {bootstrap} over texts, seed {seed}"
        )
        for segment in ("all", "headline", "body"):
            self._segment_table(segment, report["segments"][segment])
        if errors:
            out("")
            out("Errors (FP/FN per tag, TYPE = claimant type, NUM = numbers):")
            for error in report["errors"]:
                for line in errors_format(error):
                    out(line)
        if json:
            import json as json_module

            summary = {k: v for k, v in report.items() if k != "errors"}
            out(json_module.dumps(summary))

    def _segment_table(self, segment: str, f: dict[str, Any]) -> None:
        out = self.stdout.write

        def ci(m: dict, key: str) -> str:
            """The figure and its interval; n/a where undefined (no case)."""
            if m[key] is None:
                return "n/a"
            if m[f"{key}_ci"] is None:
                return f"{m[key]:.3f}"
            lo, hi = m[f"{key}_ci"]
            return f"{m[key]:.3f} [{lo:.2f}-{hi:.2f}]"

        title = {"all": "all segments", "headline": "headlines", "body": "bodies"}
        out("")
        out(f"== {title[segment]} ==")
        out(
            f"{'tag':<36} {'P [95% CI]':<18} {'R [95% CI]':<18} "
            f"{'F1 [95% CI]':<18} {'TP':>4} {'FP':>4} {'FN':>4}"
        )
        for tag, m in f["tags"].items():
            out(
                f"{tag:<36} {ci(m, 'precision'):<18} {ci(m, 'recall'):<18} "
                f"{ci(m, 'f1'):<18} {m['tp']:>4} {m['fp']:>4} {m['fn']:>4}"
            )
        out(f"key-tag macro F1 {ci(f, 'key_macro_f1')}")
        m = f["micro"]
        out(f"micro P {ci(m, 'precision')}  R {ci(m, 'recall')}  F1 {ci(m, 'f1')}")
        out(
            f"claimant type accuracy {ci(f, 'claimant_type_accuracy')}, name "
            f"accuracy {ci(f, 'claimant_name_accuracy')} (on {f['claimant_units']} "
            "units with a gold tag)"
        )
        n = f["numbers"]
        out(
            f"casualty numbers P {ci(n, 'precision')}  R {ci(n, 'recall')} "
            f"(TP {n['tp']}, FP {n['fp']}, FN {n['fn']}); scope accuracy "
            f"{ci(f, 'scope_accuracy')} (on {f['scope_matched']} matched)"
        )
