"""Community metrics on fixed records with explicit dates, each against a plain computation written here."""

from __future__ import annotations

import datetime as dt

import pytest

from haofuwu.community import metrics as community_metrics
from haofuwu.community.choices import VisitMethod, VisitProof, VisitStatus
from haofuwu.community.models import (
    Activity,
    CareVisit,
    Disclosure,
    JointMeeting,
    JointMeetingAttendee,
    PartyCoverage,
    PartyOrganisation,
    RedPropertyApplication,
    Registration,
)
from haofuwu.community.tests import factories
from haofuwu.core import metrics as core_metrics
from haofuwu.estates.tests.factories import ResidentFactory
from haofuwu.workorders.sla import SHANGHAI

M = community_metrics.METRICS


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


START, END, NOW = at("2026-01-01T00:00"), at("2026-07-01T00:00"), at("2026-08-15T12:00")
D = dt.date.fromisoformat


def _values(name: str, world) -> tuple:
    value = M[name](project_ids=[world.project_a.pk, world.project_b.pk], start=START, end=END, now=NOW)
    return value[world.project_a.pk], value[world.project_b.pk]


def test_every_metric_is_registered_for_the_catalogue() -> None:
    for name in (
        "community.party_organisation_meetings_held",
        "community.party_work_coverage",
        "community.red_property_plan_progress",
        "community.cross_appointment_directions",
        "community.grid_members_appointed",
        "community.joint_meetings_held",
        "community.pioneer_posts_active",
        "community.disclosure_items_missing",
        "community.financial_disclosures_published",
        "community.outage_notices_in_time_rate",
        "community.activities_held",
        "community.vulnerable_households_contacted_rate",
        "community.red_property_point_recognised",
    ):
        assert core_metrics.get(name) is not None, name


def test_planned_cuts_announced_24_hours_ahead(world) -> None:
    # (published, starts): 30 h ahead, 23 h ahead, 24 h exactly, and one starting after the period.
    rows = [
        ("2026-03-01T08:00", "2026-03-02T14:00"),
        ("2026-04-01T09:00", "2026-04-02T08:00"),
        ("2026-05-01T09:00", "2026-05-02T09:00"),
        ("2026-06-30T09:00", "2026-07-02T09:00"),
    ]
    for published, starts in rows:
        Disclosure.objects.create(
            project=world.project_a,
            kind="planned_outage",
            title="停水",
            body="b",
            outage_kind="water",
            published_at=at(published),
            outage_starts_at=at(starts),
            outage_ends_at=at(starts) + dt.timedelta(hours=4),
        )
    in_period = [(at(p), at(s)) for p, s in rows if START <= at(s) < END]
    expected = sum(s - p >= dt.timedelta(hours=24) for p, s in in_period) / len(in_period)
    a, b = _values("community.outage_notices_in_time_rate", world)
    assert a.value == pytest.approx(expected) == pytest.approx(2 / 3)
    assert b.value is None  # no planned cut: nothing expected, no data


def test_activities_held_count_only_those_held_with_someone_checked_in(world) -> None:
    held = factories.activity(
        world.project_a,
        status="completed",
        starts_at=at("2026-02-10T09:00"),
        ends_at=at("2026-02-10T11:00"),
        signup_opens_at=at("2026-02-01T09:00"),
        signup_closes_at=at("2026-02-10T09:00"),
    )
    empty = factories.activity(
        world.project_a,
        status="completed",
        starts_at=at("2026-03-10T09:00"),
        ends_at=at("2026-03-10T11:00"),
        signup_opens_at=at("2026-03-01T09:00"),
        signup_closes_at=at("2026-03-10T09:00"),
    )
    Registration.objects.create(
        activity=held,
        user=world.users["resident_a"],
        name="张甲",
        status="attended",
        ticket="t1",
        checked_in_at=at("2026-02-10T09:05"),
        check_in_method="ticket_qr",
    )
    Registration.objects.create(
        activity=empty, user=world.users["resident_a"], name="张甲", status="no_show", ticket="t2"
    )
    a, b = _values("community.activities_held", world)
    assert (a.value, a.record_ids) == (1.0, [held.pk])
    assert b.value == 0.0
    assert Activity.objects.count() == 2


