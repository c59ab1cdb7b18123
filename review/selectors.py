"""Inter-annotator agreement: Cohen's kappa, Krippendorff's alpha, span F1.

Two readings of agreement, because analysts disagree in two ways:

* **Sentence level** (kappa, alpha). Each sentence of a compared document is
  a unit; an annotator "marks" tag T on a sentence when any of their
  annotations carrying T overlaps it. Presence/absence is a nominal value.
  Cohen's kappa is computed for every annotator pair over the sentences both
  coded; Krippendorff's alpha (nominal, the ``krippendorff`` package) over
  all annotators at once, missing where an annotator did not code a document.
* **Span level** (F1). Annotator A's spans of tag T are compared with B's on
  their shared documents: *exact* when start and end are identical,
  *overlap* when the spans share at least one character (matched one to one,
  greedily in text order). F1 = 2·matches / (|A| + |B|), symmetric.

Sentences come from ``DocumentAnalysis.data["sentences"]`` when the document
was analysed, else from ``split_sentences`` (a simple regex: a sentence ends
at ., ! or ? followed by whitespace, optionally after a closing quote or
bracket, or at a newline; abbreviations such as "Mr." are not special).

Who is compared on a document: the authors of its human annotations
(reconciled ``adjudication`` annotations are the answer key, not a reading)
plus annotators who submitted an assignment on it without annotating
(an empty reading is a reading). Documents with fewer than two such coders
are left out.
"""

from __future__ import annotations

import csv
import io
import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import krippendorff
import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from annotations.models import Annotation, Origin, Tag
from corpus.models import Assignment, AssignmentStatus, Document
from projects.errors import ApplicationError
from projects.models import Project
from projects.spreadsheets import spreadsheet_safe

_CLOSERS = "\"')]\u201d\u2019"  # quotes and brackets that may end a sentence
_BOUNDARY = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][" + re.escape(_CLOSERS) + r"]))\s+|\n+"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text``, end-exclusive, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            offset = start + (len(piece) - len(piece.lstrip()))
            spans.append((offset, offset + len(stripped)))
        if match:
            start = match.end()
    return spans


def document_sentences(document: Document) -> list[tuple[int, int]]:
    """The analysed sentences of ``document`` if any, else the regex split."""
    analysis = getattr(document, "analysis", None)
    try:
        raw = analysis.data.get("sentences") if analysis is not None else None
    except AttributeError:
        raw = None
    spans: list[tuple[int, int]] = []
    for item in raw or []:
        if isinstance(item, dict):
            start = item.get("start", item.get("start_char"))
            end = item.get("end", item.get("end_char"))
        elif isinstance(item, list | tuple) and len(item) >= 2:
            start, end = item[0], item[1]
        else:
            continue
        if isinstance(start, int) and isinstance(end, int) and start < end:
            spans.append((start, end))
    return sorted(spans) or split_sentences(document.text)


# --- The statistics ------------------------------------------------------------


def cohen_kappa(a: Sequence[int | None], b: Sequence[int | None]) -> float | None:
    """Cohen's kappa of two equally long label lists (None if undefined).

    Undefined when chance agreement is 1: both annotators gave one and the
    same label to every unit, so there is no variation to agree on.
    """
    n = len(a)
    if n == 0 or n != len(b):
        return None
    labels = set(a) | set(b)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    expected = sum((a.count(v) / n) * (b.count(v) / n) for v in labels)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(matrix: list[list[float]]) -> float | None:
    """Nominal alpha of a coders x units matrix (NaN = missing), or None.

    None when fewer than two values occur or no unit has two codings.
    """
    data = np.array(matrix, dtype=float)
    if data.size == 0 or data.shape[0] < 2:
        return None
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = set(data[:, pairable][~np.isnan(data[:, pairable])].tolist())
    if not pairable.any() or len(values) < 2:
        return None
    return float(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )


def span_f1(
    spans_a: list[tuple[int, int, int]], spans_b: list[tuple[int, int, int]]
) -> tuple[float | None, float | None]:
    """(exact F1, overlap F1) of two span lists of (document, start, end).

    Duplicates are ignored. Overlap matches are one to one: each of A's spans
    (in text order) takes the first of B's unmatched spans it overlaps.
    """
    set_a, set_b = sorted(set(spans_a)), sorted(set(spans_b))
    size = len(set_a) + len(set_b)
    if size == 0:
        return None, None
    exact = len(set(set_a) & set(set_b))
    used: set[int] = set()
    overlap = 0
    for doc, start, end in set_a:
        for index, (doc_b, start_b, end_b) in enumerate(set_b):
            if index not in used and doc_b == doc and start < end_b and start_b < end:
                used.add(index)
                overlap += 1
                break
    return 2 * exact / size, 2 * overlap / size


