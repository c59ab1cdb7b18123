"""Print suggested tags for each sentence of text files, without a database.

::

    manage.py suggest FILE [FILE ...] [--output-dir DIR] [--source-kind KIND]
        [--source-name NAME] [--acting-state NAME ...] [--lang CODE]
        [--format jsonl|text] [--explain]

spaCy is loaded once and every file parsed in one batch. Each file is read
as UTF-8 (``-`` = stdin) and normalised as ingestion does; the
``--source-*``, ``--acting-state`` and ``--lang`` options build the
``DocumentContext`` the pipeline gets for every file (the publisher's kind,
one of ``corpus.nlp.context.SOURCE_KINDS``; its name; the states whose
forces acted; the language). Without ``--lang`` each file's language is
detected (``corpus.language``) and said on stderr; a language with no
pipeline fails that file with "no analysis for language xx", never an empty
result.

Output (``--format jsonl``, the default): one JSON object per sentence with
``start``, ``end`` (code points into the normalised text), ``text``,
``tags`` (keys of the default tags), ``claimant``, ``claimant_type`` (one of
acting_government, other_government, un, rights_group, expert, reporter,
columnist, media, legislator, witness) and ``numbers`` (``value``,
``counts``, ``cumulative``, ``bound``, ``text``). ``--explain`` adds
``fired`` (rule, confidence, explanation, claimant and claimant type, and
``span`` where the tag rests on narrower words, per tag). With several
files and no ``--output-dir`` each object also has ``file`` (the path as
given). With ``--output-dir`` each file's output goes to ``<stem>.jsonl``
(or ``<stem>.txt`` for ``--format text``) there instead.

A file that cannot be read (missing, not UTF-8, empty, or a stem another
file already uses) is reported by name on stderr and the others are still
processed; the command then exits non-zero naming every failure.
Documented in docs/suggestions.md; scripts rely on these names and shape.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from corpus.nlp import has_pipeline as nlp_has_pipeline
from corpus.nlp import no_analysis_message
from corpus.nlp.context import SOURCE_KINDS


class Command(BaseCommand):
    help = "Suggest default tags for each sentence of UTF-8 text files (no DB)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="UTF-8 text files, or - for stdin."
        )
        parser.add_argument(
            "--output-dir",
            metavar="DIR",
            help="Write <stem>.jsonl or <stem>.txt per file here.",
        )
        parser.add_argument(
            "--source-kind",
            choices=SOURCE_KINDS,
            metavar="KIND",
            help=f"The publisher's kind: {', '.join(SOURCE_KINDS)}.",
        )
        parser.add_argument(
            "--source-name", default="", metavar="NAME", help="The publisher's name."
        )
        parser.add_argument(
            "--acting-state",
            action="append",
            default=[],
            metavar="NAME",
            help="A state whose forces acted (repeatable).",
        )
        parser.add_argument(
            "--lang",
            default=None,
            metavar="CODE",
            help="Language code (en, es); detected per file when not given.",
        )
        parser.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
        parser.add_argument(
            "--explain", action="store_true", help="Include the rules that fired."
        )

    def handle(
        self,
        *args,
        files: list[str],
        output_dir: str | None,
        format: str,
        explain: bool,
        **options,
    ) -> None:
        from annotations.rules import sentence_predictions

        if options.get("lang") is not None:
            self._context(**options)  # a bad option fails before any file is read
        out_dir = Path(output_dir) if output_dir else None
        if out_dir is not None:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CommandError(f"Cannot create {out_dir}: {exc.strerror}") from exc
        failures: dict[str, str] = {}
        texts: dict[str, str] = {}
        stems: dict[str, str] = {}
        for file in files:
            try:
                text = self._read(file)
            except CommandError as exc:
                failures[file] = str(exc)
                continue
            if file in texts:
                continue  # the same path twice: one output
            stem = "stdin" if file == "-" else Path(file).stem
            if out_dir is not None and stem in stems:
                failures[file] = (
                    f"{file}: its output {stem}.* would overwrite that of "
                    f"{stems[stem]}; rename one of them."
                )
                continue
            stems[stem] = file
            texts[file] = text
        for problem in failures.values():
            self.stderr.write(problem)
        names = list(texts)
        analysed: dict[str, dict[str, Any] | None] = {}
        for lang, group in self._by_language(texts, names, options.get("lang")).items():
            if options.get("lang") is None and not nlp_has_pipeline(lang):
                # Never a silent empty result: the file fails with the notice.
                for name in group:
                    failures[name] = f"{name}: {no_analysis_message(lang)}."
                    self.stderr.write(failures[name])
                continue
            context = self._context(**{**options, "lang": lang})
            results = self._analyse([texts[n] for n in group], context, group, failures)
            analysed.update(zip(group, results, strict=True))
        several = len(names) > 1 and out_dir is None
        for name in names:
            data = analysed.get(name)
            if data is None:
                continue
            lines = self._render(
                sentence_predictions(data, texts[name]),
                format=format,
                explain=explain,
                file=name if several else None,
            )
            if out_dir is None:
                if several and format == "text":
                    self.stdout.write(f"== {name} ==")
                for line in lines:
                    self.stdout.write(line)
            else:
                suffix = ".jsonl" if format == "jsonl" else ".txt"
                target = (
                    out_dir / f"{'stdin' if name == '-' else Path(name).stem}{suffix}"
                )
                target.write_text(
                    "".join(line + "\n" for line in lines), encoding="utf-8"
                )
                self.stderr.write(f"{name} -> {target}")
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(files)} file(s) failed: "
                + " ".join(failures.values())
            )

    def _by_language(
        self, texts: dict[str, str], names: list[str], lang: str | None
    ) -> dict[str, list[str]]:
        """The files by language: all in ``lang`` when given, else each in
        the language detected in it (said on stderr, with the confidence)."""
        if lang is not None:
            return {lang: names}
        from corpus.language import detect_language

        groups: dict[str, list[str]] = {}
        for name in names:
            code, confidence = detect_language(texts[name])
            sure = (
                f"{confidence:.0%} sure"
                if confidence is not None
                else "too short to tell"
            )
            self.stderr.write(f"{name}: language {code} ({sure}).")
            groups.setdefault(code, []).append(name)
        return groups

    @staticmethod
    def _context(
        *,
        source_kind: str | None,
        source_name: str,
        acting_state: list[str],
        lang: str,
        **_,
    ):
        """The DocumentContext for every file, or None if nothing was said."""
        from corpus.nlp.context import DocumentContext

        if not (source_kind or source_name or acting_state) and lang == "en":
            return None
        if not lang.isalpha() or not 2 <= len(lang) <= 3:
            raise CommandError(f"--lang {lang!r} is not a language code such as en.")
        return DocumentContext(
            source_kind=source_kind or "",
            source_name=source_name.strip(),
            acting_states=tuple(acting_state),
            lang=lang.lower(),
        )

    def _analyse(
        self,
        texts: list[str],
        context,
        names: list[str],
        failures: dict[str, str],
    ) -> list[dict[str, Any] | None]:
        """One batch through the pipeline; if a text breaks it, the rest are
        analysed one by one so that only that text fails."""
        from corpus import nlp

        if not texts:
            return []
        lang = "en" if context is None else context.lang
        if not nlp.has_pipeline(lang):
            # Never an empty result that reads as "nothing found".
            raise CommandError(nlp.no_analysis_message(nlp.normalise_lang(lang)))
        try:
            nlp.get_nlp(lang)  # a pipeline that cannot load fails every file alike
        except (RuntimeError, OSError, ValueError) as exc:
            raise CommandError(f"The spaCy pipeline cannot be loaded: {exc}") from exc
        contexts = None if context is None else [context] * len(texts)
        results: list[dict[str, Any] | None] = []
        try:
            results.extend(nlp.analyse_texts(texts, contexts=contexts))
            return results
        except Exception as exc:
            # Isolate the text that broke the batch: the rest one by one.
            self.stderr.write(f"The batch failed ({exc}); analysing files one by one.")
        for index in range(len(results), len(texts)):
            try:
                results.append(
                    next(
                        nlp.analyse_texts(
                            [texts[index]],
                            contexts=None if context is None else [context],
                        )
                    )
                )
            except Exception as exc:
                failures[names[index]] = f"{names[index]}: analysis failed ({exc})."
                self.stderr.write(failures[names[index]])
                results.append(None)
        return results

    @staticmethod
    def _render(
        items: list[dict[str, Any]], *, format: str, explain: bool, file: str | None
    ) -> list[str]:
        lines = []
        for item in items:
            fired = item.pop("fired")
            if explain:
                item["fired"] = fired
            if format == "jsonl":
                if file is not None:
                    item = {"file": file, **item}
                lines.append(json.dumps(item, ensure_ascii=False))
            else:
                tags = ", ".join(item["tags"]) or "-"
                who = item["claimant"] or "(own voice)"
                lines.append(
                    f"[{item['start']}-{item['end']}] {tags} "
                    f"({who}, {item['claimant_type']})"
                )
                lines.append(f"    {item['text']}")
                if explain:
                    for tag, hit in fired.items():
                        lines.append(f"    {tag}: {hit['rule']}: {hit['explanation']}")
        return lines

    @staticmethod
    def _read(file: str) -> str:
        from corpus.models import normalize_text

        if file == "-":
            raw = sys.stdin.read()
        else:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No such file: {file}")
            try:
                raw = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CommandError(
                    f"{file} is not UTF-8 text (byte {exc.start} cannot be decoded)."
                ) from exc
        text = normalize_text(raw)
        if not text.strip():
            raise CommandError(f"{file} contains no text.")
        return text
