"""Which SLA policy applies to a work order, and the built-in defaults when a company has set none.

The defaults follow the sources in ../shared/research/standard.md: urgent repairs on site within 30 minutes (P-12,
CPMI grade 1 "急修半小时内"), complaints answered within 2 days (P-15), enquiries and suggestions within 24 hours
(P-17, Xi'an), help requests fed back within 36 hours (P-15, Xi'an), 12345 cases closed within 5 working days
(P-25). Response times are our defaults (I): a property company can change every number per company or project.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from haofuwu.workorders.choices import Channel, Kind, Urgency

HOUR = 60
DAY = 24 * HOUR
WORKING_DAY = 9 * HOUR  # the default calendar's 08:30–17:30


@dataclass(frozen=True)
class Terms:
    """Deadlines in minutes of counting time."""

    response_minutes: int
    arrival_minutes: int | None
    resolution_minutes: int
    uses_working_hours: bool = False
    warn_before_minutes: int = 30
    escalate_after_minutes: int = DAY
    policy_id: int | None = None


DEFAULTS: dict[tuple[str, str], Terms] = {
    (Kind.REPAIR, Urgency.URGENT): Terms(15, 30, DAY),
    (Kind.REPAIR, Urgency.NORMAL): Terms(30, DAY, 3 * DAY),
    (Kind.REPAIR, Urgency.APPOINTMENT): Terms(30, None, 3 * DAY),
    (Kind.COMPLAINT, ""): Terms(2 * HOUR, None, 2 * DAY, warn_before_minutes=4 * HOUR),
    (Kind.HELP, ""): Terms(30, None, 36 * HOUR),
    (Kind.ENQUIRY, ""): Terms(HOUR, None, DAY),
    (Kind.SUGGESTION, ""): Terms(4 * HOUR, None, DAY),
    (Kind.PRAISE, ""): Terms(DAY, None, 3 * DAY),
}
HOTLINE_TERMS = Terms(2 * HOUR, None, 5 * WORKING_DAY, uses_working_hours=True, warn_before_minutes=WORKING_DAY)


@dataclass(frozen=True)
class PolicyRow:
    """A stored policy as plain data (see ``SlaPolicy``)."""

    id: int
    project_id: int | None
    kind: str
    category: str
    urgency: str
    terms: Terms


def choose(
    rows: Iterable[PolicyRow], *, project_id: int, kind: str, category: str, urgency: str, channel: str
) -> Terms:
    """The most specific matching policy (project over company, then category, then urgency), else the default.
    A 12345 case always runs on the hotline's 5-working-day rule: the city sets it, not the company."""
    if channel == Channel.HOTLINE_12345:
        return HOTLINE_TERMS
    best: tuple[int, PolicyRow] | None = None
    for row in rows:
        if row.kind != kind or row.category not in ("", category) or row.urgency not in ("", urgency):
            continue
        if row.project_id not in (None, project_id):
            continue
        specificity = (4 if row.project_id else 0) + (2 if row.category else 0) + (1 if row.urgency else 0)
        if best is None or specificity > best[0]:
            best = (specificity, row)
    if best is not None:
        return best[1].terms
    return DEFAULTS.get((kind, urgency)) or DEFAULTS.get((kind, "")) or DEFAULTS[(Kind.REPAIR, Urgency.NORMAL)]
