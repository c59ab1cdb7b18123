"""Server-side SVG charts: no JavaScript, printable, readable in PDFs.

Every piece of data is escaped before it enters the markup; the functions
return ``SafeString`` built only from escaped text and numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Okabe-Ito palette: distinguishable with the common colour-vision deficits.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
    "#F0E442",
)
CONTRADICTION_COLOUR = "#B00020"


@dataclass(frozen=True)
class ChartPoint:
    day: date
    value: int
    series: str
    label: str
    marker: str = "circle"  # circle, up (at least), down (up to), diamond (about)
    flagged: bool = False


def series_colours(names: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(top)
    return int(value)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "up":
        return (
            f'<path d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y + 4:.1f} '
            f'L{x - 6:.1f},{y + 4:.1f} Z" fill="{colour}"/>'
        )
    if kind == "down":
        return (
            f'<path d="M{x:.1f},{y + 6:.1f} L{x + 6:.1f},{y - 4:.1f} '
            f'L{x - 6:.1f},{y - 4:.1f} Z" fill="{colour}"/>'
        )
    if kind == "diamond":
        return (
            f'<path d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} L{x:.1f},{y + 6:.1f} '
            f'L{x - 6:.1f},{y:.1f} Z" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'


def timeline_svg(
    points: Sequence[ChartPoint],
    *,
    title: str,
    y_label: str,
    width: int = 760,
    height: int = 360,
) -> SafeString:
    """A dated scatter of figures, one colour per source, lines joining each
    source's reports, contradictions ringed in red, legend below."""
    if not points:
        return mark_safe("")
    series = list(dict.fromkeys(p.series for p in points))
    colours = series_colours(series)
    legend_rows = (len(series) + 2) // 3
    left, right, top = 64, 48, 36
    uid = f"tl{abs(hash((title, len(points)))) % 10**8}"
    plot_h = height - top - 56
    total_h = height + legend_rows * 20 + 24
    plot_w = width - left - right

    first = min(p.day for p in points)
    last = max(p.day for p in points)
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    y_max = _nice_max(max(p.value for p in points) * 1.05)

    def sx(day: date) -> float:
        return left + plot_w * (day - first).days / span

    def sy(value: float) -> float:
        return top + plot_h * (1 - value / y_max)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {total_h}" width="100%" '
        f'aria-labelledby="{uid}-t {uid}-d" font-family="sans-serif" font-size="12">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{len(points)} reported figures from {len(series)} '
        f"sources between {first.isoformat()} and {last.isoformat()}. The table "
        "below lists every point.</desc>",
        f'<text x="{left}" y="20" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>",
    ]
    # Axes and grid.
    for i in range(5):
        value = y_max * i / 4
        y = sy(value)
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d9dde3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
        )
    ticks = min(6, span + 1)
    for i in range(ticks):
        day = first + timedelta(days=round(span * i / max(1, ticks - 1)))
        x = sx(day)
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" '
            f'y2="{top + plot_h + 5}" stroke="#4a5568"/>'
            f'<text x="{x:.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
            f"{day.strftime('%d %b %Y')}</text>"
        )
    out.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" '
        f'stroke="#4a5568"/><line x1="{left}" x2="{left + plot_w}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}" stroke="#4a5568"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 38}" '
        f'text-anchor="middle">Date reported</text>'
        f'<text transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    # Lines per source, then points.
    for name in series:
        own = sorted((p for p in points if p.series == name), key=lambda p: p.day)
        if len(own) > 1:
            path = " ".join(
                f"{'M' if i == 0 else 'L'}{sx(p.day):.1f},{sy(p.value):.1f}"
                for i, p in enumerate(own)
            )
            out.append(
                f'<path d="{path}" fill="none" stroke="{colours[name]}" '
                f'stroke-opacity="0.5" stroke-width="1.5"/>'
            )
    for p in points:
        x, y = sx(p.day), sy(p.value)
        out.append(f"<g><title>{escape(p.label)}</title>")
        out.append(_marker(p.marker, x, y, colours[p.series]))
        if p.flagged:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="10" fill="none" '
                f'stroke="{CONTRADICTION_COLOUR}" stroke-width="2.5" '
                f'class="contradiction-marker"/>'
            )
        out.append("</g>")
    # Legend.
    legend_top = height + 4
    for i, name in enumerate(series):
        col, row = i % 3, i // 3
        x = left + col * (plot_w / 3)
        y = legend_top + row * 20
        out.append(
            f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" '
            f'fill="{colours[name]}"/><text x="{x + 18:.1f}" y="{y}">'
            f"{escape(name[:40])}</text>"
        )
    y = legend_top + legend_rows * 20
    out.append(
        f'<circle cx="{left + 6}" cy="{y - 4}" r="7" fill="none" '
        f'stroke="{CONTRADICTION_COLOUR}" stroke-width="2.5"/>'
        f'<text x="{left + 18}" y="{y}">contradicted by another source</text>'
        f'<text x="{left + 230}" y="{y}">▲ at least · ▼ up to · ◆ about · '
        f"● exact</text>"
    )
    out.append("</svg>")
    return mark_safe("".join(out))


def bar_svg(
    items: Sequence[tuple[str, int, str]], *, title: str, width: int = 640
) -> SafeString:
    """Horizontal bars: (label, count, colour) per row, counts at bar ends."""
    if not items:
        return mark_safe("")
    row_h, left, top = 22, 220, 30
    height = top + row_h * len(items) + 10
    biggest = max(count for _, count, _ in items) or 1
    plot_w = width - left - 50
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" font-family="sans-serif" '
        f'font-size="12" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, count, colour) in enumerate(items):
        y = top + i * row_h
        w = plot_w * count / biggest
        safe_colour = colour if colour.startswith("#") and len(colour) == 7 else "#888"
        out.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">'
            f"{escape(label[:34])}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="15" '
            f'fill="{escape(safe_colour)}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + 15}">{count}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))
