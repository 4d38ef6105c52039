"""The size limit of evidence files; the checks themselves are core's (``core/private_files.py``)."""

from __future__ import annotations

from django.conf import settings

# Evidence is a scanned document or a photo; office files are converted to PDF before upload.
DEFAULT_MAX_MB = 10


def max_mb() -> int:
    return int(getattr(settings, "STANDARD_EVIDENCE_MAX_MB", DEFAULT_MAX_MB))