# --- The report ------------------------------------------------------------------


@dataclass
class PairAgreement:
    annotator_a: str
    annotator_b: str
    units: int
    observed: float | None
    kappa: float | None
    spans_a: int
    spans_b: int
    exact_f1: float | None
    overlap_f1: float | None


@dataclass
class TagAgreement:
    key: str
    name: str
    colour: str
    units: int
    alpha: float | None
    pairs: list[PairAgreement] = field(default_factory=list)
    marked: int = 0  # (annotator, sentence) pairs where the tag is present

    @property
    def mean_kappa(self) -> float | None:
        return _mean(p.kappa for p in self.pairs)

    @property
    def mean_exact_f1(self) -> float | None:
        return _mean(p.exact_f1 for p in self.pairs)

    @property
    def mean_overlap_f1(self) -> float | None:
        return _mean(p.overlap_f1 for p in self.pairs)


@dataclass
class AgreementReport:
    project: Project
    annotators: list[str]
    documents: int
    sentences: int
    tags: list[TagAgreement]

    @property
    def used_tags(self) -> list[TagAgreement]:
        """Tags some compared annotator applied (the others have no figures)."""
        return [tag for tag in self.tags if tag.marked]

    @property
    def unused_tags(self) -> list[TagAgreement]:
        return [tag for tag in self.tags if not tag.marked]


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def agreement_compute(
    *,
    project: Project,
    documents: QuerySet[Document] | None = None,
    tag_keys: list[str] | None = None,
) -> AgreementReport:
    """Agreement figures of ``project`` per tag (see the module docstring)."""
    documents = (
        Document.objects.filter(project=project)
        if documents is None
        else documents.filter(project=project)
    )
    # Plain rows, not model instances: this runs over whole projects.
    annotations = Annotation.objects.filter(document__in=documents).exclude(
        origin=Origin.ADJUDICATION
    )
    keys_of: dict[int, set[str]] = defaultdict(set)
    for ann_id, key in Annotation.tags.through.objects.filter(
        annotation__in=annotations
    ).values_list("annotation_id", "tag__key"):
        keys_of[ann_id].add(key)
    coders: dict[int, set[int]] = defaultdict(set)
    spans: dict[tuple[int, int], list[tuple[int, int, set[str]]]] = defaultdict(list)
    for ann_id, doc_id, author_id, start, end in annotations.values_list(
        "id", "document_id", "author_id", "start", "end"
    ):
        coders[doc_id].add(author_id)
        spans[(doc_id, author_id)].append((start, end, keys_of[ann_id]))
    for doc_id, user_id in Assignment.objects.filter(
        document__in=documents,
        status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.ADJUDICATED],
    ).values_list("document_id", "annotator_id"):
        coders[doc_id].add(user_id)
    compared = {d: users for d, users in coders.items() if len(users) >= 2}
    user_ids = sorted(set().union(*compared.values())) if compared else []
    names = dict(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .values_list("pk", get_user_model().USERNAME_FIELD)
    )
    tags = list(Tag.objects.filter(project=project).order_by("order", "key"))
    if tag_keys is not None:
        tags = [t for t in tags if t.key in tag_keys]

    # units: (doc, sentence span); marks[(user, tag)][unit index] = 0/1
    units: list[tuple[int, int, int]] = []
    unit_coders: list[set[int]] = []
    # (user, tag key) -> indices of the units (sentences) the user marked.
    marked: dict[tuple[int, str], set[int]] = defaultdict(set)
    for document in (
        Document.objects.filter(pk__in=compared)
        .select_related("analysis")
        .order_by("pk")
    ):
        first = len(units)
        sentences = document_sentences(document)
        ends = [end for _, end in sentences]
        for start, end in sentences:
            units.append((document.pk, start, end))
            unit_coders.append(compared[document.pk])
        for user in compared[document.pk]:
            for s, e, keys in spans.get((document.pk, user), []):
                # Sentences are sorted: from the first that ends after the
                # span starts, while they start before the span ends.
                index = bisect_right(ends, s)
                while index < len(sentences) and sentences[index][0] < e:
                    for key in keys:
                        marked[(user, key)].add(first + index)
                    index += 1

    report_tags: list[TagAgreement] = []
    for tag in tags:
        marks = {
            user: [
                (int(k in marked[(user, tag.key)]) if user in who else None)
                for k, who in enumerate(unit_coders)
            ]
            for user in user_ids
        }
        matrix = [
            [math.nan if v is None else float(v) for v in marks[user]]
            for user in user_ids
        ]
        result = TagAgreement(
            key=tag.key,
            name=tag.name,
            colour=tag.colour,
            units=sum(1 for who in unit_coders if len(who) >= 2),
            alpha=krippendorff_alpha(matrix),
            marked=sum(v or 0 for row in marks.values() for v in row),
        )
        for i, user_a in enumerate(user_ids):
            for user_b in user_ids[i + 1 :]:
                both = [
                    k
                    for k, who in enumerate(unit_coders)
                    if user_a in who and user_b in who
                ]
                if not both:
                    continue
                shared_docs = {units[k][0] for k in both}
                a = [marks[user_a][k] for k in both]
                b = [marks[user_b][k] for k in both]
                spans_a = _tag_spans(spans, user_a, shared_docs, tag.key)
                spans_b = _tag_spans(spans, user_b, shared_docs, tag.key)
                exact, overlap = span_f1(spans_a, spans_b)
                result.pairs.append(
                    PairAgreement(
                        annotator_a=names.get(user_a, str(user_a)),
                        annotator_b=names.get(user_b, str(user_b)),
                        units=len(both),
                        observed=sum(x == y for x, y in zip(a, b, strict=True))
                        / len(both),
                        kappa=cohen_kappa(a, b),
                        spans_a=len(spans_a),
                        spans_b=len(spans_b),
                        exact_f1=exact,
                        overlap_f1=overlap,
                    )
                )
        report_tags.append(result)
    return AgreementReport(
        project=project,
        annotators=[names.get(u, str(u)) for u in user_ids],
        documents=len(compared),
        sentences=len(units),
        tags=report_tags,
    )


