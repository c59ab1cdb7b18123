"""Tag colours that can be told apart: CIEDE2000 distances and a palette.

Two tags whose colours differ by a few CIEDE2000 units look the same in a
highlight (the annotator mixes them with white), so the tag names on the
highlights are the only thing that tells them apart. ``colour_clashes``
finds such pairs; ``DISTINCT_PALETTE`` holds colours that are far enough
from each other to reassign from (see ``tag_colours_make_distinct``).

CIEDE2000 follows Sharma, Wu and Dalal, "The CIEDE2000 color-difference
formula: implementation notes, supplementary test data, and mathematical
observations" (2005); the tests check it against their published pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

# Below this CIEDE2000 distance two tag colours count as near-identical. About
# 2 is the threshold of a just-noticeable difference side by side; highlights
# are seen apart and washed with white, so tags need far more than that.
MIN_DISTANCE = 15.0

# Medium-dark colours, so that dark label text on their light mixes and
# their underlines stay readable; every pair is at least MIN_DISTANCE apart
# (tests/annotations/test_tag_colours.py checks it).
DISTINCT_PALETTE: tuple[str, ...] = (
    "#1f5fbf",  # blue
    "#c0392b",  # red
    "#6a3fb5",  # violet
    "#a8862a",  # ochre
    "#1e8449",  # green
    "#f08a24",  # orange
    "#0e7c86",  # teal
    "#c2185b",  # magenta
    "#8a6f5c",  # taupe
    "#7b4a12",  # brown
    "#8e9d1e",  # olive
    "#00a0d6",  # sky
    "#ff6fa5",  # pink
    "#2c3e50",  # navy
    "#a569bd",  # lilac
    "#16c79a",  # mint
    "#f1c40f",  # yellow
    "#7f0000",  # maroon
    "#9aa7b0",  # grey
    "#4d5d00",  # moss
)


def hex_to_lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of ``#rrggbb`` (sRGB)."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: Sequence[float], lab2: Sequence[float]) -> float:
    """The CIEDE2000 colour difference of two L*a*b* colours."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp = l2 - l1
    dcp = c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dHp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lbp = (l1 + l2) / 2
    cbp = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbp = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbp = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hbp = (h1p + h2p + 360) / 2
    else:
        hbp = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hbp - 30))
        + 0.24 * math.cos(math.radians(2 * hbp))
        + 0.32 * math.cos(math.radians(3 * hbp + 6))
        - 0.20 * math.cos(math.radians(4 * hbp - 63))
    )
    d_theta = 30 * math.exp(-(((hbp - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cbp**7 / (cbp**7 + 25**7))
    sl = 1 + 0.015 * (lbp - 50) ** 2 / math.sqrt(20 + (lbp - 50) ** 2)
    sc = 1 + 0.045 * cbp
    sh = 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dlp / sl) ** 2
        + (dcp / sc) ** 2
        + (dHp / sh) ** 2
        + rt * (dcp / sc) * (dHp / sh)
    )


def colour_distance(first: str, second: str) -> float:
    """CIEDE2000 distance of two ``#rrggbb`` colours."""
    return ciede2000(hex_to_lab(first), hex_to_lab(second))


def colour_clashes(
    colours: Iterable[tuple[str, str]], *, minimum: float = MIN_DISTANCE
) -> list[tuple[str, str, float]]:
    """Pairs ``(name, name, distance)`` of ``(name, #rrggbb)`` items whose
    colours are closer than ``minimum``, closest first."""
    items = list(colours)
    clashes = []
    for i, (name1, colour1) in enumerate(items):
        for name2, colour2 in items[i + 1 :]:
            distance = colour_distance(colour1, colour2)
            if distance < minimum:
                clashes.append((name1, name2, round(distance, 1)))
    return sorted(clashes, key=lambda clash: clash[2])


def distinct_colours(
    colours: Sequence[str], *, minimum: float = MIN_DISTANCE
) -> list[str]:
    """``colours`` with each one that is too close to an earlier one (in
    order) replaced by the first palette colour far enough from all the
    others (the farthest when none is); unchanged where there is no clash."""
    kept: list[str] = []
    for index, colour in enumerate(colours):
        if all(colour_distance(colour, other) >= minimum for other in kept):
            kept.append(colour)
            continue
        # Far from the colours kept and from those still to come, so that a
        # replacement does not make a later tag clash in turn.
        around = kept + list(colours[index + 1 :])
        candidates = [c for c in DISTINCT_PALETTE if c not in around]
        far = [
            c
            for c in candidates
            if all(colour_distance(c, other) >= minimum for other in around)
        ]
        best = (
            far[0]
            if far
            else max(
                candidates or list(DISTINCT_PALETTE),
                key=lambda c: min(colour_distance(c, k) for k in kept),
            )
        )
        kept.append(best)
    return kept
