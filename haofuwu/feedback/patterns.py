"""Suspicious patterns in survey responses (anchors.md §4 item 11: surveys answered by staff, bursts of answers).

Pure functions on plain rows: many responses within a few minutes from one device or one IP digest, or many paper
entries by one staff member within a few minutes. A flag is a prompt to look, not a verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# Defaults: 5 responses from one source within 10 minutes. A family answering for two flats does not trip it; a
# person filling in a stack of forms does.
BURST_COUNT = 5
BURST_WINDOW = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class ResponseRow:
    id: int
    submitted_at: dt.datetime
    ip_digest: str = ""
    device_id: str = ""
    entered_by: str = ""  # the staff member's name for paper entries


@dataclass(frozen=True)
class Flag:
    """``count`` responses from one ``source`` (kind ``device``, ``ip`` or ``staff``) between two times."""

    kind: str
    source: str
    count: int
    first_at: dt.datetime
    last_at: dt.datetime
    response_ids: tuple[int, ...]


def _bursts(kind: str, rows: list[tuple[str, ResponseRow]], count: int, window: dt.timedelta) -> list[Flag]:
    flags: list[Flag] = []
    by_source: dict[str, list[ResponseRow]] = {}
    for source, row in rows:
        if source:
            by_source.setdefault(source, []).append(row)
    for source, items in sorted(by_source.items()):
        items.sort(key=lambda row: (row.submitted_at, row.id))
        best: list[ResponseRow] = []
        left = 0
        for right in range(len(items)):
            while items[right].submitted_at - items[left].submitted_at > window:
                left += 1
            if right - left + 1 > len(best):
                best = items[left : right + 1]
        if len(best) >= count:
            flags.append(
                Flag(kind, source, len(best), best[0].submitted_at, best[-1].submitted_at, tuple(r.id for r in best))
            )
    return flags


def suspicious(
    rows: Iterable[ResponseRow], *, count: int = BURST_COUNT, window: dt.timedelta = BURST_WINDOW
) -> list[Flag]:
    """The largest burst per device, IP digest and entering staff member, where it reaches ``count`` in ``window``."""
    items = list(rows)
    return [
        *_bursts("device", [(row.device_id, row) for row in items], count, window),
        *_bursts("ip", [(row.ip_digest, row) for row in items], count, window),
        *_bursts("staff", [(row.entered_by, row) for row in items], count, window),
    ]
