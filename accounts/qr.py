"""The TOTP provisioning QR code, as inline SVG (no image service, no JS)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str) -> SafeString:
    """Render ``data`` as an SVG QR code safe to embed in a page.

    The SVG is produced by the qrcode library from rectangles only; the data
    itself is encoded in the picture, never written into the markup.
    """
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        border=2,
    )
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return mark_safe(svg)
