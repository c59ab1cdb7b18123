"""A server-side SVG bar chart of agreement per tag (no JavaScript)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from review.selectors import AgreementReport

SERIES = (
    ("alpha", "Krippendorff's \u03b1", "#1c4e80"),
    ("mean_kappa", "Mean Cohen's \u03ba", "#2f855a"),
    ("mean_overlap_f1", "Span F1 (overlap)", "#b7791f"),
    ("mean_exact_f1", "Span F1 (exact)", "#9b2c2c"),
)
LABEL_W, BAR_W, BAR_H, GAP, LEGEND_W = 200, 480, 10, 14, 125


def agreement_svg(report: AgreementReport) -> SafeString:
    """Horizontal bars per tag for alpha, mean kappa and span F1 on a 0-1 scale.

    Negative values (worse than chance) are drawn as an empty bar with the
    value printed; undefined values are printed as "n/a".
    """
    tags = report.used_tags
    group_h = len(SERIES) * BAR_H + GAP
    height = 40 + len(tags) * group_h
    width = LABEL_W + BAR_W + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="agreement-chart-title">',
        '<title id="agreement-chart-title">Agreement per tag</title>',
    ]
    for i, (_, label, colour) in enumerate(SERIES):
        x: float = LABEL_W + i * LEGEND_W
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="13" font-size="10">{escape(label)}</text>'
        )
    for tick in (0, 0.5, 1):
        x = LABEL_W + tick * BAR_W
        parts.append(
            f'<line x1="{x}" y1="24" x2="{x}" y2="{height}" stroke="#d9dde3"/>'
            f'<text x="{x}" y="34" font-size="9" text-anchor="middle">{tick}</text>'
        )
    y = 40
    for tag in tags:
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 2 * BAR_H}" font-size="11" '
            f'text-anchor="end">{escape(tag.name)}</text>'
        )
        for i, (attr, label, colour) in enumerate(SERIES):
            value = getattr(tag, attr)
            bar_y = y + i * BAR_H
            length = 0 if value is None else max(0.0, min(1.0, value)) * BAR_W
            text = "n/a" if value is None else f"{value:.2f}"
            parts.append(
                f'<rect x="{LABEL_W}" y="{bar_y}" width="{length:.1f}" '
                f'height="{BAR_H - 2}" fill="{colour}">'
                f"<title>{escape(tag.name)}: {escape(label)} {text}</title></rect>"
                f'<text x="{LABEL_W + length + 4:.1f}" y="{bar_y + BAR_H - 3}" '
                f'font-size="9">{text}</text>'
            )
        y += group_h
    parts.append("</svg>")
    return mark_safe("".join(parts))
