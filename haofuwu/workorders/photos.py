"""Photo checks: the type from the file's first bytes (not its name), and the size."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

MAX_PHOTOS = 6


@dataclass(frozen=True)
class PhotoCheck:
    content_type: str | None
    error: str | None


def sniff(head: bytes) -> str | None:
    """JPEG, PNG or WebP by signature; anything else is ``None``."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_photo(name: str, size: int, head: bytes) -> PhotoCheck:
    """Whether an upload may be stored as a work-order photo, with the reason when not."""
    limit = settings.PHOTO_MAX_MB * 1024 * 1024
    if size > limit:
        return PhotoCheck(
            None, _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": settings.PHOTO_MAX_MB}
        )
    if size == 0:
        return PhotoCheck(None, _("%(name)s is empty.") % {"name": name})
    content_type = sniff(head)
    if content_type is None:
        return PhotoCheck(None, _("%(name)s is not a JPEG, PNG or WebP photo.") % {"name": name})
    return PhotoCheck(content_type, None)
