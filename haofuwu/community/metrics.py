"""Metrics of the community app that the standard's indicators read (A-01…A-07, A-25, A-26, P-18, P-22, P-23, R-17
in ../shared/research/standard.md), registered with :mod:`haofuwu.core.metrics`.

Each metric answers for many projects in a constant number of queries: the rows of all projects in one query (or
two), tallied in Python — community records are tens a year per project, so the rows stay few even for a city.
Periods are half-open ``[start, end)``; dates compare with the local dates of those moments. A count answers 0 when
nothing was recorded (never more than a project that recorded failures); a rate answers ``None`` when nothing was
expected in the period (no planned cut, nobody on the register), which the standard shows as "no data".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.community import care_schedule, disclosure_rules, red_property
from haofuwu.community.choices import (
    COMMUNITY_SIDE,
    OWNERS_SIDE,
    ActionStatus,
    ActivityStatus,
    ApplicationStatus,
    AppointmentKind,
    DisclosureKind,
    DisclosureStatus,
    MeetingStatus,
    Party,
    RegistrationStatus,
    Verdict,
)
from haofuwu.community.models import (
    CONTACT_Q,
    Activity,
    Appointment,
    CareSubject,
    CareVisit,
    Disclosure,
    JointAction,
    JointMeeting,
    PartyCoverage,
    PartyMeeting,
    PioneerPost,
    RedPropertyApplication,
)
from haofuwu.core import metrics
from haofuwu.core.metrics import MAX_RECORD_IDS, MetricValue


def _first_day(moment: dt.datetime) -> dt.date:
    """The first local date at or after ``moment`` (a period ending at midnight excludes that day)."""
    local = timezone.localtime(moment)
    return local.date() if local.time() == dt.time.min else local.date() + dt.timedelta(days=1)


def _overlaps(first: dt.date, last: dt.date, start: str = "started_on", end: str = "ended_on") -> Q:
    """Rows active on at least one day of ``[first, last)``."""
    return Q(**{f"{start}__lt": last}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first}))


def _counts(project_ids: Sequence[int], rows: Iterable[tuple[int, int]]) -> dict[int, MetricValue]:
    """A count per project from (project, record id) rows, the ids kept for drill-down."""
    found: dict[int, list[int]] = defaultdict(list)
    for project_id, pk in rows:
        found[project_id].append(pk)
    return {
        pk: MetricValue(float(len(found[pk])), len(found[pk]), 1, sorted(found[pk])[:MAX_RECORD_IDS])
        for pk in project_ids
    }


def _rates(project_ids: Sequence[int], rows: Iterable[tuple[int, int, bool]]) -> dict[int, MetricValue]:
    """A rate per project from (project, record id, hit) rows: hits ÷ rows, records with a miss first in the ids;
    no rows is no data."""
    hits: dict[int, int] = defaultdict(int)
    totals: dict[int, int] = defaultdict(int)
    records: dict[int, dict[int, bool]] = defaultdict(dict)
    for project_id, pk, hit in rows:
        hits[project_id] += bool(hit)
        totals[project_id] += 1
        records[project_id][pk] = records[project_id].get(pk, True) and bool(hit)
    result = {}
    for pk in project_ids:
        mine = records.get(pk, {})
        ids = sorted(mine, key=lambda record: (mine[record], record))[:MAX_RECORD_IDS]
        total = totals.get(pk, 0)
        result[pk] = MetricValue(hits[pk] / total if total else None, hits[pk], total, ids)
    return result


# party organisation ------------------------------------------------------------------------------------


@metrics.register(
    "community.party_organisation_meetings_held",
    title=_("Party organisation meetings held (三会一课)"),
    unit=metrics.Unit.COUNT,
    record_type="community.partymeeting",
    description="三会一课 meetings recorded as held in the period by the party organisations covering the project (A-01).",
)
def party_organisation_meetings_held(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """Meetings held in the period by every organisation that covered the project during it: the organisation
    exists and its life is on record (A-01)."""
    first, last = _first_day(start), _first_day(end)
    coverage = PartyCoverage.objects.filter(
        _overlaps(first, last), metrics.projects_in("project_id", project_ids)
    ).values_list("organisation_id", "project_id")
    projects_of: dict[int, set[int]] = defaultdict(set)
    for organisation_id, project_id in coverage:
        projects_of[organisation_id].add(project_id)
    held = PartyMeeting.objects.filter(
        organisation_id__in=list(projects_of), status=MeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end
    ).values_list("organisation_id", "pk")
    return _counts(project_ids, ((p, pk) for org, pk in held for p in projects_of[org]))


@metrics.register(
    "community.party_work_coverage",
    title=_("Party-work coverage of the project"),
    unit=metrics.Unit.RATE,
    record_type="community.partycoverage",
    description="1 when a party organisation (with its liaison) covered the project during the period (A-02).",
)
def party_work_coverage(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    """1 when the project was attached to a party organisation for at least part of the period, else 0."""
    first, last = _first_day(start), _first_day(end)
    rows = PartyCoverage.objects.filter(
        _overlaps(first, last), metrics.projects_in("project_id", project_ids), organisation__dissolved_on__isnull=True
    ).values_list("project_id", "pk")
    found: dict[int, list[int]] = defaultdict(list)
    for project_id, pk in rows:
        found[project_id].append(pk)
    return {pk: MetricValue(1.0 if found[pk] else 0.0, 1 if found[pk] else 0, 1, found[pk]) for pk in project_ids}


# red property -------------------------------------------------------------------------------------------


@metrics.register(
    "community.red_property_plan_progress",
    title=_("Red-property plan: criteria met"),
    unit=metrics.Unit.RATE,
    record_type="community.redpropertyapplication",
    description=(
        "Criteria of the checklist met in the project's latest application of the period's years (the district's "
        "verdict once reviewed, else the project's claim with evidence) ÷ criteria; 0 without an application (A-03)."
    ),
)
def red_property_plan_progress(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    first, last = _first_day(start), _first_day(end) - dt.timedelta(days=1)
    applications = (
        RedPropertyApplication.objects.filter(
            metrics.projects_in("project_id", project_ids), year__lte=last.year, created_at__lt=end
        )
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .filter(Q(year__gte=first.year) | Q(status=ApplicationStatus.RECOGNISED, valid_until__gte=first))
        .order_by("project_id", "-year", "-pk")
        .prefetch_related("checks")
    )
    latest: dict[int, RedPropertyApplication] = {}
    for application in applications:
        latest.setdefault(application.project_id, application)
    total = len(red_property.CODES)
    result = {}
    for pk in project_ids:
        found = latest.get(pk)
        if found is None:
            result[pk] = MetricValue(0.0, 0, total, [])
            continue
        is_reviewed = found.status in (ApplicationStatus.RECOGNISED, ApplicationStatus.REJECTED)
        met = sum(
            (check.verdict == Verdict.MET) if is_reviewed else check.is_claimed
            for check in found.checks.all()
            if check.code in red_property.CODES
        )
        result[pk] = MetricValue(met / total, met, total, [found.pk])
    return result


@metrics.register(
    "community.red_property_point_recognised",
    title=_("Red-property demonstration point"),
    unit=metrics.Unit.COUNT,
    record_type="community.redpropertyapplication",
    description="1 when the project held a district- or city-level recognition valid during the period (R-17).",
)
def red_property_point_recognised(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    first, last = _first_day(start), _first_day(end)
    rows = RedPropertyApplication.objects.filter(
        metrics.projects_in("project_id", project_ids),
        status=ApplicationStatus.RECOGNISED,
        recognised_on__lt=last,
        valid_until__gte=first,
    ).values_list("project_id", "pk")
    found: dict[int, list[int]] = defaultdict(list)
    for project_id, pk in rows:
        found[project_id].append(pk)
    return {pk: MetricValue(1.0 if found[pk] else 0.0, 1 if found[pk] else 0, 1, found[pk]) for pk in project_ids}


# appointments -------------------------------------------------------------------------------------------

CROSS_KINDS = (AppointmentKind.COMMUNITY_COMMITTEE, AppointmentKind.QUALITY_SUPERVISOR)


@metrics.register(
    "community.cross_appointment_directions",
    title=_("Directions of cross appointment in place"),
    unit=metrics.Unit.COUNT,
    record_type="community.appointment",
    description=(
        "How many of the two directions had an appointment during the period: the company's people on the community "
        "party committee, and community cadres as the project's service-quality supervisors (0–2, A-04)."
    ),
)
def cross_appointment_directions(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    first, last = _first_day(start), _first_day(end)
    rows = Appointment.objects.filter(
        _overlaps(first, last), metrics.projects_in("project_id", project_ids), kind__in=CROSS_KINDS
    ).values_list("project_id", "pk", "kind")
    kinds: dict[int, set[str]] = defaultdict(set)
    ids: dict[int, list[int]] = defaultdict(list)
    for project_id, pk, kind in rows:
        kinds[project_id].add(kind)
        ids[project_id].append(pk)
    return {
        pk: MetricValue(float(len(kinds[pk])), len(kinds[pk]), len(CROSS_KINDS), sorted(ids[pk])) for pk in project_ids
    }


@metrics.register(
    "community.grid_members_appointed",
    title=_("Staff serving as part-time grid members"),
    unit=metrics.Unit.COUNT,
    record_type="community.appointment",
    description="People appointed part-time grid members for the project during the period (A-05).",
)
def grid_members_appointed(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    first, last = _first_day(start), _first_day(end)
    rows = Appointment.objects.filter(
        _overlaps(first, last), metrics.projects_in("project_id", project_ids), kind=AppointmentKind.GRID_MEMBER
    ).values_list("project_id", "pk")
    return _counts(project_ids, rows)


# joint meetings -----------------------------------------------------------------------------------------------


def is_three_party(parties: set[str]) -> bool:
    """三方联动: the community, the owners' side and the property company were all at the table."""
    return bool(parties & COMMUNITY_SIDE) and bool(parties & OWNERS_SIDE) and Party.PROPERTY_COMPANY in parties


