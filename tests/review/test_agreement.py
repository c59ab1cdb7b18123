"""Agreement figures against hand computation and the krippendorff package."""

from __future__ import annotations

import csv
import io
import math
from fractions import Fraction
from typing import cast

import krippendorff
import numpy as np
import pytest

from corpus.models import Document, DocumentAnalysis
from projects.models import Role
from review.selectors import (
    agreement_compute,
    agreement_csv,
    cohen_kappa,
    document_sentences,
    span_f1,
    split_sentences,
)
from tests.factories import DocumentFactory, make_annotation
from tests.fixtures_team import member

DOC1 = "Alpha said ten died. Beta denied it. Gamma saw boats. Delta left."
DOC2 = "Echo spoke. Foxtrot agreed."


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def fixture_project(project):
    """Three annotators, two documents, tag ``casualty_figure``.

    Sentences (regex split): DOC1 s1..s4, DOC2 s5, s6. Casualty marks:

    ====  ==  ==  ==  ==  ==  ==
    who   s1  s2  s3  s4  s5  s6
    ====  ==  ==  ==  ==  ==  ==
    A     1   1   0   0   0   1
    B     1   0   1   0   0   1
    C     1   0   0   0   .   .
    ====  ==  ==  ==  ==  ==  ==

    (C did not code DOC2: missing.)
    """
    a = member(project, "ann_a", Role.ANALYST)
    b = member(project, "ann_b", Role.ANALYST)
    c = member(project, "ann_c", Role.ANALYST)
    d1 = cast(Document, DocumentFactory(project=project, title="Doc one", text=DOC1))
    d2 = cast(Document, DocumentFactory(project=project, title="Doc two", text=DOC2))
    cas, off = "casualty_figure", "official_claim"
    make_annotation(d1, a, *span(DOC1, "ten died"), [cas, off])
    make_annotation(d1, a, *span(DOC1, "Beta denied"), [cas])
    make_annotation(d1, a, *span(DOC1, "Gamma saw boats"), [off])
    make_annotation(d2, a, *span(DOC2, "Foxtrot agreed"), [cas])
    make_annotation(d1, b, *span(DOC1, "ten died"), [cas])
    make_annotation(d1, b, *span(DOC1, "Gamma saw"), [cas])
    make_annotation(d2, b, *span(DOC2, "Foxtrot"), [cas])
    make_annotation(d1, c, *span(DOC1, "Alpha said ten died"), [cas])
    return project, (d1, d2)


def own_alpha_nominal(matrix: list[list[float | None]]) -> Fraction:
    """Krippendorff's alpha (nominal) from the coincidence matrix, exactly.

    o[c][k] = sum over units u with m_u >= 2 values of
    (number of ordered c-k value pairs in u) / (m_u - 1);
    n_c = sum_k o[c][k]; n = sum n_c;
    D_o = sum_{c != k} o[c][k] / n;  D_e = sum_{c != k} n_c n_k / (n (n - 1));
    alpha = 1 - D_o / D_e.
    """
    values = sorted({v for row in matrix for v in row if v is not None})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for unit in zip(*matrix, strict=True):
        present = [v for v in unit if v is not None]
        m = len(present)
        if m < 2:
            continue
        for i, x in enumerate(present):
            for j, y in enumerate(present):
                if i != j:
                    o[(x, y)] += Fraction(1, m - 1)
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    d_o = sum(o[(c, k)] for c in values for k in values if c != k) / n
    d_e = sum(n_c[c] * n_c[k] for c in values for k in values if c != k) / (n * (n - 1))
    # The sums are of Fractions (typeshed: ``Fraction | Literal[0]``), so is this.
    return cast(Fraction, 1 - d_o / d_e)