def _tag_spans(
    spans: dict[tuple[int, int], list[tuple[int, int, set[str]]]],
    user: int,
    docs: Iterable[int],
    key: str,
) -> list[tuple[int, int, int]]:
    return sorted(
        {
            (doc, s, e)
            for doc in docs
            for s, e, keys in spans.get((doc, user), [])
            if key in keys
        }
    )


CSV_HEADER = [
    "tag",
    "annotator_a",
    "annotator_b",
    "sentences",
    "krippendorff_alpha",
    "observed_agreement",
    "cohen_kappa",
    "spans_a",
    "spans_b",
    "span_f1_exact",
    "span_f1_overlap",
]


def agreement_csv(report: AgreementReport) -> str:
    """The report as CSV: one row per tag (all annotators), one per pair."""

    def fmt(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    out = io.StringIO()
    writer = csv.writer(out)

    writer.writerow(CSV_HEADER)
    for tag in report.tags:
        writer.writerow(
            [tag.key, "*", "*", tag.units, fmt(tag.alpha), "", "", "", "", "", ""]
        )
        for pair in tag.pairs:
            writer.writerow(
                [
                    tag.key,
                    spreadsheet_safe(pair.annotator_a),
                    spreadsheet_safe(pair.annotator_b),
                    pair.units,
                    "",
                    fmt(pair.observed),
                    fmt(pair.kappa),
                    pair.spans_a,
                    pair.spans_b,
                    fmt(pair.exact_f1),
                    fmt(pair.overlap_f1),
                ]
            )
    return out.getvalue()


def quote_locate(document: Document, quote: str) -> tuple[int, int]:
    """The offsets of the one occurrence of ``quote`` in the document's text.

    For a reviewer adding a span by typing its text: refused (with the first
    starts, so offsets can be given instead) when the text is absent or
    occurs more than once.
    """
    if not quote.strip():
        raise ApplicationError(
            "Type the exact text to tag, or give its offsets.",
            extra={"field": "quote"},
        )
    found: list[int] = []
    index = document.text.find(quote)
    while index != -1 and len(found) < 3:
        found.append(index)
        index = document.text.find(quote, index + 1)
    if not found:
        raise ApplicationError(
            "That text does not occur in the document.", extra={"field": "quote"}
        )
    if len(found) > 1:
        raise ApplicationError(
            "That text occurs more than once; give the start and end offsets "
            f"(first occurrences start at {', '.join(map(str, found))}).",
            extra={"field": "quote"},
        )
    return found[0], found[0] + len(quote)
