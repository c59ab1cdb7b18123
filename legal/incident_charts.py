"""SVG pictures of the register: the campaign chart and the incident map.

Drawn on the server like ``legal.charts`` (no JavaScript, printable, usable
in the PDF brief): every text is escaped before it enters the markup.

* The campaign chart puts each incident on its date with a bar from its
  minimum to its maximum killed, the register's running sum (minimum and
  maximum) as a step line, and each tally as a point, so a tally above or
  below the band shows at a glance.
* The map plots incidents with coordinates on a plain equirectangular frame
  fitted to them, with a graticule and no external tiles.
"""

from __future__ import annotations

from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from legal.charts import CONTRADICTION_COLOUR, PALETTE, _nice_max
from legal.incident_selectors import RegisterRow
from legal.tallies import TallyCheck

BAND = "#0072B2"
TALLY = "#D55E00"


def _x_scale(days: list[date], left: float, right: float):
    first, last = min(days), max(days)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + (day - first).days / span * (right - left)

    return x, first, last


def campaign_svg(
    rows: list[RegisterRow],
    tallies: list[TallyCheck],
    *,
    category: str = "killed",
    width: int = 760,
    height: int = 360,
) -> SafeString:
    """Incidents' range bars, the cumulative band and the tallies over time."""
    tallies = [t for t in tallies if t.figure.category == category]
    dated = sorted(rows, key=lambda r: (r.incident.date, r.incident.number))
    days = [r.incident.date for r in dated] + [t.as_of for t in tallies]
    title = f"Campaign: {category} per incident, running sum and tallies"
    if not days:
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" '
            f'role="img" aria-label="{escape(title)}"><text x="10" y="30">'
            "No incidents or tallies yet.</text></svg>"
        )
    left, right, top, bottom = 60.0, width - 20.0, 30.0, height - 40.0
    x, first, last = _x_scale(days, left, right)
    running_low = running_high = 0
    steps: list[tuple[date, int, int]] = []
    for row in dated:
        found = row.ranges[category]
        running_low += found.floor
        running_high += found.ceiling
        steps.append((row.incident.date, running_low, running_high))
    peak = max(
        [running_high, 1]
        + [int(t.figure.value) for t in tallies]
        + [r.ranges[category].ceiling for r in dated]
    )
    y_max = _nice_max(peak)

    def y(value: float) -> float:
        return bottom - value / y_max * (bottom - top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#888"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#888"/>',
    ]
    for tick in range(5):
        value = y_max * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" '
            f'text-anchor="end">{int(value)}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 12}" font-size="11">{first.isoformat()}</text>'
        f'<text x="{right}" y="{height - 12}" font-size="11" text-anchor="end">'
        f"{last.isoformat()}</text>"
    )
    if steps:
        for name, index in (("minimum", 1), ("maximum", 2)):
            points = []
            previous = 0
            for day, *sums in steps:
                points.append(f"{x(day):.1f},{y(previous):.1f}")
                previous = sums[index - 1]
                points.append(f"{x(day):.1f},{y(previous):.1f}")
            points.append(f"{right:.1f},{y(previous):.1f}")
            dash = ' stroke-dasharray="4 3"' if name == "maximum" else ""
            parts.append(
                f'<polyline class="sum-{name}" fill="none" stroke="{BAND}" '
                f'stroke-width="1.5"{dash} points="{" ".join(points)}">'
                f"<title>Register's running {name}</title></polyline>"
            )
    for row in dated:
        found = row.ranges[category]
        if not found.known:
            continue
        cx = x(row.incident.date)
        label = f"{row.incident.code} {row.incident.date.isoformat()}: {found}"
        parts.append(
            f'<line class="incident-bar" x1="{cx:.1f}" y1="{y(found.floor):.1f}" '
            f'x2="{cx:.1f}" y2="{y(found.ceiling):.1f}" stroke="{PALETTE[2]}" '
            f'stroke-width="6" stroke-linecap="round"><title>{escape(label)}'
            "</title></line>"
        )
    for check in tallies:
        colour = CONTRADICTION_COLOUR if check.discrepancy else TALLY
        label = (
            f"{check.as_of.isoformat()}: {check.figure.source_name} tally "
            f"{check.figure.wording}; register {check.sum_low}-{check.sum_high}"
        )
        parts.append(
            f'<rect class="tally" x="{x(check.as_of) - 5:.1f}" '
            f'y="{y(check.figure.value) - 5:.1f}" width="10" height="10" '
            f'fill="{colour}"><title>{escape(label)}</title></rect>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def map_svg(rows: list[RegisterRow], *, width: int = 760, height: int = 420):
    """Incidents with coordinates on a fitted lon/lat frame (or None)."""
    placed = [r for r in rows if r.incident.has_coordinates]
    if not placed:
        return None
    lons = [float(r.incident.longitude) for r in placed]  # type: ignore[arg-type]
    lats = [float(r.incident.latitude) for r in placed]  # type: ignore[arg-type]
    pad = 0.5
    west, east = min(lons) - pad, max(lons) + pad
    south, north = min(lats) - pad, max(lats) + pad
    scale = min((width - 40) / (east - west), (height - 40) / (north - south))

    def point(lon: float, lat: float) -> tuple[float, float]:
        return 20 + (lon - west) * scale, 20 + (north - lat) * scale

    title = "Incidents with coordinates"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart" role="img" aria-label="{title}"><title>{title}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef4f8"/>',
    ]
    step = 1 if max(east - west, north - south) < 10 else 5
    for lon in range(int(west) - 1, int(east) + 2):
        if lon % step == 0 and west <= lon <= east:
            px, _ = point(lon, north)
            parts.append(
                f'<line x1="{px:.1f}" y1="0" x2="{px:.1f}" y2="{height}" '
                f'stroke="#cfdbe5"/><text x="{px + 2:.1f}" y="{height - 4}" '
                f'font-size="10">{lon}°</text>'
            )
    for lat in range(int(south) - 1, int(north) + 2):
        if lat % step == 0 and south <= lat <= north:
            _, py = point(west, lat)
            parts.append(
                f'<line x1="0" y1="{py:.1f}" x2="{width}" y2="{py:.1f}" '
                f'stroke="#cfdbe5"/><text x="2" y="{py - 2:.1f}" '
                f'font-size="10">{lat}°</text>'
            )
    for row, x_lon, y_lat in zip(placed, lons, lats, strict=True):
        px, py = point(x_lon, y_lat)
        killed = row.ranges["killed"]
        radius = 4 + min(killed.ceiling, 60) ** 0.5
        label = f"{row.incident.code} {row.incident.place}: killed {killed}"
        parts.append(
            f'<circle class="incident-point" cx="{px:.1f}" cy="{py:.1f}" '
            f'r="{radius:.1f}" fill="{PALETTE[5]}" fill-opacity="0.75">'
            f"<title>{escape(label)}</title></circle>"
            f'<text x="{px + radius + 2:.1f}" y="{py + 4:.1f}" font-size="11">'
            f"{escape(row.incident.code)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