def test_regex_sentence_split_offsets():
    spans = split_sentences(DOC1)
    assert [DOC1[s:e] for s, e in spans] == [
        "Alpha said ten died.",
        "Beta denied it.",
        "Gamma saw boats.",
        "Delta left.",
    ]
    text = 'He said "no." Then left!\nNew line here'
    assert [text[s:e] for s, e in split_sentences(text)] == [
        'He said "no."',
        "Then left!",
        "New line here",
    ]


def test_figures_match_hand_computation(fixture_project):
    """Hand computation for ``casualty_figure`` (marks in the fixture table).

    Cohen's kappa, A-B over the 6 sentences both coded:
      A = 1 1 0 0 0 1, B = 1 0 1 0 0 1; agree on s1, s4, s5, s6 -> p_o = 4/6.
      P(A=1) = 3/6, P(B=1) = 3/6 -> p_e = .5*.5 + .5*.5 = 1/2.
      kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3.
    A-C over DOC1 (4 sentences): A = 1 1 0 0, C = 1 0 0 0; p_o = 3/4;
      P(A=1) = 1/2, P(C=1) = 1/4 -> p_e = 1/8 + 3/8 = 1/2; kappa = 1/2.
    B-C over DOC1: B = 1 0 1 0, C = 1 0 0 0; same margins -> kappa = 1/2.

    Krippendorff's alpha (nominal), coincidences per unit (pairs / (m-1)):
      s1 {1,1,1}: o11 += 3;  s2 {1,0,0}: o10 += 1, o01 += 1, o00 += 1;
      s3 {0,1,0}: the same;  s4 {0,0,0}: o00 += 3;  s5 {0,0}: o00 += 2;
      s6 {1,1}: o11 += 2.
      o00 = 7, o11 = 5, o01 = o10 = 2; n0 = 9, n1 = 7, n = 16.
      D_o = 4/16 = 1/4; D_e = 2*9*7 / (16*15) = 21/40.
      alpha = 1 - (1/4)/(21/40) = 1 - 10/21 = 11/21 = 0.5238...

    Span F1 (casualty spans; A: "ten died", "Beta denied", "Foxtrot agreed";
    B: "ten died", "Gamma saw", "Foxtrot"; C: "Alpha said ten died"):
      A-B: exact 1 ("ten died"), overlap 2 (+ Foxtrot) -> F1 = 2/6, 4/6.
      A-C (DOC1 only, 2 + 1 spans): exact 0, overlap 1 -> 0, 2/3.
      B-C (DOC1 only, 2 + 1 spans): exact 0, overlap 1 -> 0, 2/3.
    """
    project, _ = fixture_project
    report = agreement_compute(project=project)
    assert report.documents == 2
    assert report.sentences == 6
    assert report.annotators == ["ann_a", "ann_b", "ann_c"]
    tag = next(t for t in report.tags if t.key == "casualty_figure")
    assert tag.units == 6
    assert tag.alpha == pytest.approx(11 / 21)
    pairs = {(p.annotator_a, p.annotator_b): p for p in tag.pairs}
    ab, ac, bc = (
        pairs["ann_a", "ann_b"],
        pairs["ann_a", "ann_c"],
        pairs["ann_b", "ann_c"],
    )
    assert (ab.units, ac.units, bc.units) == (6, 4, 4)
    assert ab.observed == pytest.approx(4 / 6)
    assert ab.kappa == pytest.approx(1 / 3)
    assert ac.kappa == pytest.approx(0.5)
    assert bc.kappa == pytest.approx(0.5)
    assert (ab.spans_a, ab.spans_b) == (3, 3)
    assert ab.exact_f1 == pytest.approx(1 / 3)
    assert ab.overlap_f1 == pytest.approx(2 / 3)
    assert (ac.exact_f1, ac.overlap_f1) == (0, pytest.approx(2 / 3))
    assert (bc.exact_f1, bc.overlap_f1) == (0, pytest.approx(2 / 3))


