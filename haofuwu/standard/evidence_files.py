"""Checks of uploaded evidence files: the type from the first bytes (not the name), and the size."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# Evidence is a scanned document or a photo; office files are converted to PDF before upload.
DEFAULT_MAX_MB = 10


@dataclass(frozen=True)
class FileCheck:
    content_type: str | None
    error: str | None


def sniff(head: bytes) -> str | None:
    """PDF, JPEG, PNG or WebP by signature; anything else is ``None``."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def max_mb() -> int:
    return int(getattr(settings, "STANDARD_EVIDENCE_MAX_MB", DEFAULT_MAX_MB))


def check_file(name: str, size: int, head: bytes) -> FileCheck:
    """Whether an upload may be stored as evidence, with the reason when not."""
    limit = max_mb()
    if size > limit * 1024 * 1024:
        return FileCheck(None, _("%(name)s is larger than %(limit)d MB.") % {"name": name, "limit": limit})
    if size == 0:
        return FileCheck(None, _("%(name)s is empty.") % {"name": name})
    content_type = sniff(head)
    if content_type is None:
        return FileCheck(None, _("%(name)s is not a PDF, JPEG, PNG or WebP file.") % {"name": name})
    return FileCheck(content_type, None)
