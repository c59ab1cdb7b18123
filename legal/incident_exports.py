"""The incident register as CSV (one row per incident) and GeoJSON (one
point feature per incident with coordinates).

Both carry the ranges of every casualty category the viewer may see (blind
mode applies, through ``register_rows``), so an export matches the register
page. CSV cells go through ``spreadsheet_safe`` (CSV injection); GeoJSON
follows RFC 7946: ``[longitude, latitude]``, WGS 84.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from legal.incident_selectors import RegisterRow
from legal.models import INCIDENT_FIELDS
from legal.ranges import CASUALTY_CATEGORIES
from projects.spreadsheets import spreadsheet_safe

FIELDS = ("code", *INCIDENT_FIELDS)


def _properties(row: RegisterRow) -> dict[str, Any]:
    incident = row.incident
    props: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(incident, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif name in ("latitude", "longitude") and value is not None:
            value = float(value)
        props[name] = value
    for category in CASUALTY_CATEGORIES:
        found = row.ranges[category]
        props[f"{category}_min"] = found.low
        props[f"{category}_max"] = found.high
        props[f"{category}_max_open"] = found.high_open
    props["sources"] = row.source_count
    props["figures"] = row.figure_count
    props["best_grade"] = row.best_grade
    return props


def incidents_csv(rows: list[RegisterRow]) -> str:
    """The register as CSV text (header first), UTF-8 with a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header: list[str] = []
    for row in rows:
        props = _properties(row)
        if not header:
            header = list(props)
            writer.writerow(header)
        writer.writerow(
            [spreadsheet_safe("" if v is None else v) for v in props.values()]
        )
    if not header:
        writer.writerow(_header())
    return "\ufeff" + buffer.getvalue()


def _header() -> list[str]:
    names = list(FIELDS)
    for category in CASUALTY_CATEGORIES:
        names += [f"{category}_min", f"{category}_max", f"{category}_max_open"]
    return [*names, "sources", "figures", "best_grade"]


def incidents_geojson(rows: list[RegisterRow]) -> dict[str, Any]:
    """A FeatureCollection of the incidents that have coordinates."""
    features = []
    for row in rows:
        incident = row.incident
        if incident.longitude is None or incident.latitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": incident.code,
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        float(incident.longitude),
                        float(incident.latitude),
                    ],
                },
                "properties": _properties(row),
            }
        )
    return {"type": "FeatureCollection", "features": features}