def test_vulnerable_households_contacted_every_month(world) -> None:
    coordinator = world.users["community_a"]
    alone = factories.care_subject(world.resident_a, coordinator, registered_on=D("2025-11-20"))
    # Registered in mid-March: January to March are not due for this one.
    late = factories.care_subject(ResidentFactory(unit=world.unit_a2), coordinator, registered_on=D("2026-03-15"))
    visits = {
        alone: [
            ("2026-01-05T10:00", "phone", ""),
            ("2026-02-20T10:00", "home", "none"),
            ("2026-03-03T10:00", "home", "door_code"),
            ("2026-05-09T10:00", "home", "position"),
        ],
        late: [("2026-04-02T10:00", "video", ""), ("2026-06-30T23:30", "phone", "")],
    }
    for subject, rows in visits.items():
        for moment, method, proof in rows:
            CareVisit.objects.create(
                subject=subject,
                status=VisitStatus.DONE,
                method=method,
                proof=proof,
                outcome="well",
                visited_at=at(moment),
                visitor=coordinator,
            )
    # The independent computation: months Jan–Jun in which each household was registered from the month's first
    # day, and whether a counted contact (calls, or home visits with proof) fell in it.
    due_hits = 0
    due_total = 0
    for subject, rows in visits.items():
        for month in range(1, 7):
            first = dt.date(2026, month, 1)
            if subject.registered_on > first:
                continue
            due_total += 1
            due_hits += any(
                at(moment).month == month
                and (method != VisitMethod.HOME or proof in (VisitProof.DOOR_CODE, VisitProof.POSITION))
                for moment, method, proof in rows
            )
    a, b = _values("community.vulnerable_households_contacted_rate", world)
    assert (a.numerator, a.denominator) == (due_hits, due_total) == (5, 9)
    assert b.value is None


def test_board_findings_and_half_yearly_accounts(world) -> None:
    for kind, published in [
        ("fees", "2025-09-01"),
        ("licence_and_manager", "2025-03-01"),
        ("income_and_costs", "2026-01-20"),
        ("common_income", "2026-01-20"),
        ("maintenance_fund", "2026-01-21"),
        ("income_and_costs", "2026-06-10"),
    ]:
        Disclosure.objects.create(
            project=world.project_a, kind=kind, title=kind, body="b", published_at=at(f"{published}T10:00")
        )
    a, _b = _values("community.disclosure_items_missing", world)
    # At 2026-07-01 of the 11 required kinds: fees fresh (< 366 days), licence stale (> 366), the three accounts fresh
    # (< 184 days): 4 fresh, 7 missing or stale.
    assert a.value == 7.0
    accounts, _b = _values("community.financial_disclosures_published", world)
    assert accounts.value == 1.0  # the first half-year had all three; the second only one so far
    assert _b.value == 0.0


def test_joint_meetings_count_only_with_the_three_parties(world) -> None:
    full = JointMeeting.objects.create(
        project=world.project_a, title="t", starts_at=at("2026-02-01T10:00"), status="held"
    )
    partial = JointMeeting.objects.create(
        project=world.project_a, title="t", starts_at=at("2026-03-01T10:00"), status="held"
    )
    for party in ("residents_committee", "owners_committee", "property_company"):
        JointMeetingAttendee.objects.create(meeting=full, party=party, name="x")
    JointMeetingAttendee.objects.create(meeting=partial, party="property_company", name="x")
    a, _b = _values("community.joint_meetings_held", world)
    assert (a.value, a.record_ids) == (1.0, [full.pk])


def test_coverage_and_recognition(world) -> None:
    organisation = PartyOrganisation.objects.create(
        company=world.company_a, name="支部", kind="joint", established_on=D("2024-01-01")
    )
    PartyCoverage.objects.create(
        organisation=organisation, project=world.project_a, started_on=D("2024-01-01"), ended_on=D("2026-02-01")
    )
    RedPropertyApplication.objects.create(
        project=world.project_b,
        year=2025,
        level="district",
        plan="p",
        status="recognised",
        recognised_on=D("2025-10-01"),
        valid_until=D("2027-12-31"),
    )
    a, b = _values("community.party_work_coverage", world)
    assert (a.value, b.value) == (1.0, 0.0)
    a, b = _values("community.red_property_point_recognised", world)
    assert (a.value, b.value) == (0.0, 1.0)