def test_alpha_matches_krippendorff_package_and_own_computation(fixture_project):
    project, _ = fixture_project
    report = agreement_compute(project=project)
    table: list[list[float | None]] = [
        [1, 1, 0, 0, 0, 1],
        [1, 0, 1, 0, 0, 1],
        [1, 0, 0, 0, None, None],
    ]
    package = krippendorff.alpha(
        reliability_data=np.array(
            [[np.nan if v is None else v for v in row] for row in table], dtype=float
        ),
        level_of_measurement="nominal",
    )
    own = own_alpha_nominal(table)
    assert own == Fraction(11, 21)
    assert package == pytest.approx(float(own))
    tag = next(t for t in report.tags if t.key == "casualty_figure")
    assert tag.alpha == pytest.approx(package)
    # A second tag, computed independently: official_claim marks A on s1, s3.
    official = next(t for t in report.tags if t.key == "official_claim")
    table2: list[list[float | None]] = [
        [1, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, None, None],
    ]
    assert official.alpha == pytest.approx(float(own_alpha_nominal(table2)))


def test_kappa_undefined_when_no_variation():
    assert cohen_kappa([0, 0, 0], [0, 0, 0]) is None
    assert cohen_kappa([1, 0], [1, 0]) == pytest.approx(1.0)
    assert cohen_kappa([1, 0], [0, 1]) == pytest.approx(-1.0)


def test_span_f1_matches_one_to_one():
    # B's single long span may match only one of A's two short spans.
    a = [(1, 0, 5), (1, 6, 10)]
    b = [(1, 0, 10)]
    exact, overlap = span_f1(a, b)
    assert exact == 0
    assert overlap == pytest.approx(2 * 1 / 3)
    assert span_f1([], []) == (None, None)


def test_analysed_sentences_take_precedence(fixture_project):
    project, (d1, _d2) = fixture_project
    DocumentAnalysis.objects.create(
        document=d1,
        pipeline="test",
        pipeline_version="1",
        data={"sentences": [{"start": 0, "end": 36}, {"start": 37, "end": 65}]},
    )
    d1.refresh_from_db()
    assert document_sentences(d1) == [(0, 36), (37, 65)]
    report = agreement_compute(project=project)
    assert report.sentences == 4  # 2 analysed + 2 regex


def test_csv_export_rows(fixture_project):
    project, _ = fixture_project
    rows = list(
        csv.DictReader(io.StringIO(agreement_csv(agreement_compute(project=project))))
    )
    cas = [r for r in rows if r["tag"] == "casualty_figure"]
    assert cas[0]["annotator_a"] == "*"
    assert math.isclose(float(cas[0]["krippendorff_alpha"]), 11 / 21, abs_tol=1e-4)
    ab = next(
        r for r in cas if r["annotator_a"] == "ann_a" and r["annotator_b"] == "ann_b"
    )
    assert ab["cohen_kappa"] == "0.3333"
    assert ab["span_f1_overlap"] == "0.6667"


def test_agreement_page_and_csv_for_reviewers_only(client, fixture_project, reviewer):
    project, _ = fixture_project
    client.force_login(reviewer)
    page = client.get(f"/p/{project.slug}/agreement/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b"0.524" in page.content
    export = client.get(f"/p/{project.slug}/agreement/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    assert b"casualty_figure,*,*,6,0.5238" in export.content
    api = client.get(f"/api/agreement/?project={project.slug}")
    assert api.status_code == 200
    cas = next(t for t in api.json()["tags"] if t["key"] == "casualty_figure")
    assert cas["alpha"] == pytest.approx(11 / 21)
    analyst = project.memberships.get(user__username="ann_a").user
    client.force_login(analyst)
    assert client.get(f"/p/{project.slug}/agreement/").status_code == 403


def test_agreement_empty_state(client, project, owner):
    client.force_login(owner)
    page = client.get(f"/p/{project.slug}/agreement/")
    assert b"No document has been annotated by two analysts yet" in page.content
