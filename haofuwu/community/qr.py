"""QR codes as inline SVG (segno), for activity tickets and door posters."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, scale: int = 5) -> SafeString:
    """An SVG QR code of ``text`` (a URL of this site); segno escapes nothing user-written into it."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=scale, title=""))
