"""Photo limits of work orders; the checks themselves are core's (``core/private_files.py``)."""

from __future__ import annotations

MAX_PHOTOS = 6