@metrics.register(
    "community.joint_meetings_held",
    title=_("Joint three-party meetings held"),
    unit=metrics.Unit.COUNT,
    record_type="community.jointmeeting",
    description=(
        "Joint meetings recorded as held in the period with the community, the owners' side and the property company "
        "among the attendees (A-06)."
    ),
)
def joint_meetings_held(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    rows = JointMeeting.objects.filter(
        metrics.projects_in("project_id", project_ids),
        status=MeetingStatus.HELD,
        starts_at__gte=start,
        starts_at__lt=end,
    ).values_list("project_id", "pk", "attendees__party")
    parties: dict[tuple[int, int], set[str]] = defaultdict(set)
    for project_id, pk, party in rows:
        parties[(project_id, pk)].add(party or "")
    return _counts(project_ids, (key for key, found in parties.items() if is_three_party(found)))


@metrics.register(
    "community.joint_actions_closed_in_time_rate",
    title=_("Joint-meeting actions closed by their deadline"),
    unit=metrics.Unit.RATE,
    record_type="community.jointaction",
    description="Actions due in the period closed by their deadline ÷ those due (open ones not yet due left out).",
)
def joint_actions_closed_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    today = timezone.localdate(now or timezone.now())
    first, last = _first_day(start), _first_day(end)
    rows = JointAction.objects.filter(
        metrics.projects_in("meeting__project_id", project_ids), due_on__gte=first, due_on__lt=last
    ).values_list("meeting__project_id", "pk", "status", "due_on", "closed_at")
    tallied = []
    for project_id, pk, status, due_on, closed_at in rows:
        if status == ActionStatus.DONE and closed_at is not None:
            tallied.append((project_id, pk, timezone.localdate(closed_at) <= due_on))
        elif due_on < today:
            tallied.append((project_id, pk, False))
    return _rates(project_ids, tallied)


# pioneer posts ------------------------------------------------------------------------------------------------


@metrics.register(
    "community.pioneer_posts_active",
    title=_("Party members' pioneer posts"),
    unit=metrics.Unit.COUNT,
    record_type="community.pioneerpost",
    description="Pioneer posts of party members at the project during the period (A-07).",
)
def pioneer_posts_active(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    first, last = _first_day(start), _first_day(end)
    rows = PioneerPost.objects.filter(
        _overlaps(first, last), metrics.projects_in("project_id", project_ids), member__left_on__isnull=True
    ).values_list("project_id", "pk")
    return _counts(project_ids, rows)


# P-18: disclosure board ---------------------------------------------------------------------------------


@metrics.register(
    "community.disclosure_items_missing",
    title=_("Disclosure board: required items missing or stale"),
    unit=metrics.Unit.COUNT,
    record_type="community.disclosure",
    description=(
        "Required board items not current at the end of the period (or now, while it runs), each kind by its cadence "
        "(community/disclosure_rules.py); no data when the project never published a required item (A-25)."
    ),
)
def disclosure_items_missing(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    at = min(end, now or timezone.now())
    rows = Disclosure.objects.filter(
        metrics.projects_in("project_id", project_ids),
        status=DisclosureStatus.PUBLISHED,
        kind__in=disclosure_rules.REQUIRED_KINDS,
        published_at__lte=at,
    ).values_list("project_id", "kind", "pk", "published_at")
    items: dict[int, list[disclosure_rules.Published]] = defaultdict(list)
    for project_id, kind, pk, published_at in rows:
        items[project_id].append(disclosure_rules.Published(kind, pk, published_at))
    result = {}
    required = len(disclosure_rules.REQUIRED_KINDS)
    for pk in project_ids:
        if not items[pk]:
            result[pk] = MetricValue(None, 0, required, [])
            continue
        statuses = disclosure_rules.board_status(items[pk], at)
        missing = sum(not status.is_fresh for status in statuses)
        current = [status.latest.pk for status in statuses if status.latest is not None]
        result[pk] = MetricValue(float(missing), missing, required, current)
    return result


@metrics.register(
    "community.financial_disclosures_published",
    title=_("Half-yearly financial disclosures published"),
    unit=metrics.Unit.COUNT,
    record_type="community.disclosure",
    description=(
        "Half-years of the period in which the service income and costs, the common-part income and the maintenance "
        "fund's use were all published (A-26: every six months)."
    ),
)
def financial_disclosures_published(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    rows = Disclosure.objects.filter(
        metrics.projects_in("project_id", project_ids),
        status=DisclosureStatus.PUBLISHED,
        kind__in=disclosure_rules.FINANCIAL_KINDS,
        published_at__gte=start,
        published_at__lt=end,
    ).values_list("project_id", "kind", "pk", "published_at")
    items: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    ids: dict[int, list[int]] = defaultdict(list)
    for project_id, kind, pk, published_at in rows:
        items[project_id].append((kind, timezone.localdate(published_at)))
        ids[project_id].append(pk)
    result = {}
    for pk in project_ids:
        halves = len(disclosure_rules.complete_financial_half_years(items[pk]))
        result[pk] = MetricValue(float(halves), halves, 1, sorted(ids[pk])[:MAX_RECORD_IDS])
    return result


@metrics.register(
    "community.outage_notices_in_time_rate",
    title=_("Planned cuts announced 24 hours ahead"),
    unit=metrics.Unit.RATE,
    record_type="community.disclosure",
    description="Planned water, power, gas or heating cuts starting in the period announced at least 24 h ahead (P-18).",
)
def outage_notices_in_time_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    rows = Disclosure.objects.filter(
        metrics.projects_in("project_id", project_ids),
        kind=DisclosureKind.PLANNED_OUTAGE,
        status=DisclosureStatus.PUBLISHED,
        outage_starts_at__gte=start,
        outage_starts_at__lt=end,
    ).values_list("project_id", "pk", "published_at", "outage_starts_at")
    return _rates(
        project_ids,
        (
            (project_id, pk, starts is not None and disclosure_rules.notice_is_in_time(published, starts))
            for project_id, pk, published, starts in rows
        ),
    )


# P-22: activities ---------------------------------------------------------------------------------------------------


@metrics.register(
    "community.activities_held",
    title=_("Community activities held"),
    unit=metrics.Unit.COUNT,
    record_type="community.activity",
    description="Activities starting in the period recorded as held with at least one person checked in (P-22).",
)
def activities_held(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    rows = (
        Activity.objects.filter(
            metrics.projects_in("project_id", project_ids),
            status=ActivityStatus.COMPLETED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .annotate(came=Count("registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED)))
        .filter(came__gt=0)
        .values_list("project_id", "pk")
    )
    return _counts(project_ids, rows)


# P-23: care register ------------------------------------------------------------------------------------------------


@metrics.register(
    "community.vulnerable_households_contacted_rate",
    title=_("Registered vulnerable households contacted every month"),
    unit=metrics.Unit.RATE,
    record_type="community.caresubject",
    description=(
        "Household-months of the period in which a household on the care register had a contact — a call, or a home "
        "visit with its proof — ÷ household-months on the register; months still running are left out (P-23)."
    ),
)
def vulnerable_households_contacted_rate(
    *, project_ids: Sequence[int], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> dict[int, MetricValue]:
    today = timezone.localdate(now or timezone.now())
    first, last = _first_day(start), _first_day(end)
    subjects = list(
        CareSubject.objects.filter(metrics.projects_in("project_id", project_ids), registered_on__lt=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .values_list("pk", "project_id", "unit_id", "registered_on", "closed_on")
    )
    contacts: dict[int, set[dt.date]] = defaultdict(set)
    for subject_id, visited_at in CareVisit.objects.filter(
        CONTACT_Q, subject_id__in=[row[0] for row in subjects], visited_at__gte=start, visited_at__lt=end
    ).values_list("subject_id", "visited_at"):
        contacts[subject_id].add(care_schedule.month_start(timezone.localdate(visited_at)))
    # A household is due in a month when any of its registered residents is; contacted when any of them was.
    due: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    reached: dict[tuple[int, int], set[dt.date]] = defaultdict(set)
    subject_of: dict[tuple[int, int], int] = {}
    for pk, project_id, unit_id, registered_on, closed_on in subjects:
        key = (project_id, unit_id)
        due[key] |= set(care_schedule.months_due(registered_on, closed_on, first, last, today))
        reached[key] |= contacts[pk]
        subject_of.setdefault(key, pk)
    rows = []
    for key, months in due.items():
        for month in months:
            rows.append((key[0], subject_of[key], month in reached[key]))
    return _rates(project_ids, rows)


# The functions by name, for tests.
METRICS: dict[str, metrics.MetricFunction] = {
    metric.name: metric.function for metric in metrics.registry.all() if metric.app == "community"
}
